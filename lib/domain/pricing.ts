// Unit price resolution: one pure function decides what a company pays for a product at a
// quantity on a date, and says why (issue 15: in the company's currency, converted from the base
// price at an exchange rate when it has no price in that currency). Order of rules:
//   1. the company's price list valid on that date: its volume tier for the quantity,
//   2. else that list's fixed contract price for the product,
//   3. else the product's base price tier for the quantity,
//   4. else the product's base price.

import { convertMinor, describeRate, rateBetween, type ExchangeRate } from "./currency";
import { formatMoney } from "./money";

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
  /** For people: "Contract price, Acme 2026, 100+ tier"; with a conversion, its rate, date and source. */
  explanation: string;
  /** Set when the price was converted from another currency (the base price) at an exchange rate. */
  conversion?: { fromCurrency: string; fromMinor: bigint; rate: ExchangeRate };
  /** Set when a conversion was needed but no rate was found: the price is left in its own currency. */
  rateMissing?: { from: string; to: string };
};

/**
 * The currency the company buys in and the exchange rates known on the pricing date (the latest on or
 * before it, per direction: ratesOnOrBefore). A price in another currency is converted at them.
 */
export type Conversion = { currency: string; rates: readonly ExchangeRate[] };

/**
 * The rate between `from` (the seller's currency) and the conversion's currency, as a document keeps
 * it (quotations and invoices snapshot it for reports); null in the same currency or without a rate.
 */
export function snapshotRate(conversion: Conversion | null | undefined, from: string): ExchangeRate | null {
  if (!conversion || conversion.currency === from) return null;
  const to = conversion.currency;
  const find = (base: string, quote: string) => conversion.rates.find((r) => r.base === base && r.quote === quote) ?? null;
  return rateBetween(from, to, find(from, to), find(to, from))?.used ?? null;
}

/** The price in `conversion.currency`: unchanged when already in it, converted and explained otherwise. */
export function convertPrice(price: ResolvedPrice, conversion: Conversion | null | undefined): ResolvedPrice {
  if (!conversion || price.currency === conversion.currency) return price;
  const from = price.currency;
  const to = conversion.currency;
  const find = (base: string, quote: string) => conversion.rates.find((r) => r.base === base && r.quote === quote) ?? null;
  const found = rateBetween(from, to, find(from, to), find(to, from));
  if (!found) return { ...price, rateMissing: { from, to } };
  return {
    ...price,
    unitPriceMinor: convertMinor(price.unitPriceMinor, from, to, found.rate),
    currency: to,
    conversion: { fromCurrency: from, fromMinor: price.unitPriceMinor, rate: found.used },
    explanation: `${price.explanation}, converted from ${formatMoney(price.unitPriceMinor, from)} at ${describeRate(found.used)}`,
  };
}

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
  /** The company's currency and the rates of the date; without it the price stays in its own currency. */
  conversion?: Conversion | null;
}): ResolvedPrice {
  return convertPrice(resolveInOwnCurrency(args), args.conversion);
}

function resolveInOwnCurrency(args: { product: ProductForPricing; lists: readonly PriceListForPricing[]; quantity: number; date: string }): ResolvedPrice {
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
