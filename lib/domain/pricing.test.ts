import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveUnitPrice, tierProblems, type PriceListForPricing, type ProductForPricing, type Tier } from "./pricing";

const product: ProductForPricing = {
  basePriceMinor: 1000n,
  currency: "EUR",
  baseTiers: [
    { minQuantity: 10, unitPriceMinor: 950n },
    { minQuantity: 50, unitPriceMinor: 900n },
  ],
};

const acme: PriceListForPricing = {
  id: "l1",
  name: "Acme 2026",
  currency: "EUR",
  validFrom: "2026-01-01",
  validTo: "2026-12-31",
  entry: { unitPriceMinor: 850n, tiers: [{ minQuantity: 100, unitPriceMinor: 800n }] },
};

describe("resolveUnitPrice", () => {
  it("uses the contract tier, then the contract price", () => {
    expect(resolveUnitPrice({ product, lists: [acme], quantity: 150, date: "2026-06-01" })).toMatchObject({
      unitPriceMinor: 800n,
      rule: "contract_tier",
      explanation: "Contract price, Acme 2026, 100+ tier",
    });
    expect(resolveUnitPrice({ product, lists: [acme], quantity: 60, date: "2026-06-01" })).toMatchObject({
      unitPriceMinor: 850n,
      rule: "contract",
      explanation: "Contract price, Acme 2026",
    });
  });

  it("falls back to base tiers and the base price outside the list's validity or without an entry", () => {
    expect(resolveUnitPrice({ product, lists: [acme], quantity: 60, date: "2027-01-01" })).toMatchObject({ unitPriceMinor: 900n, rule: "base_tier", explanation: "List price, 50+ tier" });
    expect(resolveUnitPrice({ product, lists: [{ ...acme, entry: null }], quantity: 3, date: "2026-06-01" })).toMatchObject({ unitPriceMinor: 1000n, rule: "base", explanation: "List price" });
  });

  it("picks the list that started last when several are valid", () => {
    const newer = { ...acme, id: "l2", name: "Acme mid-year", validFrom: "2026-07-01", entry: { unitPriceMinor: 700n, tiers: [] } };
    expect(resolveUnitPrice({ product, lists: [acme, newer], quantity: 1, date: "2026-08-01" }).priceListName).toBe("Acme mid-year");
    expect(resolveUnitPrice({ product, lists: [acme, newer], quantity: 1, date: "2026-06-30" }).priceListName).toBe("Acme 2026");
  });

  it("refuses a quantity below 1", () => {
    expect(() => resolveUnitPrice({ product, lists: [], quantity: 0, date: "2026-01-01" })).toThrow(RangeError);
  });
});

// Tier tables as the validation accepts them: thresholds ascending from 2, prices never rising.
const validTiers = (base: bigint) =>
  fc
    .uniqueArray(fc.integer({ min: 2, max: 10_000 }), { maxLength: 6 })
    .chain((qtys) =>
      fc.array(fc.bigInt({ min: 0n, max: 500n }), { minLength: qtys.length, maxLength: qtys.length }).map((drops) => {
        const sorted = [...qtys].sort((a, b) => a - b);
        let price = base;
        return sorted.map((minQuantity, i): Tier => {
          price = price - drops[i]! < 0n ? 0n : price - drops[i]!;
          return { minQuantity, unitPriceMinor: price };
        });
      }),
    );

const scenario = fc.bigInt({ min: 1n, max: 1_000_000n }).chain((base) =>
  fc.record({
    base: fc.constant(base),
    baseTiers: validTiers(base),
    contract: fc.option(fc.bigInt({ min: 0n, max: 1_000_000n }).chain((p) => fc.record({ price: fc.constant(p), tiers: validTiers(p) }))),
    q1: fc.integer({ min: 1, max: 20_000 }),
    q2: fc.integer({ min: 1, max: 20_000 }),
  }),
);

describe("resolveUnitPrice properties", () => {
  it("never charges more per unit for a larger quantity within one list", () => {
    fc.assert(
      fc.property(scenario, ({ base, baseTiers, contract, q1, q2 }) => {
        const p: ProductForPricing = { basePriceMinor: base, currency: "EUR", baseTiers };
        const lists: PriceListForPricing[] = contract
          ? [{ id: "l", name: "L", currency: "EUR", validFrom: "2026-01-01", validTo: null, entry: { unitPriceMinor: contract.price, tiers: contract.tiers } }]
          : [];
        const [small, large] = q1 <= q2 ? [q1, q2] : [q2, q1];
        const a = resolveUnitPrice({ product: p, lists, quantity: small, date: "2026-05-05" });
        const b = resolveUnitPrice({ product: p, lists, quantity: large, date: "2026-05-05" });
        expect(b.unitPriceMinor <= a.unitPriceMinor).toBe(true);
        expect(tierProblems(base, baseTiers)).toEqual([]);
      }),
    );
  });

  it("always explains itself by naming the rule that produced the price", () => {
    fc.assert(
      fc.property(scenario, ({ base, baseTiers, contract, q1 }) => {
        const lists: PriceListForPricing[] = contract
          ? [{ id: "l", name: "Contract X", currency: "EUR", validFrom: "2026-01-01", validTo: null, entry: { unitPriceMinor: contract.price, tiers: contract.tiers } }]
          : [];
        const r = resolveUnitPrice({ product: { basePriceMinor: base, currency: "EUR", baseTiers }, lists, quantity: q1, date: "2026-05-05" });
        const expected = {
          contract_tier: /^Contract price, Contract X, \d+\+ tier$/,
          contract: /^Contract price, Contract X$/,
          base_tier: /^List price, \d+\+ tier$/,
          base: /^List price$/,
        }[r.rule];
        expect(r.explanation).toMatch(expected);
        if (r.tierMinQuantity !== null) expect(r.explanation).toContain(`${r.tierMinQuantity}+ tier`);
      }),
    );
  });
});

describe("tierProblems", () => {
  it("names rising prices, duplicate and too-small thresholds", () => {
    expect(tierProblems(1000n, [{ minQuantity: 10, unitPriceMinor: 1100n }])).toEqual(["The 10+ tier costs more per unit than smaller quantities."]);
    expect(tierProblems(1000n, [{ minQuantity: 1, unitPriceMinor: 900n }])).toEqual(["Tier quantities start at 2 (got 1)."]);
    expect(tierProblems(1000n, [{ minQuantity: 5, unitPriceMinor: 900n }, { minQuantity: 5, unitPriceMinor: 800n }])).toEqual(["Two tiers start at 5."]);
  });
});
