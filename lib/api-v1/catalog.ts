import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { catalogSorts, getPricedProduct, searchCatalog, type CatalogRow } from "@/db/queries/catalog";
import { getCompany } from "@/db/queries/companies";
import { dateIn } from "@/lib/domain/dates";
import { hasNoControlCharacters, controlCharactersProblem, uuidField } from "@/lib/domain/forms";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { IMAGE_WIDTHS, parseProductImageFile, PRODUCT_IMAGE_FILE_PATTERN, productImageFile } from "@/lib/domain/product-images";
import { isCustomerRole } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { json } from "@/lib/http/json";
import { PRODUCT_IMAGE_CACHE_CONTROL, productImageResponse } from "@/lib/http/product-image";
import type { Actor } from "@/lib/domain/actor";
import type { Company } from "@/db/schema";
import { defineOperation } from "./operation";
import { decodeCursor, encodeCursor, queryDigest } from "./cursor";
import { problem } from "./problem";

// GET /api/v1/catalog/products: the catalogue as the portal shows it (db/queries/catalog.ts's
// searchCatalog: the same search, filters and price resolution), one page per call with an opaque
// cursor. A customer key sees its company's prices; a staff key list prices, or a company's with
// ?company=<id> (as the staff catalogue preview). GET /api/v1/catalog/products/{sku}: one product
// as the portal's product page shows it (getPricedProduct: description and the volume price table).
// GET /api/v1/catalog/images/{imageId}-{width}.webp: a product image rendition, the URLs the
// products' `image` name (the portal's /images/products route, answered by the same function).

