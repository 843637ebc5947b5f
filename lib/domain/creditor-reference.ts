// ISO 11649 "RF" structured creditor references: RF + two check digits + up to 21 alphanumerics.
// The check digits make a mistyped reference detectable (mod 97, as for IBANs).

function toDigits(text: string): string {
  return [...text.toUpperCase()].map((c) => (c >= "A" && c <= "Z" ? String(c.charCodeAt(0) - 55) : c)).join("");
}

function mod97(digits: string): number {
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest;
}

/** RF reference for a payment reference body such as an invoice number ("INV-2026-000042" → "RF…INV2026000042"). */
export function creditorReference(body: string): string {
  const clean = body.toUpperCase().replace(/[^A-Z0-9]/g, "");
  if (clean.length === 0 || clean.length > 21) throw new RangeError("a creditor reference holds 1 to 21 letters and digits");
  const check = 98 - mod97(toDigits(clean + "RF00"));
  return `RF${String(check).padStart(2, "0")}${clean}`;
}

/** Normalises a typed reference ("rf18 5390 0754 7034" → "RF18539007547034"), or null if it is not a valid one. */
export function parseCreditorReference(input: string): string | null {
  const compact = input.toUpperCase().replace(/\s+/g, "");
  if (!/^RF\d{2}[A-Z0-9]{1,21}$/.test(compact)) return null;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  return mod97(toDigits(rearranged)) === 1 ? compact : null;
}

/** "RF18 5390 0754 7034": groups of four, as printed on invoices. */
export function formatCreditorReference(ref: string): string {
  return ref.replace(/(.{4})(?=.)/g, "$1 ");
}
