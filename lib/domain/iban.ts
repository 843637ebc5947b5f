import { z } from "zod";

// IBANs (ISO 13616): two letters of the country, two check digits, up to 30 letters and digits of
// the account. The check digits make a mistyped IBAN detectable: moved to the end and with letters
// as numbers (A = 10 … Z = 35), the whole is 1 modulo 97.

/** The shape every IBAN has, whatever its country (the database's CHECK says the same). */
export const IBAN_PATTERN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

/** As it is stored and compared: no spaces, upper case ("de89 3704 0044 0532 0130 00" → "DE89370400440532013000"). */
export function normaliseIban(input: string): string {
  return input.replace(/\s+/g, "").toUpperCase();
}

function mod97(text: string): number {
  let rest = 0;
  for (const c of text) {
    const digits = c >= "A" && c <= "Z" ? String(c.charCodeAt(0) - 55) : c;
    for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  }
  return rest;
}

/** Whether a normalised IBAN has the shape of one and its check digits fit (mod 97). */
export function isValidIban(iban: string): boolean {
  return IBAN_PATTERN.test(iban) && mod97(iban.slice(4) + iban.slice(0, 4)) === 1;
}

/** "DE89 3704 0044 0532 0130 00": groups of four, for reading. */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, "$1 ");
}

export const ibanProblem = "Enter a valid IBAN (such as DE89 3704 0044 0532 0130 00); its check digits do not fit.";

/** A form's IBAN: normalised, checked; an empty field is "not given" (undefined). */
export const optionalIbanField = z.preprocess(
  (v) => (typeof v === "string" ? (normaliseIban(v) === "" ? undefined : normaliseIban(v)) : v ?? undefined),
  z.string({ error: ibanProblem }).max(34, ibanProblem).refine(isValidIban, ibanProblem).optional(),
);

/** The IBAN of a country's account number (BBAN), check digits computed ("DE", "370400440532013000" → "DE89…"). */
export function ibanOf(country: string, bban: string): string {
  const body = normaliseIban(bban);
  const check = 98 - mod97(body + country.toUpperCase() + "00");
  return `${country.toUpperCase()}${String(check).padStart(2, "0")}${body}`;
}
