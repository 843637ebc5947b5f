import { describe, expect, it } from "vitest";
import { parseQuickOrder } from "./quick-order";

describe("parseQuickOrder", () => {
  it("reads comma, semicolon, tab and space separated lines", () => {
    expect(parseQuickOrder("FAS-0001, 10\nHAN-0102;5\n\nPOW-0201\t2\nELE-0301 1")).toEqual({
      lines: [
        { line: 1, sku: "FAS-0001", quantity: 10 },
        { line: 2, sku: "HAN-0102", quantity: 5 },
        { line: 4, sku: "POW-0201", quantity: 2 },
        { line: 5, sku: "ELE-0301", quantity: 1 },
      ],
      errors: [],
    });
  });
  it("names every bad line", () => {
    expect(parseQuickOrder("FAS-0001, ten\njust words here\nHAN-1, 0\nOK-1, 2").errors).toEqual([
      'Line 1: the quantity "ten" is not a whole number of at least 1.',
      'Line 2: "just words here" is not "SKU, quantity".',
      'Line 3: the quantity "0" is not a whole number of at least 1.',
    ]);
    expect(parseQuickOrder("  \n").errors).toEqual(["Paste at least one line: SKU, quantity."]);
  });
});
