import "server-only";
import { z } from "zod";
import type { Product } from "@/db/schema";
import type { Tx } from "@/db/client";
import {
  insertProductsWithInventory,
  lockProduct,
  productIdBySku,
  tiersOfProducts,
  replaceProductTiers,
  updateProductRow,
} from "@/db/queries/products";
import { parseTaxRate, parseTierText } from "@/lib/domain/catalog";
import { fieldError, notFound } from "@/lib/domain/errors";
import { controlCharactersProblem, hasNoControlCharacters, optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { tierProblems, type Tier } from "@/lib/domain/pricing";
import { env } from "@/lib/env";
import { defineMutation } from "@/lib/mutation";

const wholeNumber = (label: string, min: number) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.coerce.number({ error: `Enter ${label}.` }).int(`${label[0]!.toUpperCase()}${label.slice(1)} must be a whole number.`).min(min, `${label[0]!.toUpperCase()}${label.slice(1)} must be at least ${min}.`).max(10_000_000),
  );

const currency = () => env().DEFAULT_CURRENCY;

// Each typed field is parsed on its own (an issue there does not stop the others), so a form or a
// CSV row lists every problem at once; only the tier-versus-price check needs two parsed fields.
const priceField = z
  .string({ error: "Enter a price." })
  .trim()
  .min(1, "Enter a price.")
  .transform((v, ctx) => {
    const minor = parseMoneyInput(v, minorDigits(currency()));
    if (minor === null || minor < 0n) {
      ctx.addIssue({ code: "custom", message: "Enter a price such as 12.50." });
      return z.NEVER;
    }
    return minor;
  });

const taxRateField = z
  .string()
  .trim()
  .default("0")
  .transform((v, ctx) => {
    const bp = parseTaxRate(v);
    if (bp === null) {
      ctx.addIssue({ code: "custom", message: "Enter a tax rate in percent between 0 and 100, e.g. 19 or 7.5." });
      return z.NEVER;
    }
    return bp;
  });

const tiersField = z
  .string()
  .default("")
  .transform((v, ctx) => {
    const parsed = parseTierText(v, currency());
    if ("error" in parsed) {
      ctx.addIssue({ code: "custom", message: parsed.error });
      return z.NEVER;
    }
    return parsed.tiers;
  });

/**
 * The fields of a product as typed by people, in a form or a CSV row. Prices are decimals in the
 * seller's currency, the tax rate a percentage, tiers "quantity: price" lines.
 */
export const productFieldsSchema = z
  .object({
    sku: z.preprocess(
      (v) => (typeof v === "string" ? v.trim() : v),
      z.string({ error: "SKU is required." }).min(1, "SKU is required.").max(64, "Use at most 64 characters.").regex(/^[A-Za-z0-9][A-Za-z0-9._\/-]*$/, "Use letters, digits and . _ - / only."),
    ),
    name: requiredText("Name", 200),
    description: optionalText(5000),
    category: requiredText("Category", 100),
    unit: z.preprocess((v) => (typeof v === "string" && v.trim() !== "" ? v.trim() : "each"), z.string().max(30, "Use at most 30 characters.").refine(hasNoControlCharacters, controlCharactersProblem)),
    basePrice: priceField,
    taxRate: taxRateField,
    minOrderQuantity: wholeNumber("the minimum order quantity", 1).default(1),
    orderMultiple: wholeNumber("the pack multiple", 1).default(1),
    lowStockThreshold: wholeNumber("the reorder point", 0).default(0),
    tiers: tiersField,
  })
  .refine((v) => tierProblems(v.basePrice, v.tiers).length === 0, {
    path: ["tiers"],
    // Also when other fields failed, as long as the price and the tiers themselves parsed.
    when: ({ value }) => {
      const v = value as { basePrice?: unknown; tiers?: unknown };
      return typeof v.basePrice === "bigint" && Array.isArray(v.tiers);
    },
    error: (issue) => {
      const v = issue.input as { basePrice: bigint; tiers: Tier[] };
      return tierProblems(v.basePrice, v.tiers)[0];
    },
  })
  .transform((v) => ({
    sku: v.sku,
    name: v.name,
    description: v.description,
    category: v.category,
    unit: v.unit,
    basePriceMinor: v.basePrice,
    currency: currency(),
    taxRateBp: v.taxRate,
    minOrderQuantity: v.minOrderQuantity,
    orderMultiple: v.orderMultiple,
    lowStockThreshold: v.lowStockThreshold,
    tiers: v.tiers,
  }));

