import "server-only";
import { z } from "zod";
import { upsertExchangeRates, type RateWrite } from "@/db/queries/exchange-rates";
import { isKnownCurrency, normalizeRate, parseRate } from "@/lib/domain/currency";
import { parseEcbRates } from "@/lib/domain/currency-ecb";
import { DomainError } from "@/lib/domain/errors";
import { calendarDate } from "@/lib/domain/forms";
import { env } from "@/lib/env";
import { defineMutation } from "@/lib/mutation";
import { sellerToday } from "@/lib/time-zone";

export const MAX_RATES_FILE_BYTES = 5 * 1024 * 1024;
const MAX_REPORTED_PROBLEMS = 100;

const currencyCode = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z
      .string({ error: `Enter the ${label} currency.` })
      .regex(/^[A-Z]{3}$/, { error: "Use a three-letter ISO 4217 code such as USD.", abort: true })
      .refine(isKnownCurrency, "This is not a known ISO 4217 currency code."),
  );

/** A rate is for a day that has happened (on the seller's calendar); rates for tomorrow are a typo. */
const rateDate = calendarDate({ min: "2000-01-01", max: () => sellerToday(), tooLate: "A rate cannot be dated in the future." });

export type RatesRecorded = { added: number; changed: number; unchanged: number };

export const recordExchangeRate = defineMutation({
  name: "exchange_rate.record",
  entityType: "exchange_rate",
  permission: "exchange_rates.manage",
  idempotent: true,
  input: z
    .object({
      base: z.preprocess((v) => (v === undefined || v === "" ? env().DEFAULT_CURRENCY : v), currencyCode("base")),
      quote: currencyCode("quote"),
      rate: z
        .string({ error: "Enter the rate." })
        .trim()
        .refine((t) => parseRate(t) !== null, "Enter a positive decimal such as 1.0832 (up to 10 decimals)."),
      rateDate,
    })
    .refine((v) => v.base !== v.quote, { path: ["quote"], message: "Choose a currency other than the base currency." }),
  async run(ctx, input): Promise<RatesRecorded & { rate: string }> {
    const row: RateWrite = { base: input.base, quote: input.quote, rate: normalizeRate(input.rate), rateDate: input.rateDate, source: "manual" };
    const [written] = await upsertExchangeRates(ctx.tx, [row], ctx.actor.id);
    if (written) {
      await ctx.audit({
        action: written.before === null ? "exchange_rate.record" : "exchange_rate.correct",
        entityType: "exchange_rate",
        entityId: `${row.base}/${row.quote}/${row.rateDate}/manual`,
        before: written.before === null ? null : { rate: written.before },
        after: row,
      });
    }
    return { rate: row.rate, added: written && written.before === null ? 1 : 0, changed: written && written.before !== null ? 1 : 0, unchanged: written ? 0 : 1 };
  },
});

/**
 * Imports an ECB reference rates file (eurofxref-daily.xml, eurofxref-hist.xml, eurofxref.csv,
 * eurofxref-hist.csv). The whole file is checked first: with any problem nothing is stored.
 */
export const importExchangeRates = defineMutation({
  name: "exchange_rate.import",
  entityType: "exchange_rate",
  permission: "exchange_rates.manage",
  idempotent: true,
  input: z.object({
    file: z.string({ error: "Choose a rates file." }).min(1, "Choose a rates file.").max(MAX_RATES_FILE_BYTES, "The file is larger than 5 MB."),
  }),
  async run(ctx, input): Promise<RatesRecorded & { dates: string[] }> {
    const parsed = parseEcbRates(input.file);
    const today = sellerToday();
    for (const r of parsed.rates) if (r.rateDate > today) parsed.problems.push(`${r.quote} on ${r.rateDate}: the date is in the future.`);
    if (parsed.problems.length > 0) {
      const shown = parsed.problems.slice(0, MAX_REPORTED_PROBLEMS);
      if (parsed.problems.length > shown.length) shown.push(`…and ${parsed.problems.length - shown.length} more problems.`);
      throw new DomainError("validation_failed", `The file has ${parsed.problems.length === 1 ? "a problem" : `${parsed.problems.length} problems`}; nothing was imported.`, { fieldErrors: { file: shown } });
    }
    const rows = parsed.rates.map((r) => ({ ...r, source: "ECB" }));
    const written = await upsertExchangeRates(ctx.tx, rows, ctx.actor.id);
    const added = written.filter((w) => w.before === null).length;
    const changed = written.length - added;
    const dates = [...new Set(rows.map((r) => r.rateDate))].sort();
    await ctx.audit({
      action: "exchange_rate.import",
      entityType: "exchange_rate",
      entityId: `ECB/${dates[0]}..${dates.at(-1)}`,
      after: { format: parsed.format, rates: rows.length, added, changed, unchanged: rows.length - written.length, dates: dates.length > 10 ? [dates[0], dates.at(-1)] : dates, corrections: written.filter((w) => w.before !== null).map((w) => ({ pair: `${w.base}/${w.quote}`, date: w.rateDate, before: w.before, after: w.rate })) },
    });
    return { added, changed, unchanged: rows.length - written.length, dates };
  },
});
