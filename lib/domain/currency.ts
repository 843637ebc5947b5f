// Exchange rates and conversion. A rate is an exact decimal ("1.0832": 1 base = 1.0832 quote), kept as a
// rational of bigints so that no conversion ever goes through a float. Conversions round half away from
// zero to the target currency's minor unit (JPY 0 decimals, KWD 3), in this one function.
import { minorDigits } from "./money";
import { divRoundHalfUp } from "./totals";

/** An exchange rate as the exact fraction numerator / denominator (both > 0). */
export type Rational = { numerator: bigint; denominator: bigint };

export type ExchangeRate = {
  base: string;
  quote: string;
  /** 1 base = rate quote, as the decimal text it was entered or imported with ("1.0832"). */
  rate: string;
  /** ISO date the rate is for. */
  rateDate: string;
  /** Where it came from: "ECB", "manual". */
  source: string;
};

/** Up to 12 significant digits before and 10 after the point: numeric(22,10) in the table. */
export const RATE_PATTERN = /^(\d{1,12})(?:\.(\d{1,10}))?$/;

/** "1.0832" as 10832/10000; null for anything that is not a positive plain decimal. */
export function parseRate(text: string): Rational | null {
  const m = RATE_PATTERN.exec(text.trim());
  if (!m) return null;
  const frac = m[2] ?? "";
  const numerator = BigInt(m[1]! + frac);
  if (numerator === 0n) return null;
  return { numerator, denominator: 10n ** BigInt(frac.length) };
}

/** A rate's decimal text without trailing zeros ("1.08320000" → "1.0832", "160.0" → "160"). */
export function normalizeRate(text: string): string {
  const r = parseRate(text);
  if (!r) throw new RangeError(`Not an exchange rate: ${text}`);
  const t = text.trim();
  return t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "").replace(/^0+(?=\d)/, "") : t.replace(/^0+(?=\d)/, "");
}

/** The inverse of a rate (USD→EUR from EUR→USD), still exact. */
export function invert(r: Rational): Rational {
  return { numerator: r.denominator, denominator: r.numerator };
}

/**
 * How many `to` minor units `minor` units of `from` are worth at `rate` (1 from = rate to), rounded half
 * away from zero to the minor unit of `to`. Exact: 1999 EUR cents at 1.0832 are 2165.3168 US cents → 2165.
 */
export function convertMinor(minor: bigint, from: string, to: string, rate: Rational): bigint {
  const shift = minorDigits(to) - minorDigits(from);
  const num = minor * rate.numerator * (shift > 0 ? 10n ** BigInt(shift) : 1n);
  const den = rate.denominator * (shift < 0 ? 10n ** BigInt(-shift) : 1n);
  return divRoundHalfUp(num, den);
}

/**
 * The rate that turns `from` into `to` among rates for the pair in either direction: a direct rate
 * (base = from) as stored, or an inverted one (base = to). Null when neither is given.
 */
export function rateBetween(from: string, to: string, direct: ExchangeRate | null, inverse: ExchangeRate | null): { rate: Rational; used: ExchangeRate; inverted: boolean } | null {
  // The newer of the two wins; on the same date the direct one (no division).
  const pick = direct && (!inverse || direct.rateDate >= inverse.rateDate) ? direct : inverse;
  if (!pick) return null;
  const r = parseRate(pick.rate);
  if (!r) return null;
  const inverted = pick.base !== from;
  if (pick.base !== (inverted ? to : from) || pick.quote !== (inverted ? from : to)) return null;
  return { rate: inverted ? invert(r) : r, used: pick, inverted };
}

/** "1 EUR = 1.0832 USD (ECB, 2026-12-03)": how documents and price explanations name a rate. */
export function describeRate(r: ExchangeRate): string {
  return `1 ${r.base} = ${normalizeRate(r.rate)} ${r.quote} (${r.source}, ${r.rateDate})`;
}

/** ISO 4217 codes the platform knows (Intl's list), for form validation. */
export function isKnownCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false;
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  return supported ? supported("currency").includes(code) : true;
}

/** A document's snapshot columns (fx_*) as the rate it used; null for a document without one. */
export function documentFx(doc: { fxBase: string | null; fxQuote: string | null; fxRate: string | null; fxRateDate: string | null; fxSource: string | null }): ExchangeRate | null {
  if (doc.fxBase === null || doc.fxQuote === null || doc.fxRate === null || doc.fxRateDate === null || doc.fxSource === null) return null;
  return { base: doc.fxBase, quote: doc.fxQuote, rate: normalizeRate(doc.fxRate), rateDate: doc.fxRateDate, source: doc.fxSource };
}

/**
 * A document's amount in the seller's currency at the rate the document kept (reports' converted totals):
 * the amount itself in the seller's currency, null when the document kept no rate between the two.
 */
export function toSellerCurrency(minor: bigint, currency: string, seller: string, fx: ExchangeRate | null): bigint | null {
  if (currency === seller) return minor;
  if (!fx) return null;
  const r = parseRate(fx.rate);
  if (!r) return null;
  if (fx.base === seller && fx.quote === currency) return convertMinor(minor, currency, seller, invert(r));
  if (fx.base === currency && fx.quote === seller) return convertMinor(minor, currency, seller, r);
  return null;
}
