import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { creditorReference, formatCreditorReference, parseCreditorReference } from "./creditor-reference";

describe("ISO 11649 creditor references", () => {
  it("matches the standard's example", () => {
    expect(creditorReference("539007547034")).toBe("RF18539007547034");
    expect(parseCreditorReference("RF18 5390 0754 7034")).toBe("RF18539007547034");
    expect(formatCreditorReference("RF18539007547034")).toBe("RF18 5390 0754 7034");
  });

  it("builds references from invoice numbers that validate", () => {
    const ref = creditorReference("INV-2026-000042");
    expect(ref).toMatch(/^RF\d{2}INV2026000042$/);
    expect(parseCreditorReference(ref.toLowerCase())).toBe(ref);
  });

  it("detects any single mistyped digit and any swap of two neighbouring digits in an invoice reference", () => {
    // Mod 97 guarantees this for digits; a letter counts as two digits, so for letters it is very
    // likely but not certain (e.g. "RF242M"): references here are built from invoice numbers,
    // whose variable part is digits.
    fc.assert(
      fc.property(fc.stringMatching(/^\d{4}\d{6}$/), fc.nat(), fc.integer({ min: 1, max: 9 }), (digits, pos, delta) => {
        const ref = creditorReference(`INV-${digits.slice(0, 4)}-${digits.slice(4)}`);
        const i = ref.length - 10 + (pos % 10);
        const changed = String((Number(ref[i]) + delta) % 10);
        expect(parseCreditorReference(ref.slice(0, i) + changed + ref.slice(i + 1))).toBeNull();
        if (i + 1 < ref.length && ref[i] !== ref[i + 1]) {
          expect(parseCreditorReference(ref.slice(0, i) + ref[i + 1] + ref[i] + ref.slice(i + 2))).toBeNull();
        }
      }),
      { numRuns: 500 },
    );
  });

  it("refuses malformed input", () => {
    expect(parseCreditorReference("RF1")).toBeNull();
    expect(parseCreditorReference("XX18539007547034")).toBeNull();
    expect(() => creditorReference("")).toThrow(RangeError);
  });
});
