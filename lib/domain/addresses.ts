// Addresses (issue 14): the printable form of a structured address and the ISO 3166-1 check.
// Pure code: the pages, the PDFs' snapshots and the seed all format through addressLines.

export type AddressParts = {
  label?: string;
  name: string;
  attention: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  region: string;
  country: string | null;
};

const regionNames = new Intl.DisplayNames(["en"], { type: "region", fallback: "none" });
// User-assigned and reserved codes that Intl still names ("ZZ" → "Unknown Region").
const notCountries = /^(AA|Q[M-Z]|X[A-Z]|ZZ|EU|EZ|UN)$/;

/** An ISO 3166-1 alpha-2 country code that names a country ("DE", "FR"), upper case. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !notCountries.test(code) && regionNames.of(code) !== undefined && !replaced(code);
}

/** A withdrawn code Intl maps to its successor (UK → GB, DD → DE, YU → RS): not offered, not accepted. */
function replaced(code: string): boolean {
  return Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`;
}

/** "Germany" for "DE"; the code itself when unknown. */
export function countryName(code: string | null): string {
  if (!code) return "";
  return (isCountryCode(code) && regionNames.of(code)) || code;
}

/** Countries for a select, by English name. */
export function countryOptions(): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  for (let a = 65; a <= 90; a++) {
    for (let b = 65; b <= 90; b++) {
      const code = String.fromCharCode(a, b);
      if (isCountryCode(code)) out.push({ code, name: regionNames.of(code)! });
    }
  }
  return out.sort((x, y) => x.name.localeCompare(y.name, "en"));
}

/**
 * The address as printed, one line per entry: addressee, attention, street lines, "postal code city",
 * region, country name. Empty parts are left out.
 */
export function addressLines(a: AddressParts): string[] {
  const cityLine = [a.postalCode, a.city].map((s) => s.trim()).filter(Boolean).join(" ");
  return [a.name, a.attention ? `Attn. ${a.attention}` : "", a.line1, a.line2, cityLine, a.region, countryName(a.country)]
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The address as one multi-line text (the documents' `address` field, companies.billing_address). */
export function addressText(a: AddressParts): string {
  return addressLines(a).join("\n");
}
