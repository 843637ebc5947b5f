// Money is an integer number of minor units (bigint) with an ISO 4217 currency. No floats anywhere.

const minorDigitsCache = new Map<string, number>();

/** Minor-unit digits of a currency (EUR 2, JPY 0, KWD 3), from the platform's ICU data. */
export function minorDigits(currency: string): number {
  let d = minorDigitsCache.get(currency);
  if (d === undefined) {
    d = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
    minorDigitsCache.set(currency, d);
  }
  return d;
}

/**
 * The largest amount any field takes, in minor units (9,999,999,999,999.99 in a two-decimal currency):
 * larger is a typo, and sums of many such amounts must still fit PostgreSQL's bigint.
 */
export const MAX_AMOUNT_MINOR = 999_999_999_999_999n;

/**
 * Parses a typed amount ("25000", "25,000.50", "1234.5") into minor units with `digits` decimals.
 * Returns null for anything that is not a plain decimal number or has too many decimals.
 * Thousands separators (",", space, "_") are only read where they group the whole part in threes
 * ("1,234,567.5", "1 000"); "1,,0", "1,2,3" or a separator among the decimals are refused, not read as 10 or 123.
 * Beyond ±MAX_AMOUNT_MINOR it is null too.
 */
export function parseMoneyInput(text: string, digits = 2): bigint | null {
  const shape = /^(-?)(\d+|\d{1,3}(?:[,\s_]\d{3})+)(?:\.(\d*))?$/.exec(text.trim());
  if (!shape) return null;
  const cleaned = `${shape[1]}${shape[2]!.replace(/[,\s_]/g, "")}${shape[3] === undefined ? "" : `.${shape[3]}`}`;
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(cleaned);
  if (!m) return null;
  const [, sign, whole, rawFrac = ""] = m;
  // "25000.00" is a valid yen amount: only decimals beyond the currency's that are not zero are refused.
  const frac = rawFrac.length > digits && /^0*$/.test(rawFrac.slice(digits)) ? rawFrac.slice(0, digits) : rawFrac;
  if (frac.length > digits) return null;
  const minor = BigInt(whole!) * 10n ** BigInt(digits) + BigInt(frac.padEnd(digits, "0") || "0");
  if (minor > MAX_AMOUNT_MINOR) return null;
  return sign === "-" ? -minor : minor;
}

/** Minor units as a plain decimal string ("250000" → "2500.00"), exact for any size. */
export function minorToDecimal(minor: bigint, digits = 2): string {
  const negative = minor < 0n;
  const abs = negative ? -minor : minor;
  const base = 10n ** BigInt(digits);
  const whole = abs / base;
  const frac = (abs % base).toString().padStart(digits, "0");
  return `${negative ? "-" : ""}${whole}${digits > 0 ? `.${frac}` : ""}`;
}

/** Display formatting; the one place money becomes text for people. */
// Building an Intl.NumberFormat costs ~18 µs; matching a 10,000-line statement formats thousands of amounts.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatMoney(minor: bigint, currency: string, locale = "en-GB"): string {
  const digits = minorDigits(currency);
  // Intl accepts a decimal string, so large amounts are never squeezed through a float.
  const decimal = minorToDecimal(minor, digits) as unknown as number;
  const key = `${locale}|${currency}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits });
    formatters.set(key, format);
  }
  return format.format(decimal);
}
