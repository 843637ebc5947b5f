import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { invoiceBalancePage, type InvoiceBalance } from "@/db/queries/invoice-balances";
import { listCreditNotes } from "@/db/queries/invoices";
import { invoiceDocument } from "@/db/queries/documents";
import { allocationDetails } from "@/db/queries/payments";
import { uuidField } from "@/lib/domain/forms";
import { invoiceStatus } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import type { Actor } from "@/lib/domain/actor";
import { documentPdf } from "@/lib/services/documents";
import { sellerToday } from "@/lib/time-zone";
import { defineOperation, ok, pdfResponse } from "./operation";
import { decodeCursor, encodeCursor, queryDigest } from "./cursor";
import { problem } from "./problem";
import { dateSchema, idParams, money, moneySchema, pageOf, pageQuery } from "./schemas";

// GET /api/v1/invoices, /invoices/{id}, /invoices/{id}/pdf: the receivables pages' invoices (amounts
// from db/queries/invoice-balances.ts, verified payments counting as paid). A customer key sees its
// company's invoices (scoped in SQL; another company's id is a 404), a staff key every company's or
// one with ?company=.

export const invoiceStatuses = ["open", "partially_paid", "paid", "overdue", "cancelled"] as const;

/** A list's position from its cursor, or a validation problem when the cursor is another query's. */
export function pagePosition(cursor: string | undefined, query: Record<string, unknown>): { offset: number; digest: string } | Response {
  const digest = queryDigest(query);
  const offset = cursor === undefined ? 0 : decodeCursor(cursor, digest);
  if (offset === null) return problem("validation_failed", "The cursor does not belong to this query: start again without it.", { extra: { errors: { cursor: ["Not a cursor of this query."] } } });
  return { offset, digest };
}

/** `rows` fetched with limit + 1: the page and the cursor after it (null on the last page). */
export function pageOfRows<T>(rows: T[], limit: number, at: { offset: number; digest: string }): { data: T[]; nextCursor: string | null } {
  return { data: rows.slice(0, limit), nextCursor: rows.length > limit ? encodeCursor(at.offset + limit, at.digest) : null };
}

/**
 * A page of a company-scoped list (invoices, credit notes, payments, returns): the company the caller
 * may read (listCompany), the cursor checked against the query it was made for, `read` asked for
 * one row more than the page (so the cursor after it is known without a count).
 */
export async function companyListPage<T>(
  actor: Actor,
  query: { cursor?: string; company?: string; limit?: number },
  read: (at: { companyId: string | undefined; offset: number; limit: number }) => Promise<T[]>,
): Promise<{ data: T[]; nextCursor: string | null } | Response> {
  const { cursor, company, ...rest } = query;
  const scope = listCompany(actor, company);
  if (scope instanceof Response) return scope;
  const limit = rest.limit ?? 25;
  const at = pagePosition(cursor, { ...rest, limit, company: scope.companyId ?? null });
  if (at instanceof Response) return at;
  return pageOfRows(await read({ companyId: scope.companyId, offset: at.offset, limit: limit + 1 }), limit, at);
}

/** The company a list reads: a customer key's own always; a staff key's ?company= or every company (undefined). */
export function listCompany(actor: Actor, company: string | undefined): { companyId: string | undefined } | Response {
  if (!isCustomerRole(actor.role)) return { companyId: company };
  if (company !== undefined) return problem("validation_failed", "company is for staff keys: a customer key always sees its own company's.", { extra: { errors: { company: ["For staff keys only."] } } });
  if (!actor.companyId) return problem("forbidden", "This key's user belongs to no company.");
  return { companyId: actor.companyId };
}

export const invoiceSummarySchema = z
  .object({
    id: uuidString(),
    number: z.string(),
    company: z.object({ id: uuidString(), name: z.string() }),
    orderId: uuidString(),
    status: z.enum(invoiceStatuses).describe("paid: verified payments cover the total; overdue: due date passed with something still due."),
    issueDate: dateSchema,
    dueDate: dateSchema,
    paymentReference: z.string().nullable().describe("The structured creditor reference (RF…) to quote when paying."),
    total: moneySchema,
    paid: moneySchema.describe("Verified payments allocated to this invoice."),
    pendingVerification: moneySchema.describe("Remittances allocated to it that finance has not verified yet."),
    balanceDue: moneySchema.describe("Total less verified payments; 0 for a cancelled invoice."),
  })
  .meta({ id: "InvoiceSummary" });

function summary(b: InvoiceBalance, today: string): z.input<typeof invoiceSummarySchema> {
  return {
    id: b.invoiceId,
    number: b.number,
    company: { id: b.companyId, name: b.companyName },
    orderId: b.orderId,
    status: invoiceStatus({ cancelled: b.status === "cancelled", totalMinor: b.totalMinor - b.creditedMinor, paidMinor: b.paidMinor, dueDate: b.dueDate, today }),
    issueDate: b.issueDate,
    dueDate: b.dueDate,
    paymentReference: b.paymentReference,
    total: money(b.totalMinor, b.currency),
    paid: money(b.paidMinor, b.currency),
    pendingVerification: money(b.pendingMinor, b.currency),
    balanceDue: money(b.outstandingMinor, b.currency),
  };
}

const invoicePageSchema = pageOf(invoiceSummarySchema, "InvoicePage");

