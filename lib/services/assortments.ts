import "server-only";
import { z } from "zod";
import { activeProductsBySku, getAssortment, knownCategories, replaceAssortment } from "@/db/queries/assortments";
import { getCompany } from "@/db/queries/companies";
import { DomainError, notFound } from "@/lib/domain/errors";
import { hasNoControlCharacters, uuidField } from "@/lib/domain/forms";
import { defineMutation } from "@/lib/mutation";

export const MAX_ASSORTMENT_CATEGORIES = 200;
export const MAX_ASSORTMENT_PRODUCTS = 2000;

/** SKUs typed one per line (or separated by commas or spaces). */
export function parseSkuList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean))];
}

const categoriesField = z
  .array(z.string().trim().min(1).max(100).refine(hasNoControlCharacters, "A category name holds no control characters."), { error: "Choose categories from the list." })
  .max(MAX_ASSORTMENT_CATEGORIES, `At most ${MAX_ASSORTMENT_CATEGORIES} categories.`)
  .default([])
  .transform((c) => [...new Set(c)].sort());

const skusField = z
  .string()
  .max(100_000, "Paste at most 100,000 characters.")
  .default("")
  .transform((v) => parseSkuList(v))
  .refine((skus) => skus.length <= MAX_ASSORTMENT_PRODUCTS, `At most ${MAX_ASSORTMENT_PRODUCTS} products; use categories for more.`);

/**
 * Limits a company to some categories and/or products, or (both empty) gives it the whole catalogue
 * again. Held by pricing.manage (sales and administrators): which products a customer may buy is a
 * commercial term of its contract, set by the same people who set its price lists, not an account
 * setting (companies.manage, administrators only). The rule is applied by db/queries/assortments.ts.
 */
export const setCompanyAssortment = defineMutation({
  name: "company.assortment_set",
  entityType: "company",
  permission: "pricing.manage",
  input: z.object({ companyId: uuidField("company"), categories: categoriesField, skus: skusField }),
  async run(ctx, input) {
    const company = await getCompany(ctx.tx, input.companyId, { lock: true });
    if (!company) throw notFound("Company", { entityType: "company", entityId: input.companyId });
    const [known, bySku, before] = await Promise.all([
      knownCategories(ctx.tx, input.categories),
      activeProductsBySku(ctx.tx, input.skus),
      getAssortment(ctx.tx, company.id),
    ]);
    const fieldErrors: Record<string, string[]> = {};
    const unknownCategories = input.categories.filter((c) => !known.has(c));
    if (unknownCategories.length) fieldErrors.categories = [`No product has the category ${unknownCategories.join(", ")}.`];
    const unknownSkus = input.skus.filter((s) => !bySku.has(s.toLowerCase()));
    if (unknownSkus.length) {
      const shown = unknownSkus.slice(0, 20).join(", ");
      fieldErrors.skus = [`No active product has the SKU ${shown}${unknownSkus.length > 20 ? ` and ${unknownSkus.length - 20} more` : ""}.`];
    }
    if (Object.keys(fieldErrors).length) throw new DomainError("validation_failed", "Some entries need attention; the assortment was not changed.", { fieldErrors });
    const productIds = [...new Set(input.skus.map((s) => bySku.get(s.toLowerCase())!.id))];
    await replaceAssortment(ctx.tx, company.id, input.categories, productIds);
    const skus = [...new Set(input.skus.map((s) => bySku.get(s.toLowerCase())!.sku))].sort();
    await ctx.audit({
      action: "company.assortment_set",
      entityType: "company",
      entityId: company.id,
      companyId: company.id,
      before: { categories: before.categories, skus: before.products.map((p) => p.sku) },
      after: { categories: input.categories, skus },
    });
    return { companyId: company.id, limited: input.categories.length + productIds.length > 0, categories: input.categories.length, products: productIds.length };
  },
});
