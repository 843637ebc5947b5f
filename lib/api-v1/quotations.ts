import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { quotationDocument } from "@/db/queries/documents";
import type { Quotation, QuotationLine } from "@/db/schema";
import { isCustomerRole } from "@/lib/domain/roles";
import { json } from "@/lib/http/json";
import { documentPdf } from "@/lib/services/documents";
import { defineOperation, pdfResponse } from "./operation";
import { idParams, instant, instantSchema, money, moneySchema } from "./schemas";

// GET /quotations/{id} and its PDF: an issued (immutable) quotation version, as the order page and
// the PDF show it. The order's versions are listed by GET /orders/{id}/quotations (orders.ts).

const percent = z.string().regex(/^\d+(\.\d+)?$/).describe("A percentage as a decimal string, e.g. \"19\" or \"7.5\".");
const pct = (bp: number) => (bp / 100).toString();

export const quotationLineSchema = z
  .object({
    lineNo: z.int(),
    productId: uuidString(),
    sku: z.string(),
    name: z.string(),
    unit: z.string(),
    quantity: z.int(),
    unitPrice: moneySchema,
    discountPercent: percent,
    net: moneySchema.describe("Quantity × unit price less the discount."),
    taxRatePercent: percent,
    tax: moneySchema,
    total: moneySchema,
    priceExplanation: z.string().describe("How the unit price was found (price list, tier, a revision's reason)."),
  })
  .meta({ id: "QuotationLine" });

export const quotationSchema = z
  .object({
    id: uuidString(),
    orderId: uuidString(),
    number: z.string().describe("The quotation number; every version of one order's quotation shares it."),
    version: z.int().min(1).describe("Accept names this version (POST /orders/{id}/accept)."),
    issuedAt: instantSchema,
    validUntil: instantSchema,
    revisionReason: z.string().nullable(),
    currency: z.string().length(3),
    lines: z.array(quotationLineSchema),
    subtotal: moneySchema,
    tax: moneySchema,
    total: moneySchema,
    roundingMethod: z.string().describe("How tax was rounded (per line, half up)."),
    terms: z.string(),
  })
  .meta({ id: "Quotation" });

export type QuotationJson = z.input<typeof quotationSchema>;

/** A quotation version with its lines, as the API shows it. */
export type QuotationFields = Pick<Quotation, "id" | "orderId" | "number" | "version" | "issuedAt" | "validUntil" | "revisionReason" | "currency" | "subtotalMinor" | "taxMinor" | "totalMinor" | "roundingMethod" | "terms">;
export type QuotationLineFields = Omit<QuotationLine, "quotationId">;

export function quotationJson(q: QuotationFields, lines: QuotationLineFields[]): QuotationJson {
  const m = (minor: bigint) => money(minor, q.currency);
  return {
    id: q.id,
    orderId: q.orderId,
    number: q.number,
    version: q.version,
    issuedAt: instant(q.issuedAt),
    validUntil: instant(q.validUntil),
    revisionReason: q.revisionReason,
    currency: q.currency,
    lines: lines.map((l) => ({
      lineNo: l.lineNo,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: l.quantity,
      unitPrice: m(l.unitPriceMinor),
      discountPercent: pct(l.discountBp),
      net: m(l.netMinor),
      taxRatePercent: pct(l.taxRateBp),
      tax: m(l.taxMinor),
      total: m(l.totalMinor),
      priceExplanation: l.priceExplanation,
    })),
    subtotal: m(q.subtotalMinor),
    tax: m(q.taxMinor),
    total: m(q.totalMinor),
    roundingMethod: q.roundingMethod,
    terms: q.terms,
  };
}

export const getQuotation = defineOperation({
  operationId: "getQuotation",
  method: "GET",
  path: "/quotations/{id}",
  tag: "Orders",
  summary: "A quotation version with its lines and totals",
  description: "One issued quotation version (immutable). A customer key sees its company's quotations only.",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The quotation.", schema: quotationSchema } },
  async handle({ actor, params }) {
    const row = await quotationDocument(db, params.id);
    // The owner company and staff may read it; for anyone else it does not exist (as documentPdf decides).
    if (!row || (isCustomerRole(actor.role) && row.companyId !== actor.companyId)) return null;
    return json(quotationJson(row.q, row.lines) satisfies QuotationJson, 200);
  },
});

export const getQuotationPdf = defineOperation({
  operationId: "getQuotationPdf",
  method: "GET",
  path: "/quotations/{id}/pdf",
  tag: "Orders",
  summary: "A quotation version as PDF",
  description: "The quotation's PDF, the same document the portal downloads (rendered once, then served from the cache).",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The PDF.", contentType: "application/pdf" } },
  handle: ({ actor, params }) => pdfResponse(() => documentPdf(actor, "quotation", params.id)),
});
