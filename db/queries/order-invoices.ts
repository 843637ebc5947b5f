import "server-only";
import { eq } from "drizzle-orm";
import { creditNotes, invoiceLines, invoices, type Invoice, type QuotationLine } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

// The documents an order's final approval and its cancellation issue: its invoice (a copy of the
// accepted quotation) and the credit note that cancels it. Reading invoice balances is
// db/queries/invoices.ts.

/** Inserts an invoice with its lines (the quotation's lines, same numbering). */
export async function insertInvoice(tx: DbOrTx, invoice: typeof invoices.$inferInsert, lines: QuotationLine[]): Promise<Invoice> {
  const [row] = await tx.insert(invoices).values(invoice).returning();
  await tx.insert(invoiceLines).values(lines.map(({ quotationId: _q, ...l }) => ({ ...l, invoiceId: row!.id })));
  return row!;
}

/** Locks an order's invoice, if it has one. */
export async function lockOrderInvoice(tx: DbOrTx, orderId: string): Promise<Invoice | null> {
  const [row] = await tx.select().from(invoices).where(eq(invoices.orderId, orderId)).for("update");
  return row ?? null;
}

/** Inserts a credit note and marks the invoice it credits cancelled. */
export async function insertCreditNoteCancelling(tx: DbOrTx, note: typeof creditNotes.$inferInsert): Promise<typeof creditNotes.$inferSelect> {
  const [row] = await tx.insert(creditNotes).values(note).returning();
  await tx.update(invoices).set({ status: "cancelled" }).where(eq(invoices.id, note.invoiceId));
  return row!;
}