export type ProductFields = z.output<typeof productFieldsSchema>;

async function assertSkuFree(tx: Tx, sku: string, exceptId?: string) {
  if (await productIdBySku(tx, sku, exceptId)) throw fieldError("sku", `SKU ${sku} is already used by another product.`);
}

function columns(f: ProductFields) {
  const { tiers: _tiers, ...rest } = f;
  return rest;
}

function replaceTiers(tx: Tx, productId: string, tiers: Tier[]) {
  return replaceProductTiers(tx, [productId], tiers.map((t) => ({ productId, ...t })));
}

const tiersForAudit = (tiers: Tier[]) => tiers.map((t) => `${t.minQuantity}+: ${t.unitPriceMinor}`).join(", ");

export type ProductSummary = { id: string; sku: string; name: string; archived: boolean };
const summary = (p: Product): ProductSummary => ({ id: p.id, sku: p.sku, name: p.name, archived: p.archivedAt !== null });
const auditable = ({ searchVector: _sv, ...p }: Product) => p;

export const createProduct = defineMutation({
  name: "product.create",
  entityType: "product",
  permission: "products.manage",
  idempotent: true,
  input: productFieldsSchema,
  async run(ctx, input) {
    await assertSkuFree(ctx.tx, input.sku);
    const [product] = await insertProductsWithInventory(ctx.tx, [columns(input)]);
    await replaceTiers(ctx.tx, product!.id, input.tiers);
    await ctx.audit({
      action: "product.create",
      entityType: "product",
      entityId: product!.id,
      after: { ...auditable(product!), tiers: tiersForAudit(input.tiers) },
    });
    return summary(product!);
  },
});

export const updateProduct = defineMutation({
  name: "product.update",
  entityType: "product",
  permission: "products.manage",
  input: z.intersection(z.object({ id: uuidField("product") }), productFieldsSchema),
  async run(ctx, input) {
    const before = await lockProduct(ctx.tx, input.id);
    if (!before) throw notFound("Product", { entityType: "product", entityId: input.id });
    await assertSkuFree(ctx.tx, input.sku, input.id);
    const beforeTiers = (await tiersOfProducts(ctx.tx, [input.id])).get(input.id) ?? [];
    const { id: _id, ...fields } = input;
    const after = await updateProductRow(ctx.tx, input.id, columns(fields));
    await replaceTiers(ctx.tx, input.id, input.tiers);
    await ctx.audit({
      action: "product.update",
      entityType: "product",
      entityId: input.id,
      before: { ...auditable(before), tiers: tiersForAudit(beforeTiers) },
      after: { ...auditable(after), tiers: tiersForAudit(input.tiers) },
    });
    return summary(after);
  },
});

export const setProductArchived = defineMutation({
  name: "product.set_archived",
  entityType: "product",
  permission: "products.manage",
  input: z.object({ id: uuidField("product"), archived: z.enum(["true", "false"]).transform((v) => v === "true") }),
  async run(ctx, input) {
    const before = await lockProduct(ctx.tx, input.id);
    if (!before) throw notFound("Product", { entityType: "product", entityId: input.id });
    if ((before.archivedAt !== null) === input.archived) return summary(before);
    const after = await updateProductRow(ctx.tx, input.id, { archivedAt: input.archived ? new Date() : null });
    await ctx.audit({
      action: input.archived ? "product.archive" : "product.restore",
      entityType: "product",
      entityId: input.id,
      before: { archivedAt: before.archivedAt },
      after: { archivedAt: after.archivedAt },
    });
    return summary(after);
  },
});

export { auditable as auditableProduct, tiersForAudit, columns as productColumns };
