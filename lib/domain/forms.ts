import { z } from "zod";
import { isCalendarDate } from "./dates";
import { isUuid } from "./ids";

// Shared zod pieces for HTML form input (everything arrives as strings).

export const checkbox = z.preprocess((v) => v === "on" || v === "true" || v === true, z.boolean());

/**
 * NUL and the other C0/C1 control characters (and DEL); tab, line feed and carriage return are allowed, as
 * multi-line fields (notes, addresses) carry them. PostgreSQL refuses NUL in text with an error (a 500 before).
 */
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
export const controlCharactersProblem = "Remove control characters.";
export const hasNoControlCharacters = (text: string) => !controlCharacters.test(text);

export const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v ?? ""),
    z.string().max(max, `Use at most ${max} characters.`).refine(hasNoControlCharacters, controlCharactersProblem),
  );

export const requiredText = (label: string, max: number) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim() : v),
    z
      .string({ error: `${label} is required.` })
      .min(1, `${label} is required.`)
      .max(max, `Use at most ${max} characters.`)
      .refine(hasNoControlCharacters, controlCharactersProblem),
  );

const calendarDateProblem = "Enter a real date (yyyy-mm-dd).";
type DateBound = string | (() => string);
const boundValue = (b: DateBound) => (typeof b === "function" ? b() : b);

/**
 * A yyyy-mm-dd form date that exists on the calendar, optionally within [min, max] (yyyy-mm-dd, or a function
 * read at parse time, e.g. the seller's today). The one date schema of every service input.
 */
export const calendarDate = (options: { min?: DateBound; max?: DateBound; tooEarly?: string; tooLate?: string } = {}) =>
  z
    .string({ error: calendarDateProblem })
    .trim()
    .superRefine((text, ctx) => {
      // Aborting issues (continue: false), so an object's refine never compares a date that was refused.
      if (!isCalendarDate(text)) return void ctx.addIssue({ code: "custom", message: calendarDateProblem, continue: false });
      const min = options.min === undefined ? undefined : boundValue(options.min);
      const max = options.max === undefined ? undefined : boundValue(options.max);
      if (min !== undefined && text < min) ctx.addIssue({ code: "custom", message: options.tooEarly ?? `Enter a date on or after ${min}.`, continue: false });
      else if (max !== undefined && text > max) ctx.addIssue({ code: "custom", message: options.tooLate ?? `Enter a date on or before ${max}.`, continue: false });
    });

export const emailField = z.preprocess(
  (v) => (typeof v === "string" ? v.trim().toLowerCase() : v),
  z.email({ error: "Enter a valid email address." }).max(320),
);

export const uuidField = (label: string) => z.string({ error: `Choose a valid ${label}.` }).refine(isUuid, `Choose a valid ${label}.`);

/**
 * A whole quantity of at least `min`. One lower bound, so a negative entry gets one message (a second
 * `.min()` stacked on a shared field reported both "0 or more" and "at least 1").
 */
export const quantityField = (min: 0 | 1) =>
  z.coerce
    .number({ error: "Enter a quantity." })
    .int("Enter a whole quantity.")
    .min(min, min === 0 ? "Enter a quantity of 0 or more." : "Enter a quantity of at least 1.")
    .max(10_000_000, "Enter a quantity of at most 10,000,000.");
