import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { listCreditNotes, type CreditNoteRow } from "@/db/queries/invoices";
import { invoiceDocument } from "@/db/queries/documents";
import { uuidField } from "@/lib/domain/forms";
import { isCustomerRole } from "@/lib/domain/roles";
import { documentPdf } from "@/lib/services/documents";
import { defineOperation, ok, pdfResponse } from "./operation";
import { documentLine, documentLineSchema, companyListPage } from "./invoices";
import { dateSchema, idParams, money, moneySchema, pageOf, pageQuery } from "./schemas";

// GET /api/v1/credit-notes, /credit-notes/{id}, /credit-notes/{id}/pdf: a credit note cancels one
// invoice in full, or credits the lines of a received return (part of an invoice). Scoped like invoices (a customer key: its company's, in SQL).

export const creditNoteSummarySchema = z
  .object({
    id: uuidString(),
    number: z.string(),
    invoice: z.object({ id: uuidString(), number: z.string() }),
    orderId: uuidString(),
    company: z.object({ id: uuidString(), name: z.string() }),
    issueDate: dateSchema,
    reason: z.string(),
    subtotal: moneySchema,
    tax: moneySchema,
    total: moneySchema,
  })
  .meta({ id: "CreditNoteSummary" });

function summary(n: CreditNoteRow): z.input<typeof creditNoteSummarySchema> {
  return {
    id: n.id,
    number: n.number,
    invoice: { id: n.invoiceId, number: n.invoiceNumber },
    orderId: n.orderId,
    company: { id: n.companyId, name: n.companyName },
    issueDate: n.issueDate,
    reason: n.reason,
    subtotal: money(n.subtotalMinor, n.currency),
    tax: money(n.taxMinor, n.currency),
    total: money(n.totalMinor, n.currency),
  };
}

const creditNotePageSchema = pageOf(creditNoteSummarySchema, "CreditNotePage");

export const listCreditNotesOperation = defineOperation({
  operationId: "listCreditNotes",
  method: "GET",
  path: "/credit-notes",
  tag: "Invoices",
  summary: "List credit notes",
  description: "Newest issued first. A customer key sees its company's; a staff key every company's, or one company's with `company`.",
  scope: "invoices:read",
  query: z.strictObject({
    from: dateSchema.optional().describe("Issued on or after (YYYY-MM-DD)."),
    to: dateSchema.optional().describe("Issued on or before (YYYY-MM-DD)."),
    company: uuidField("company").optional().describe("Staff keys: one company's credit notes."),
    ...pageQuery,
  }),
  responses: { 200: { description: "A page of credit notes.", schema: creditNotePageSchema } },
  async handle({ actor, query }) {
    const page = await companyListPage(actor, query, (at) => listCreditNotes(db, { ...at, from: query.from, to: query.to }));
    if (page instanceof Response) return page;
    return ok({ data: page.data.map(summary), nextCursor: page.nextCursor } satisfies z.input<typeof creditNotePageSchema>);
  },
});

export const creditNoteSchema = creditNoteSummarySchema.extend({ lines: z.array(documentLineSchema).describe("The credited lines (those of the invoice).") }).meta({ id: "CreditNote" });

export const getCreditNoteOperation = defineOperation({
  operationId: "getCreditNote",
  method: "GET",
  path: "/credit-notes/{id}",
  tag: "Invoices",
  summary: "A credit note with its lines",
  scope: "invoices:read",
  params: idParams,
  responses: { 200: { description: "The credit note.", schema: creditNoteSchema } },
  async handle({ actor, params }) {
    const customer = isCustomerRole(actor.role);
    if (customer && !actor.companyId) return null;
    const [n] = await listCreditNotes(db, { id: params.id, ...(customer ? { companyId: actor.companyId! } : {}), limit: 1 });
    if (!n) return null;
    const doc = await invoiceDocument(db, n.invoiceId);
    return ok({ ...summary(n), lines: (doc?.lines ?? []).map((l) => documentLine(l, n.currency)) } satisfies z.input<typeof creditNoteSchema>);
  },
});

export const getCreditNotePdfOperation = defineOperation({
  operationId: "getCreditNotePdf",
  method: "GET",
  path: "/credit-notes/{id}/pdf",
  tag: "Invoices",
  summary: "The credit note as PDF",
  scope: "invoices:read",
  params: idParams,
  responses: { 200: { description: "The PDF.", contentType: "application/pdf" } },
  handle: ({ actor, params }) => pdfResponse(() => documentPdf(actor, "credit_note", params.id)),
});
