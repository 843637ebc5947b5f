import { describe, expect, it } from "vitest";
import { z } from "zod";
import { quantityField } from "./forms";

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
