import "server-only";
import { and, asc, eq } from "drizzle-orm";
import { companies, creditNoteLines, creditNotes, invoiceLines, invoices, orders, quotationLines, quotations, renderedDocuments } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

// What the PDF of an issued document shows, and the cache of rendered PDFs. Who may read which
// document is decided by lib/services/documents.ts (from the company id returned here).

/** A quotation version with its order's reference and its company's time zone; null if none. */
export async function quotationDocument(tx: DbOrTx, id: string) {
  const [row] = await tx
    .select({ q: quotations, reference: orders.reference, poNumber: orders.poNumber, companyId: orders.companyId, timeZone: companies.timeZone })
    .from(quotations)
    .innerJoin(orders, eq(orders.id, quotations.orderId))
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .where(eq(quotations.id, id));
  if (!row) return null;
  const lines = await tx.select().from(quotationLines).where(eq(quotationLines.quotationId, id)).orderBy(asc(quotationLines.lineNo));
  return { ...row, lines };
}

/** An invoice with its lines and its order's reference; null if none. */
export async function invoiceDocument(tx: DbOrTx, id: string) {
  const [inv] = await tx.select().from(invoices).where(eq(invoices.id, id));
  if (!inv) return null;
  const lines = await tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, id)).orderBy(asc(invoiceLines.lineNo));
  const [order] = await tx.select({ reference: orders.reference, poNumber: orders.poNumber }).from(orders).where(eq(orders.id, inv.orderId));
  return { inv, lines, order: order ?? null };
}

/** A credit note with the invoice it credits and the lines it credits (a return's own lines, else the invoice's); null if none. */
export async function creditNoteDocument(tx: DbOrTx, id: string) {
  const [row] = await tx.select({ cn: creditNotes, inv: invoices }).from(creditNotes).innerJoin(invoices, eq(invoices.id, creditNotes.invoiceId)).where(eq(creditNotes.id, id));
  if (!row) return null;
  if (row.cn.returnId) {
    const credited = await tx.select().from(creditNoteLines).where(eq(creditNoteLines.creditNoteId, row.cn.id)).orderBy(asc(creditNoteLines.lineNo));
    return { ...row, lines: credited.map(({ creditNoteId: _, ...l }) => ({ ...l, invoiceId: row.inv.id })) };
  }
  const lines = await tx.select().from(invoiceLines).where(eq(invoiceLines.invoiceId, row.inv.id)).orderBy(asc(invoiceLines.lineNo));
  return { ...row, lines };
}

type DocumentKey = { kind: "quotation" | "invoice" | "credit_note" | "delivery_note"; documentId: string; version: number };

/** A document's PDF rendered earlier, if any. */
export async function cachedPdf(db: DbOrTx, key: DocumentKey): Promise<Buffer | null> {
  const [row] = await db
    .select({ pdf: renderedDocuments.pdf })
    .from(renderedDocuments)
    .where(and(eq(renderedDocuments.kind, key.kind), eq(renderedDocuments.documentId, key.documentId), eq(renderedDocuments.version, key.version)));
  return row?.pdf ?? null;
}

/** Stores a rendered PDF; the first of two concurrent renders wins (the bytes' content is the same). */
export async function storePdf(db: DbOrTx, key: DocumentKey & { pdf: Buffer }): Promise<void> {
  await db.insert(renderedDocuments).values(key).onConflictDoNothing();
}
