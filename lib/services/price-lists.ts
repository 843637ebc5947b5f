import "server-only";
import { and, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { companies, priceListAssignments, priceListEntries, priceLists, priceListTiers, products, type PriceList } from "@/db/schema";
import type { Tx } from "@/db/client";
import { parseTierText } from "@/lib/domain/catalog";
import { fieldError, notFound } from "@/lib/domain/errors";
import { requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { tierProblems } from "@/lib/domain/pricing";
import { env } from "@/lib/env";
import { defineMutation } from "@/lib/mutation";
import { tiersForAudit } from "./products";

const isoDate = (label: string) => z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, `Enter ${label} as a date (YYYY-MM-DD).`);

const priceListFields = z
  .object({
    name: requiredText("Name", 200),
    currency: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? v.trim().toUpperCase() : undefined),
      z.string().regex(/^[A-Z]{3}$/, "Use a three-letter ISO 4217 code such as EUR.").optional(),
    ),
    validFrom: isoDate("the start"),
    validTo: z.preprocess((v) => (v === "" ? null : v), isoDate("the end").nullable()).default(null),
  })
  .refine((v) => v.validTo === null || v.validTo >= v.validFrom, { path: ["validTo"], message: "The end must be on or after the start." });

async function assertNameFree(tx: Tx, name: string, exceptId?: string) {
  const [taken] = await tx
    .select({ id: priceLists.id })
    .from(priceLists)
    .where(and(eq(sql`lower(${priceLists.name})`, name.toLowerCase()), exceptId ? ne(priceLists.id, exceptId) : undefined));
  if (taken) throw fieldError("name", "A price list with this name already exists.");
}

async function lockList(tx: Tx, id: string): Promise<PriceList> {
  const [list] = await tx.select().from(priceLists).where(eq(priceLists.id, id)).for("update");
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
    const [list] = await ctx.tx
      .insert(priceLists)
      .values({ ...input, currency: input.currency ?? env().DEFAULT_CURRENCY })
      .returning();
    await ctx.audit({ action: "price_list.create", entityType: "price_list", entityId: list!.id, after: list });
    return { id: list!.id, name: list!.name };
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
    const [after] = await ctx.tx
      .update(priceLists)
      .set({ name: input.name, currency: input.currency ?? before.currency, validFrom: input.validFrom, validTo: input.validTo, updatedAt: new Date() })
      .where(eq(priceLists.id, input.id))
      .returning();
    await ctx.audit({ action: "price_list.update", entityType: "price_list", entityId: input.id, before, after });
    return { id: after!.id, name: after!.name };
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
    const [product] = await ctx.tx
      .select({ id: products.id, sku: products.sku })
      .from(products)
      .where(eq(sql`lower(${products.sku})`, input.sku.toLowerCase()));
    if (!product) throw fieldError("sku", `No product has SKU ${input.sku}.`);
    const unitPriceMinor = parseMoneyInput(input.unitPrice, minorDigits(list.currency));
    if (unitPriceMinor === null || unitPriceMinor < 0n) throw fieldError("unitPrice", "Enter a price such as 12.50.");
    const parsed = parseTierText(input.tiers, list.currency);
    if ("error" in parsed) throw fieldError("tiers", parsed.error);
    const problems = tierProblems(unitPriceMinor, parsed.tiers);
    if (problems.length) throw fieldError("tiers", problems[0]!);

    const [existing] = await ctx.tx
      .select()
      .from(priceListEntries)
      .where(and(eq(priceListEntries.priceListId, list.id), eq(priceListEntries.productId, product.id)));
    const beforeTiers = existing
      ? await ctx.tx.select().from(priceListTiers).where(eq(priceListTiers.entryId, existing.id)).orderBy(priceListTiers.minQuantity)
      : [];
    const [entry] = await ctx.tx
      .insert(priceListEntries)
      .values({ priceListId: list.id, productId: product.id, unitPriceMinor })
      .onConflictDoUpdate({ target: [priceListEntries.priceListId, priceListEntries.productId], set: { unitPriceMinor } })
      .returning();
    await ctx.tx.delete(priceListTiers).where(eq(priceListTiers.entryId, entry!.id));
    if (parsed.tiers.length) await ctx.tx.insert(priceListTiers).values(parsed.tiers.map((t) => ({ entryId: entry!.id, ...t })));
    await ctx.audit({
      action: "price_list.set_entry",
      entityType: "price_list",
      entityId: list.id,
      before: existing ? { sku: product.sku, unitPriceMinor: existing.unitPriceMinor, tiers: tiersForAudit(beforeTiers) } : null,
      after: { sku: product.sku, unitPriceMinor, tiers: tiersForAudit(parsed.tiers) },
    });
    return { entryId: entry!.id };
  },
});

export const removePriceListEntry = defineMutation({
  name: "price_list.remove_entry",
  entityType: "price_list",
  permission: "pricing.manage",
  input: z.object({ priceListId: uuidField("price list"), entryId: uuidField("entry") }),
  async run(ctx, input) {
    await lockList(ctx.tx, input.priceListId);
    const [removed] = await ctx.tx
      .delete(priceListEntries)
      .where(and(eq(priceListEntries.id, input.entryId), eq(priceListEntries.priceListId, input.priceListId)))
      .returning();
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
    const [company] = await ctx.tx.select({ id: companies.id, name: companies.name, currency: companies.currency }).from(companies).where(eq(companies.id, input.companyId));
    if (!company) throw fieldError("companyId", "Choose an existing company.");
    if (input.assigned && company.currency !== list.currency) {
      throw fieldError("companyId", `${company.name} is invoiced in ${company.currency}; this list is in ${list.currency}.`);
    }
    if (input.assigned) {
      await ctx.tx.insert(priceListAssignments).values({ companyId: company.id, priceListId: list.id }).onConflictDoNothing();
    } else {
      await ctx.tx.delete(priceListAssignments).where(and(eq(priceListAssignments.companyId, company.id), eq(priceListAssignments.priceListId, list.id)));
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
