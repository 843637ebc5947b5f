import "server-only";
import { z } from "zod";
import type { Company } from "@/db/schema";
import type { Tx } from "@/db/client";
import { companyIdByName, getCompany, insertCompanyRow, updateCompanyRow } from "@/db/queries/companies";
import { notFound } from "@/lib/domain/errors";
import { FieldProblems } from "@/lib/domain/field-problems";
import { checkbox, optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { env } from "@/lib/env";
import { defineMutation } from "@/lib/mutation";

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const companyFields = z.object({
  name: requiredText("Name", 200),
  // The billing address is the address book's (lib/services/addresses.ts, issue 14), not a field here.
  taxId: optionalText(50),
  paymentTermsDays: z.coerce
    .number({ error: "Enter a number of days." })
    .int("Enter whole days.")
    .min(0, "Payment terms cannot be negative.")
    .max(365, "Payment terms are at most 365 days."),
  // The exact number of decimals depends on the currency (checked with it in creditLimitMinor).
  creditLimit: z
    .string()
    .trim()
    .regex(/^(\d[\d,_ ]*(\.\d{1,3})?)?$/, "Enter an amount such as 25000 or 25000.00."),
  currency: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toUpperCase() : undefined),
    z.string().regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.").optional(),
  ),
  timeZone: z
    .string()
    .trim()
    .default("UTC")
    .refine(isTimeZone, "Use an IANA time zone such as Europe/Berlin."),
  active: checkbox.default(true),
  quoteValidityDays: z.preprocess(
    (v) => (v === "" || v === undefined ? "14" : v),
    z.coerce.number({ error: "Enter a number of days." }).int("Enter whole days.").min(1, "Quotations are valid at least 1 day.").max(365, "At most 365 days."),
  ),
  requiresPoNumber: checkbox.default(false),
});

/** The typed credit limit in minor units of the company's currency (¥ has no decimals, KWD three). */
function creditLimitMinor(problems: FieldProblems, text: string, currency: string): bigint {
  const minor = parseMoneyInput(text === "" ? "0" : text, minorDigits(currency));
  if (minor === null || minor < 0n) {
    problems.add("creditLimit", `Enter an amount in ${currency}, such as 25000${minorDigits(currency) ? "." + "0".repeat(minorDigits(currency)) : ""}.`);
    return 0n;
  }
  return minor;
}

type CompanyInput = z.output<typeof companyFields>;

/** The columns to write, after the checks that need the database; all problems are reported together. */
async function checkedValues(tx: Tx, input: CompanyInput, exceptId?: string) {
  const problems = new FieldProblems();
  if (await companyIdByName(tx, input.name, exceptId)) problems.add("name", "A company with this name already exists.");
  const currency = input.currency ?? env().DEFAULT_CURRENCY;
  const creditLimit = creditLimitMinor(problems, input.creditLimit, currency);
  problems.throwIfAny();
  return {
    name: input.name,
    taxId: input.taxId,
    paymentTermsDays: input.paymentTermsDays,
    creditLimitMinor: creditLimit,
    currency,
    timeZone: input.timeZone,
    active: input.active,
    quoteValidityDays: input.quoteValidityDays,
    requiresPoNumber: input.requiresPoNumber,
  };
}

export type CompanySummary = { id: string; name: string; active: boolean };
const summary = (c: Company): CompanySummary => ({ id: c.id, name: c.name, active: c.active });

export const createCompany = defineMutation({
  name: "company.create",
  entityType: "company",
  permission: "companies.manage",
  idempotent: true,
  input: companyFields,
  async run(ctx, input) {
    const company = await insertCompanyRow(ctx.tx, await checkedValues(ctx.tx, input));
    await ctx.audit({ action: "company.create", entityType: "company", entityId: company.id, companyId: company.id, after: company });
    return summary(company);
  },
});

export const updateCompany = defineMutation({
  name: "company.update",
  entityType: "company",
  permission: "companies.manage",
  input: companyFields.extend({ id: uuidField("company"), active: checkbox }),
  async run(ctx, input) {
    const before = await getCompany(ctx.tx, input.id, { lock: true });
    if (!before) throw notFound("Company", { entityType: "company", entityId: input.id });
    const after = await updateCompanyRow(ctx.tx, input.id, await checkedValues(ctx.tx, input, input.id));
    await ctx.audit({ action: "company.update", entityType: "company", entityId: input.id, companyId: input.id, before, after });
    return summary(after);
  },
});
