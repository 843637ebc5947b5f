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

  it("detects any single changed character and any swap of two neighbours", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z0-9]{1,21}$/), fc.nat(), fc.nat(), (body, pos, sub) => {
        const ref = creditorReference(body);
        const i = 4 + (pos % (ref.length - 4));
        const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        const replacement = alphabet[(alphabet.indexOf(ref[i]!) + 1 + (sub % 35)) % 36]!;
        expect(parseCreditorReference(ref.slice(0, i) + replacement + ref.slice(i + 1))).toBeNull();
        if (i + 1 < ref.length && ref[i] !== ref[i + 1]) {
          expect(parseCreditorReference(ref.slice(0, i) + ref[i + 1] + ref[i] + ref.slice(i + 2))).toBeNull();
        }
      }),
    );
  });

  it("refuses malformed input", () => {
    expect(parseCreditorReference("RF1")).toBeNull();
    expect(parseCreditorReference("XX18539007547034")).toBeNull();
    expect(() => creditorReference("")).toThrow(RangeError);
  });
});
