import { describe, expect, it } from "vitest";
import { DomainError } from "./errors";
import { FieldProblems } from "./field-problems";

describe("FieldProblems", () => {
  it("throws nothing when empty, one message for one problem, all fields for several", () => {
    const none = new FieldProblems();
    expect(() => none.throwIfAny()).not.toThrow();

    const one = new FieldProblems();
    one.add("sku", "SKU is required.");
    expect(() => one.throwIfAny()).toThrow(new DomainError("validation_failed", "SKU is required.", { fieldErrors: { sku: ["SKU is required."] } }));

    const many = new FieldProblems();
    many.add("sku", "SKU is required.");
    many.add("unitPrice", "Enter a price such as 12.50.");
    many.add("sku", "Use at most 64 characters.");
    let thrown: unknown;
    try {
      many.throwIfAny();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect((thrown as DomainError).message).toBe("Some fields need attention.");
    expect((thrown as DomainError).fieldErrors).toEqual({ sku: ["SKU is required.", "Use at most 64 characters."], unitPrice: ["Enter a price such as 12.50."] });
  });
});
