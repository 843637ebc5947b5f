import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { divRoundHalfUp, documentTotals, lineAmounts } from "./totals";

describe("divRoundHalfUp", () => {
  it("rounds ties away from zero and everything else to nearest", () => {
    expect([5n, 15n, 25n, 14n, 16n].map((n) => divRoundHalfUp(n, 10n))).toEqual([1n, 2n, 3n, 1n, 2n]);
    expect(divRoundHalfUp(-15n, 10n)).toBe(-2n);
    expect(divRoundHalfUp(0n, 7n)).toBe(0n);
  });
});

describe("lineAmounts golden cases", () => {
  it("rounds a half-cent of tax up", () => {
    // 1 × €0.05 at 10% = 0.5 cent of tax → 1 cent
    expect(lineAmounts({ quantity: 1, unitPriceMinor: 5n, taxRateBp: 1000 })).toEqual({ grossMinor: 5n, discountMinor: 0n, netMinor: 5n, taxMinor: 1n, totalMinor: 6n });
    // 3 × €0.35 at 19% = 105 × 0.19 = 19.95 → 20
    expect(lineAmounts({ quantity: 3, unitPriceMinor: 35n, taxRateBp: 1900 }).taxMinor).toBe(20n);
    // 7 × €1.07 at 7% = 749 × 0.07 = 52.43 → 52
    expect(lineAmounts({ quantity: 7, unitPriceMinor: 107n, taxRateBp: 700 }).taxMinor).toBe(52n);
  });

  it("handles zero-tax lines and discounts", () => {
    expect(lineAmounts({ quantity: 10, unitPriceMinor: 1999n, taxRateBp: 0 })).toEqual({ grossMinor: 19990n, discountMinor: 0n, netMinor: 19990n, taxMinor: 0n, totalMinor: 19990n });
    // 2.5% off 19990 = 499.75 → 500
    expect(lineAmounts({ quantity: 10, unitPriceMinor: 1999n, taxRateBp: 1900, discountBp: 250 })).toEqual({ grossMinor: 19990n, discountMinor: 500n, netMinor: 19490n, taxMinor: 3703n, totalMinor: 23193n });
  });

  it("stays exact for large quantities and prices", () => {
    const l = lineAmounts({ quantity: 9_000_000, unitPriceMinor: 99_999_999_999n, taxRateBp: 1900 });
    expect(l.netMinor).toBe(899_999_999_991_000_000n);
    expect(l.taxMinor).toBe(170_999_999_998_290_000n);
    expect(l.totalMinor).toBe(1_070_999_999_989_290_000n);
  });
});

describe("documentTotals", () => {
  it("sums per rate", () => {
    const lines = [
      { ...lineAmounts({ quantity: 2, unitPriceMinor: 1000n, taxRateBp: 1900 }), taxRateBp: 1900 },
      { ...lineAmounts({ quantity: 1, unitPriceMinor: 500n, taxRateBp: 700 }), taxRateBp: 700 },
      { ...lineAmounts({ quantity: 1, unitPriceMinor: 333n, taxRateBp: 1900 }), taxRateBp: 1900 },
    ];
    expect(documentTotals(lines)).toEqual({
      subtotalMinor: 2833n,
      taxMinor: 380n + 35n + 63n,
      totalMinor: 2833n + 478n,
      taxByRate: [
        { taxRateBp: 700, netMinor: 500n, taxMinor: 35n },
        { taxRateBp: 1900, netMinor: 2333n, taxMinor: 443n },
      ],
    });
  });

  it("property: Σ lines = subtotal, subtotal + tax = total, Σ per-rate tax = tax", () => {
    const line = fc.record({
      quantity: fc.integer({ min: 0, max: 1_000_000 }),
      unitPriceMinor: fc.bigInt({ min: 0n, max: 10_000_000_000n }),
      taxRateBp: fc.constantFrom(0, 500, 700, 1900, 2000, 2500),
      discountBp: fc.integer({ min: 0, max: 10_000 }),
    });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 50 }), (input) => {
        const lines = input.map((l) => ({ ...lineAmounts(l), taxRateBp: l.taxRateBp }));
        const t = documentTotals(lines);
        expect(t.subtotalMinor).toBe(lines.reduce((s, l) => s + l.netMinor, 0n));
        expect(t.totalMinor).toBe(t.subtotalMinor + t.taxMinor);
        expect(t.totalMinor).toBe(lines.reduce((s, l) => s + l.totalMinor, 0n));
        expect(t.taxByRate.reduce((s, r) => s + r.taxMinor, 0n)).toBe(t.taxMinor);
        for (const l of lines) expect(l.netMinor >= 0n && l.taxMinor >= 0n).toBe(true);
      }),
    );
  });
});