export const CATALOG_API_MAX_LIMIT = 100;
const MAX_OFFSET = 100_000;

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters.`).refine(hasNoControlCharacters, controlCharactersProblem);

export const catalogQuerySchema = z.strictObject({
  q: text(200).optional(),
  category: text(200).optional(),
  inStock: z.enum(["true", "false", "1", "0"], { error: "inStock is true or false." }).transform((v) => v === "true" || v === "1").optional(),
  sort: z.enum(catalogSorts, { error: `sort is one of ${catalogSorts.join(", ")}.` }).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "limit is a whole number.")
    .transform(Number)
    .pipe(z.number().min(1, "limit is at least 1.").max(CATALOG_API_MAX_LIMIT, `limit is at most ${CATALOG_API_MAX_LIMIT}.`))
    .optional(),
  cursor: z.string().max(200).optional(),
  company: uuidField("company").optional(),
});

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/).describe("A decimal number as a string (exact: no binary floating point).");

const imageSchema = z
  .object({
    id: uuidString().describe("Changes when the image is replaced (and so do its URLs)."),
    renditions: z
      .array(z.object({ width: z.int().describe("Width in pixels; the height keeps the proportions."), url: z.string().describe("Path of the WebP file: GET it with the same API key (getCatalogImage).") }))
      .describe(`WebP renditions ${IMAGE_WIDTHS.join(", ")} px wide, smallest first.`),
  })
  .meta({ id: "CatalogImage" });

/** The product's image as the API names it: the renditions' URLs under /api/v1/catalog/images. */
function imageJson(imageId: string | null): z.input<typeof imageSchema> | null {
  if (!imageId) return null;
  return { id: imageId, renditions: IMAGE_WIDTHS.map((width) => ({ width, url: `/api/v1/catalog/images/${productImageFile(imageId, width)}` })) };
}

const imageField = imageSchema.nullable().describe("The product's image (null: none).");

export const catalogProductSchema = z
  .object({
    id: uuidString(),
    sku: z.string(),
    name: z.string(),
    category: z.string(),
    unit: z.string(),
    taxRatePercent: decimal,
    minOrderQuantity: z.int(),
    orderMultiple: z.int(),
    price: z.object({
      amount: decimal.describe("Unit price in the currency's major unit, e.g. \"12.50\"."),
      amountMinor: z.string().regex(/^-?\d+$/).describe("Unit price in minor units (cents), as a string."),
      currency: z.string().length(3),
      rule: z.string().describe("How the price was found: list price, the company's price list, a quantity break …"),
      priceList: z.string().nullable(),
    }),
    availability: z.object({ status: z.enum(["in_stock", "low", "out"]), available: z.int().describe("Units available to order now (on hand less reserved).") }),
    image: imageField,
  })
  .meta({ id: "CatalogProduct" });

export type CatalogProduct = z.input<typeof catalogProductSchema>;

export const catalogPageSchema = z
  .object({
    data: z.array(catalogProductSchema),
    priceList: z.string().nullable().describe("The price list the prices come from (null: list prices)."),
    pricesOn: z.iso.date().describe("The date the prices are valid on (the company's calendar)."),
    fuzzy: z.boolean().describe("True when no product matched q exactly and similar names are shown."),
    capped: z.boolean(),
    nextCursor: z.string().nullable().describe("Pass as cursor for the next page; null on the last page."),
  })
  .meta({ id: "CatalogPage" });

function product(r: CatalogRow): CatalogProduct {
  return {
    id: r.id,
    sku: r.sku,
    name: r.name,
    category: r.category,
    unit: r.unit,
    taxRatePercent: (r.taxRateBp / 100).toString(),
    minOrderQuantity: r.minOrderQuantity,
    orderMultiple: r.orderMultiple,
    price: {
      amount: minorToDecimal(r.price.unitPriceMinor, minorDigits(r.price.currency)),
      amountMinor: r.price.unitPriceMinor.toString(),
      currency: r.price.currency,
      rule: r.price.rule,
      priceList: r.price.priceListName,
    },
    availability: { status: r.stock.status, available: r.stock.available },
    image: imageJson(r.imageId),
  };
}

const validation = (detail: string, errors?: Record<string, string[] | undefined>) => problem("validation_failed", detail, errors ? { extra: { errors } } : {});

/** The forbidden problem for a key whose role may not read the catalogue (customers browse it, staff preview it), or null. */
function catalogueRefusal(actor: Actor): Response | null {
  return can(actor.role, isCustomerRole(actor.role) ? "catalog.browse" : "catalog.preview") ? null : problem("forbidden", "This key's role may not read the catalogue.");
}

/**
 * Whose prices the caller sees: a customer key its own company's (never another's), a staff key
 * list prices or, with `company`, that company's (the staff catalogue preview).
 */
async function pricesFor(actor: Actor, companyParam: string | undefined): Promise<{ company: Company | null } | Response> {
  const customer = isCustomerRole(actor.role);
  const refused = catalogueRefusal(actor);
  if (refused) return refused;
  if (customer && companyParam !== undefined) return validation("company is for staff keys: a customer key always sees its own company's prices.");
  const companyId = customer ? actor.companyId : (companyParam ?? null);
  const company = companyId ? await getCompany(db, companyId) : null;
  if (companyId && !company) return customer ? problem("forbidden", "This key's company is not available.") : validation("No company has that id.", { company: ["No company has that id."] });
  return { company };
}

export const listCatalogProducts = defineOperation({
  operationId: "listCatalogProducts",
  method: "GET",
  path: "/catalog/products",
  tag: "Catalogue",
  summary: "Search the catalogue with your prices and availability",
  description:
    "The portal's catalogue search: full text over SKU, name and category, filters, your company's price for each product (staff keys: list prices, or a company's with `company`), one page per call with an opaque cursor.",
  scope: "catalog:read",
  query: catalogQuerySchema,
  responses: { 200: { description: "A page of products.", schema: catalogPageSchema } },
  async handle({ actor, query: parsed }) {
    const { cursor, company: companyParam, ...query } = parsed;
    const priced = await pricesFor(actor, companyParam);
    if (priced instanceof Response) return priced;
    const company = priced.company;

    const limit = query.limit ?? 24;
    const digest = queryDigest({ ...query, limit, company: company?.id ?? null });
    const offset = cursor === undefined ? 0 : decodeCursor(cursor, digest);
    if (offset === null) return validation("The cursor does not belong to this query: start again without it.", { cursor: ["Not a cursor of this query."] });
    if (offset > MAX_OFFSET) return validation("Too deep: narrow the search with q, category or inStock.");

    const date = dateIn(company?.timeZone ?? env().SELLER_TIME_ZONE, new Date());
    const result = await searchCatalog(db, company?.id ?? null, { q: query.q, category: query.category, inStock: query.inStock, sort: query.sort, page: offset / limit + 1, pageSize: limit, date });
    return json(
      {
        data: result.rows.map(product),
        priceList: result.listName,
        pricesOn: date,
        fuzzy: result.fuzzy,
        capped: result.capped,
        nextCursor: result.hasNext ? encodeCursor(offset + limit, digest) : null,
      } satisfies z.input<typeof catalogPageSchema>,
      200,
    );
  },
});

const priceSchema = z.object({
  amount: decimal,
  amountMinor: z.string().regex(/^-?\d+$/),
  currency: z.string().length(3),
  rule: z.string(),
  priceList: z.string().nullable(),
  explanation: z.string().describe("For people: which price applies and why, e.g. \"Contract price, Acme 2026, 100+ tier\"."),
});

export const catalogProductDetailSchema = z
  .object({
    id: uuidString(),
    sku: z.string(),
    name: z.string(),
    description: z.string(),
    category: z.string(),
    unit: z.string(),
    taxRatePercent: decimal,
    minOrderQuantity: z.int(),
    orderMultiple: z.int(),
    availability: z.object({ status: z.enum(["in_stock", "low", "out"]), available: z.int() }),
    image: imageField,
    pricesOn: z.iso.date(),
    priceTable: z
      .array(z.object({ fromQuantity: z.int().min(1), price: priceSchema }))
      .describe("The unit price from each quantity on (1 and every volume tier that applies to the caller), ascending."),
  })
  .meta({ id: "CatalogProductDetail" });

const productQuery = z.strictObject({ company: uuidField("company").optional() });

export const getCatalogProduct = defineOperation({
  operationId: "getCatalogProduct",
  method: "GET",
  path: "/catalog/products/{sku}",
  tag: "Catalogue",
  summary: "One product with your volume prices and availability",
  description: "The product page's data: description, availability now, and the unit price at 1 and at every volume tier, at your company's prices (staff keys: list prices, or a company's with `company`). An archived or unknown SKU is a 404.",
  scope: "catalog:read",
  params: z.object({ sku: z.string().min(1).max(64) }),
  query: productQuery,
  responses: { 200: { description: "The product.", schema: catalogProductDetailSchema } },
  async handle({ actor, params, query }) {
    const priced = await pricesFor(actor, query.company);
    if (priced instanceof Response) return priced;
    const date = dateIn(priced.company?.timeZone ?? env().SELLER_TIME_ZONE, new Date());
    const p = await getPricedProduct(db, priced.company?.id ?? null, params.sku, date);
    if (!p) return null;
    return json(
      {
        id: p.id,
        sku: p.sku,
        name: p.name,
        description: p.description,
        category: p.category,
        unit: p.unit,
        taxRatePercent: (p.taxRateBp / 100).toString(),
        minOrderQuantity: p.minOrderQuantity,
        orderMultiple: p.orderMultiple,
        availability: { status: p.stock.status, available: p.stock.available },
        image: imageJson(p.imageId),
        pricesOn: date,
        priceTable: p.priceTable.map(({ fromQuantity, price }) => ({
          fromQuantity,
          price: {
            amount: minorToDecimal(price.unitPriceMinor, minorDigits(price.currency)),
            amountMinor: price.unitPriceMinor.toString(),
            currency: price.currency,
            rule: price.rule,
            priceList: price.priceListName,
            explanation: price.explanation,
          },
        })),
      } satisfies z.input<typeof catalogProductDetailSchema>,
      200,
    );
  },
});

export const getCatalogImage = defineOperation({
  operationId: "getCatalogImage",
  method: "GET",
  path: "/catalog/images/{file}",
  tag: "Catalogue",
  summary: "A product image rendition (WebP)",
  description:
    "One WebP rendition of a product's image, at the URL a product's `image.renditions` names. A customer key gets the images of the products its company may order (its assortment); any other image is a 404, like an unknown one. Staff keys get every image. The URL changes when the image is replaced, so the answer is `Cache-Control: private, max-age=31536000, immutable`; its `ETag` sent back as `If-None-Match` answers 304.",
  scope: "catalog:read",
  params: z.object({ file: z.string().regex(new RegExp(PRODUCT_IMAGE_FILE_PATTERN)).describe("`{imageId}-{width}.webp`, as the rendition's URL names it.") }),
  cacheControl: PRODUCT_IMAGE_CACHE_CONTROL,
  responses: {
    200: { description: "The image (WebP), with its ETag.", contentType: "image/webp" },
    304: { description: "Not modified: the If-None-Match ETag is the image's." },
  },
  async handle({ actor, params, http }) {
    const refused = catalogueRefusal(actor);
    if (refused) return refused;
    const file = parseProductImageFile(params.file);
    return file ? productImageResponse(http, file, actor) : null;
  },
});
