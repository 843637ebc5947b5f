import { describe, expect, it } from "vitest";
import { availability, parseTaxRate, parseTierText, quantityProblem, tierText } from "./catalog";

describe("availability", () => {
  it("classifies stock as in stock, low or out, with the number", () => {
    expect(availability(100, 20, 10)).toEqual({ status: "in_stock", available: 80, label: "In stock: 80" });
    expect(availability(15, 6, 10)).toEqual({ status: "low", available: 9, label: "Low stock: 9 left" });
    expect(availability(5, 5, 10)).toEqual({ status: "out", available: 0, label: "Out of stock" });
  });
  it("counts stock as low only below the reorder point, and never with a reorder point of 0", () => {
    expect(availability(16, 6, 10)).toEqual({ status: "in_stock", available: 10, label: "In stock: 10" });
    expect(availability(1, 0, 0)).toEqual({ status: "in_stock", available: 1, label: "In stock: 1" });
  });
});

describe("quantityProblem", () => {
  const rules = { minOrderQuantity: 10, orderMultiple: 5, unit: "boxes" };
  it("accepts quantities that meet the minimum and the pack size", () => {
    expect(quantityProblem(10, rules)).toBeNull();
    expect(quantityProblem(25, rules)).toBeNull();
  });
  it("explains the minimum and the pack multiple", () => {
    expect(quantityProblem(5, rules)).toBe("The minimum order is 10 boxes.");
    expect(quantityProblem(12, rules)).toBe("This product comes in packs of 5: order 10 or 15.");
    expect(quantityProblem(0, rules)).toBe("Enter a whole quantity of at least 1.");
    expect(quantityProblem(2.5, { minOrderQuantity: 1, orderMultiple: 1 })).toBe("Enter a whole quantity of at least 1.");
  });
});

describe("tier text", () => {
  it("parses and prints tier tables", () => {
    const parsed = parseTierText("50: 9.00\n10+ = 9.5", "EUR");
    expect(parsed).toEqual({ tiers: [{ minQuantity: 10, unitPriceMinor: 950n }, { minQuantity: 50, unitPriceMinor: 900n }] });
    if ("tiers" in parsed) expect(tierText(parsed.tiers, "EUR")).toBe("10: 9.50\n50: 9.00");
    expect(parseTierText("ten: 9", "EUR")).toEqual({ error: '"ten: 9" is not "quantity: price" (e.g. 10: 9.50).' });
    expect(parseTierText("", "EUR")).toEqual({ tiers: [] });
  });
  it("parses tax rates in percent to basis points", () => {
    expect(parseTaxRate("19")).toBe(1900);
    expect(parseTaxRate("7.5%")).toBe(750);
    expect(parseTaxRate("101")).toBeNull();
    expect(parseTaxRate("abc")).toBeNull();
  });
});
