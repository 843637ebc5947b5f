// Unit price resolution: one pure function decides what a company pays for a product at a
// quantity on a date, and says why. Order of rules:
//   1. the company's price list valid on that date: its volume tier for the quantity,
//   2. else that list's fixed contract price for the product,
//   3. else the product's base price tier for the quantity,
//   4. else the product's base price.

export type Tier = { minQuantity: number; unitPriceMinor: bigint };

export type PriceListForPricing = {
  id: string;
  name: string;
  currency: string;
  validFrom: string; // ISO date, inclusive
  validTo: string | null; // ISO date, inclusive
  /** This list's entry for the product, if it has one. */
  entry: { unitPriceMinor: bigint; tiers: Tier[] } | null;
};

export type ProductForPricing = {
  basePriceMinor: bigint;
  currency: string;
  baseTiers: Tier[];
};

export type PriceRule = "contract_tier" | "contract" | "base_tier" | "base";

export type ResolvedPrice = {
  unitPriceMinor: bigint;
  currency: string;
  rule: PriceRule;
  priceListId: string | null;
  priceListName: string | null;
  tierMinQuantity: number | null;
  /** For people: "Contract price, Acme 2026, 100+ tier". */
  explanation: string;
};

/** The highest tier whose threshold the quantity reaches. */
export function tierFor(tiers: readonly Tier[], quantity: number): Tier | null {
  let best: Tier | null = null;
  for (const t of tiers) if (quantity >= t.minQuantity && (!best || t.minQuantity > best.minQuantity)) best = t;
  return best;
}

/** The list valid on `date` (ISO yyyy-mm-dd); with several, the one that started last (then by name). */
export function activeList<L extends Pick<PriceListForPricing, "validFrom" | "validTo" | "name">>(lists: readonly L[], date: string): L | null {
  const valid = lists.filter((l) => l.validFrom <= date && (l.validTo === null || date <= l.validTo));
  valid.sort((a, b) => (a.validFrom === b.validFrom ? a.name.localeCompare(b.name) : a.validFrom < b.validFrom ? 1 : -1));
  return valid[0] ?? null;
}

export function resolveUnitPrice(args: {
  product: ProductForPricing;
  lists: readonly PriceListForPricing[];
  quantity: number;
  date: string;
}): ResolvedPrice {
  const { product, quantity, date } = args;
  if (!Number.isInteger(quantity) || quantity < 1) throw new RangeError("quantity must be a positive integer");
  const list = activeList(args.lists, date);
  if (list?.entry) {
    const tier = tierFor(list.entry.tiers, quantity);
    if (tier) {
      return {
        unitPriceMinor: tier.unitPriceMinor,
        currency: list.currency,
        rule: "contract_tier",
        priceListId: list.id,
        priceListName: list.name,
        tierMinQuantity: tier.minQuantity,
        explanation: `Contract price, ${list.name}, ${tier.minQuantity}+ tier`,
      };
    }
    return {
      unitPriceMinor: list.entry.unitPriceMinor,
      currency: list.currency,
      rule: "contract",
      priceListId: list.id,
      priceListName: list.name,
      tierMinQuantity: null,
      explanation: `Contract price, ${list.name}`,
    };
  }
  const tier = tierFor(product.baseTiers, quantity);
  if (tier) {
    return {
      unitPriceMinor: tier.unitPriceMinor,
      currency: product.currency,
      rule: "base_tier",
      priceListId: null,
      priceListName: null,
      tierMinQuantity: tier.minQuantity,
      explanation: `List price, ${tier.minQuantity}+ tier`,
    };
  }
  return {
    unitPriceMinor: product.basePriceMinor,
    currency: product.currency,
    rule: "base",
    priceListId: null,
    priceListName: null,
    tierMinQuantity: null,
    explanation: "List price",
  };
}

/**
 * Problems with a tier table, given the price that applies below the first tier: thresholds must
 * be above 1 and distinct, and a larger quantity may never cost more per unit.
 */
export function tierProblems(basePriceMinor: bigint, tiers: readonly Tier[]): string[] {
  const problems: string[] = [];
  const sorted = [...tiers].sort((a, b) => a.minQuantity - b.minQuantity);
  let previous = basePriceMinor;
  let previousQty = 1;
  for (const t of sorted) {
    if (!Number.isInteger(t.minQuantity) || t.minQuantity < 2) problems.push(`Tier quantities start at 2 (got ${t.minQuantity}).`);
    else if (t.minQuantity === previousQty) problems.push(`Two tiers start at ${t.minQuantity}.`);
    if (t.unitPriceMinor < 0n) problems.push(`The ${t.minQuantity}+ tier has a negative price.`);
    if (t.unitPriceMinor > previous) problems.push(`The ${t.minQuantity}+ tier costs more per unit than smaller quantities.`);
    previous = t.unitPriceMinor;
    previousQty = t.minQuantity;
  }
  return problems;
}
