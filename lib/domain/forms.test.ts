import { describe, expect, it } from "vitest";
import { z } from "zod";
import { optionalText, quantityField, requiredText } from "./forms";

const messages = (schema: z.ZodType, value: unknown) => {
  const r = schema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("quantityField", () => {
  it("answers a negative quantity on the add-to-cart form with one message", () => {
    expect(messages(quantityField(1), "-3")).toEqual(["Enter a quantity of at least 1."]);
    expect(messages(quantityField(1), "0")).toEqual(["Enter a quantity of at least 1."]);
    expect(messages(quantityField(1), "1")).toEqual([]);
  });

  it("lets a cart line be set to 0 (removal) but not below", () => {
    expect(messages(quantityField(0), "0")).toEqual([]);
    expect(messages(quantityField(0), "-3")).toEqual(["Enter a quantity of 0 or more."]);
  });

  it("names what is wrong with text and fractions", () => {
    expect(messages(quantityField(1), "abc")).toEqual(["Enter a quantity."]);
    expect(messages(quantityField(1), "2.5")).toEqual(["Enter a whole quantity."]);
  });
});

describe("control characters in text fields", () => {
  const problem = "Remove control characters.";
  it("refuses NUL and other control characters in optional and required text", () => {
    for (const t of ["a\u0000b", "ref\u0007", "x\u001by", "del\u007f", "c1\u0085x", "vertical\u000btab", "form\u000cfeed"]) {
      expect(messages(optionalText(100), t), JSON.stringify(t)).toEqual([problem]);
      expect(messages(requiredText("Name", 100), t), JSON.stringify(t)).toEqual([problem]);
    }
  });

  it("keeps tab, line feed and carriage return for multi-line notes, and ordinary Unicode", () => {
    expect(messages(optionalText(100), "line 1\r\nline 2\tend")).toEqual([]);
    expect(messages(requiredText("Name", 100), "Müller & Söhne – 東京")).toEqual([]);
  });
});