export const listInvoicesOperation = defineOperation({
  operationId: "listInvoices",
  method: "GET",
  path: "/invoices",
  tag: "Invoices",
  summary: "List invoices with their balances",
  description: "Newest issued first. A customer key sees its company's invoices; a staff key every company's, or one company's with `company`.",
  scope: "invoices:read",
  query: z.strictObject({
    status: z.enum(invoiceStatuses, { error: `status is one of ${invoiceStatuses.join(", ")}.` }).optional(),
    from: dateSchema.optional().describe("Issued on or after (YYYY-MM-DD)."),
    to: dateSchema.optional().describe("Issued on or before (YYYY-MM-DD)."),
    company: uuidField("company").optional().describe("Staff keys: one company's invoices."),
    ...pageQuery,
  }),
  responses: { 200: { description: "A page of invoices.", schema: invoicePageSchema } },
  async handle({ actor, query }) {
    const today = sellerToday();
    const page = await companyListPage(actor, query, (at) => invoiceBalancePage(db, { ...at, status: query.status, from: query.from, to: query.to, today }));
    if (page instanceof Response) return page;
    return ok({ data: page.data.map((b) => summary(b, today)), nextCursor: page.nextCursor } satisfies z.input<typeof invoicePageSchema>);
  },
});

const lineSchema = z
  .object({
    lineNo: z.int(),
    sku: z.string(),
    name: z.string(),
    unit: z.string(),
    quantity: z.int(),
    unitPrice: moneySchema,
    discountPercent: z.string().describe("Line discount in percent, e.g. \"2.5\"."),
    net: moneySchema,
    taxRatePercent: z.string(),
    tax: moneySchema,
    total: moneySchema,
  })
  .meta({ id: "DocumentLine" });

export const invoiceSchema = invoiceSummarySchema
  .extend({
    subtotal: moneySchema,
    tax: moneySchema,
    lines: z.array(lineSchema),
    payments: z.array(
      z.object({
        paymentId: uuidString(),
        status: z.enum(["pending_verification", "verified", "rejected", "refunded"]),
        paidOn: dateSchema,
        amount: moneySchema.describe("The part of the payment allocated to this invoice."),
      }),
    ),
    creditNotes: z.array(z.object({ id: uuidString(), number: z.string(), issueDate: dateSchema, total: moneySchema })),
  })
  .meta({ id: "Invoice" });

type DocLine = { lineNo: number; sku: string; name: string; unit: string; quantity: number; unitPriceMinor: bigint; discountBp: number; netMinor: bigint; taxRateBp: number; taxMinor: bigint; totalMinor: bigint };

export function documentLine(l: DocLine, currency: string): z.input<typeof lineSchema> {
  return {
    lineNo: l.lineNo,
    sku: l.sku,
    name: l.name,
    unit: l.unit,
    quantity: l.quantity,
    unitPrice: money(l.unitPriceMinor, currency),
    discountPercent: (l.discountBp / 100).toString(),
    net: money(l.netMinor, currency),
    taxRatePercent: (l.taxRateBp / 100).toString(),
    tax: money(l.taxMinor, currency),
    total: money(l.totalMinor, currency),
  };
}

export { lineSchema as documentLineSchema };

export const getInvoiceOperation = defineOperation({
  operationId: "getInvoice",
  method: "GET",
  path: "/invoices/{id}",
  tag: "Invoices",
  summary: "An invoice with its lines, balance, payments and credit notes",
  scope: "invoices:read",
  params: idParams,
  responses: { 200: { description: "The invoice.", schema: invoiceSchema } },
  async handle({ actor, params }) {
    const customer = isCustomerRole(actor.role);
    if (customer && !actor.companyId) return null;
    // Scoped in SQL: a customer's key finds only its company's invoice.
    const today = sellerToday();
    const [b] = await invoiceBalancePage(db, { invoiceId: params.id, ...(customer ? { companyId: actor.companyId! } : {}), today, offset: 0, limit: 1 });
    if (!b) return null;
    const [doc, allocations, notes] = await Promise.all([
      invoiceDocument(db, b.invoiceId),
      allocationDetails(db, { invoiceId: b.invoiceId }),
      listCreditNotes(db, { invoiceId: b.invoiceId, companyId: b.companyId }),
    ]);
    if (!doc) return null;
    return ok({
      ...summary(b, today),
      subtotal: money(doc.inv.subtotalMinor, b.currency),
      tax: money(doc.inv.taxMinor, b.currency),
      lines: doc.lines.map((l) => documentLine(l, b.currency)),
      payments: allocations.map((a) => ({ paymentId: a.paymentId, status: a.paymentStatus, paidOn: a.paidOn, amount: money(a.amountMinor, b.currency) })),
      creditNotes: notes.map((n) => ({ id: n.id, number: n.number, issueDate: n.issueDate, total: money(n.totalMinor, n.currency) })),
    } satisfies z.input<typeof invoiceSchema>);
  },
});

export const getInvoicePdfOperation = defineOperation({
  operationId: "getInvoicePdf",
  method: "GET",
  path: "/invoices/{id}/pdf",
  tag: "Invoices",
  summary: "The invoice as PDF",
  description: "The same PDF the portal downloads (rendered once, then served from the document store).",
  scope: "invoices:read",
  params: idParams,
  responses: { 200: { description: "The PDF.", contentType: "application/pdf" } },
  handle: ({ actor, params }) => pdfResponse(() => documentPdf(actor, "invoice", params.id)),
});
