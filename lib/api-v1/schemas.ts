import { z } from "zod";
import { uuidString } from "@/lib/domain/ids";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";

// Wire shapes shared by every /api/v1 resource (the OpenAPI components they become carry these ids).
// Amounts travel as strings (JSON numbers are binary floats): the minor units exact, and the same
// amount as a decimal in the currency's major unit for people reading it.

export const moneySchema = z
  .object({
    amountMinor: z.string().regex(/^-?\d+$/).describe("Minor units (cents) as a string: exact."),
    amount: z.string().regex(/^-?\d+(\.\d+)?$/).describe("The same amount in the currency's major unit, e.g. \"1234.50\"."),
    currency: z.string().length(3).describe("ISO 4217 code."),
  })
  .meta({ id: "Money" });

/** An ISO 4217 currency code (three capital letters). */
export const currencySchema = z.string().regex(/^[A-Z]{3}$/, "currency is a three-letter ISO 4217 code in capitals, e.g. \"EUR\".");

export type MoneyJson = z.input<typeof moneySchema>;

export function money(minor: bigint | number | string, currency: string): MoneyJson {
  const value = BigInt(minor);
  return { amountMinor: value.toString(), amount: minorToDecimal(value, minorDigits(currency)), currency };
}

/** An instant as ISO 8601 with offset (always UTC, "Z"). */
export const instantSchema = z.iso.datetime({ offset: true });
export const instant = (d: Date) => d.toISOString();
export const optionalInstant = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A calendar date (YYYY-MM-DD). */
export const dateSchema = z.iso.date();

/** A cursor page of `item`: `nextCursor` null on the last page. */
export function pageOf<T extends z.ZodType>(item: T, id: string) {
  return z
    .object({ data: z.array(item), nextCursor: z.string().nullable().describe("Pass as `cursor` for the next page; null on the last page.") })
    .meta({ id });
}

/** The limit and cursor query parameters of every list (limit as text: it comes from the URL). */
export const pageQuery = {
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "limit is a whole number.")
    .transform(Number)
    .pipe(z.number().min(1, "limit is at least 1.").max(100, "limit is at most 100."))
    .optional(),
  cursor: z.string().max(200).optional(),
};

/** `{ id }` path parameters. */
export const idParams = z.object({ id: uuidString() });
