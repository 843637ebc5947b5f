import "server-only";
import { z } from "zod";
import type { PriceList } from "@/db/schema";
import type { Tx } from "@/db/client";
import { companyBrief } from "@/db/queries/companies";
import {
  assignPriceList,
  deletePriceListEntry,
  insertPriceList,
  lockPriceList,
  priceListEntryWithTiers,
  priceListIdByName,
  unassignPriceList,
  updatePriceListRow,
  upsertPriceListEntryRow,
} from "@/db/queries/price-lists";
import { productIdBySku } from "@/db/queries/products";
import { parseTierText } from "@/lib/domain/catalog";
import { fieldError, notFound } from "@/lib/domain/errors";
import { FieldProblems } from "@/lib/domain/field-problems";
import { calendarDate, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { tierProblems } from "@/lib/domain/pricing";
import { env } from "@/lib/env";
import { defineMutation } from "@/lib/mutation";
import { tiersForAudit } from "./products";


const priceListFields = z
  .object({
    name: requiredText("Name", 200),
    currency: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toUpperCase() : undefined),
      z.string().regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.").optional(),
    ),
    validFrom: calendarDate(),
    validTo: z.preprocess((v) => (v === "" ? null : v), calendarDate().nullable()).default(null),
  })
  .refine((v) => v.validTo === null || v.validTo >= v.validFrom, { path: ["validTo"], message: "The end must be on or after the start." });

async function assertNameFree(tx: Tx, name: string, exceptId?: string) {
  if (await priceListIdByName(tx, name, exceptId)) throw fieldError("name", "A price list with this name already exists.");
}

async function lockList(tx: Tx, id: string): Promise<PriceList> {
  const list = await lockPriceList(tx, id);
  if (!list) throw notFound("Price list", { entityType: "price_list", entityId: id });
  return list;
}

export const createPriceList = defineMutation({
  name: "price_list.create",
  entityType: "price_list",
  permission: "pricing.manage",
  idempotent: true,
  input: priceListFields,
  async run(ctx, input) {
    await assertNameFree(ctx.tx, input.name);
    const list = await insertPriceList(ctx.tx, { ...input, currency: input.currency ?? env().DEFAULT_CURRENCY });
    await ctx.audit({ action: "price_list.create", entityType: "price_list", entityId: list.id, after: list });
    return { id: list.id, name: list.name };
  },
});

export const updatePriceList = defineMutation({
  name: "price_list.update",
  entityType: "price_list",
  permission: "pricing.manage",
  input: z.intersection(z.object({ id: uuidField("price list") }), priceListFields),
  async run(ctx, input) {
    const before = await lockList(ctx.tx, input.id);
    await assertNameFree(ctx.tx, input.name, input.id);
    const after = await updatePriceListRow(ctx.tx, input.id, {
      name: input.name,
      currency: input.currency ?? before.currency,
      validFrom: input.validFrom,
      validTo: input.validTo,
    });
    await ctx.audit({ action: "price_list.update", entityType: "price_list", entityId: input.id, before, after });
    return { id: after.id, name: after.name };
  },
});

/** Sets a product's contract price and tiers on a list (creates or replaces the entry). */
export const upsertPriceListEntry = defineMutation({
  name: "price_list.set_entry",
  entityType: "price_list",
  permission: "pricing.manage",
  input: z.object({
    priceListId: uuidField("price list"),
    sku: requiredText("SKU", 64),
    unitPrice: z.string().trim().min(1, "Enter the contract price."),
    tiers: z.string().default(""),
  }),
  async run(ctx, input) {
    const list = await lockList(ctx.tx, input.priceListId);
    // Every field is checked before any is reported, so the form shows all the problems at once.
    const problems = new FieldProblems();
    const product = await productIdBySku(ctx.tx, input.sku);
    if (!product) problems.add("sku", `No product has SKU ${input.sku}.`);
    const unitPriceMinor = parseMoneyInput(input.unitPrice, minorDigits(list.currency));
    if (unitPriceMinor === null || unitPriceMinor < 0n) problems.add("unitPrice", "Enter a price such as 12.50.");
    const parsed = parseTierText(input.tiers, list.currency);
    if ("error" in parsed) problems.add("tiers", parsed.error);
    else if (unitPriceMinor !== null && unitPriceMinor >= 0n) {
      const tierProblem = tierProblems(unitPriceMinor, parsed.tiers)[0];
      if (tierProblem) problems.add("tiers", tierProblem);
    }
    if (!product || unitPriceMinor === null || "error" in parsed || !problems.empty) throw problems.error();

    const existing = await priceListEntryWithTiers(ctx.tx, list.id, product.id);
    const entry = await upsertPriceListEntryRow(ctx.tx, { priceListId: list.id, productId: product.id, unitPriceMinor, tiers: parsed.tiers });
    await ctx.audit({
      action: "price_list.set_entry",
      entityType: "price_list",
      entityId: list.id,
      before: existing ? { sku: product.sku, unitPriceMinor: existing.entry.unitPriceMinor, tiers: tiersForAudit(existing.tiers) } : null,
      after: { sku: product.sku, unitPriceMinor, tiers: tiersForAudit(parsed.tiers) },
    });
    return { entryId: entry.id };
  },
});

export const removePriceListEntry = defineMutation({
  name: "price_list.remove_entry",
  entityType: "price_list",
  permission: "pricing.manage",
  input: z.object({ priceListId: uuidField("price list"), entryId: uuidField("entry") }),
  async run(ctx, input) {
    await lockList(ctx.tx, input.priceListId);
    const removed = await deletePriceListEntry(ctx.tx, input.priceListId, input.entryId);
    if (!removed) throw notFound("Price list entry");
    await ctx.audit({ action: "price_list.remove_entry", entityType: "price_list", entityId: input.priceListId, before: { productId: removed.productId, unitPriceMinor: removed.unitPriceMinor } });
    return { removed: true };
  },
});

export const setPriceListAssignment = defineMutation({
  name: "price_list.assign",
  entityType: "price_list",
  permission: "pricing.manage",
  input: z.object({
    priceListId: uuidField("price list"),
    companyId: uuidField("company"),
    assigned: z.enum(["true", "false"]).transform((v) => v === "true"),
  }),
  async run(ctx, input) {
    const list = await lockList(ctx.tx, input.priceListId);
    const company = await companyBrief(ctx.tx, input.companyId);
    if (!company) throw fieldError("companyId", "Choose an existing company.");
    if (input.assigned && company.currency !== list.currency) {
      throw fieldError("companyId", `${company.name} is invoiced in ${company.currency}; this list is in ${list.currency}.`);
    }
    if (input.assigned) {
      await assignPriceList(ctx.tx, company.id, list.id);
    } else {
      await unassignPriceList(ctx.tx, company.id, list.id);
    }
    await ctx.audit({
      action: input.assigned ? "price_list.assign" : "price_list.unassign",
      entityType: "price_list",
      entityId: list.id,
      companyId: company.id,
      after: { company: company.name, priceList: list.name },
    });
    return { assigned: input.assigned };
  },
});
