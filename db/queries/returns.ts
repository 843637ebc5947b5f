import "server-only";
import { and, asc, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { creditNoteLines, creditNotes, invoiceLines, orders, quotationLines, quotations, returnLines, returns, shipmentLines, users, type Return } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/** One order line as returns see it: what shipped of it, what returns (not rejected) already take back, what is left. */
export type OrderLineReturnable = {
  quotationId: string;
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  unit: string;
  shipped: number;
  returned: number;
  returnable: number;
};

/**
 * The lines of an order's latest quotation (the one it was approved on) with shipped and returned
 * quantities. Read under the order's row lock in the requesting transaction.
 */
export async function orderLinesReturnable(db: DbOrTx, orderId: string): Promise<OrderLineReturnable[]> {
  const latest = db.select({ id: quotations.id }).from(quotations).where(eq(quotations.orderId, orderId)).orderBy(desc(quotations.version)).limit(1);
  // Correlated on quotation_lines by name: drizzle leaves a single table's columns unqualified.
  const shipped = sql<number>`(select coalesce(sum(s.quantity), 0) from ${shipmentLines} s where s.quotation_id = quotation_lines.quotation_id and s.line_no = quotation_lines.line_no)::int`;
  const returned = sql<number>`(select coalesce(sum(l.quantity), 0) from ${returnLines} l join ${returns} r on r.id = l.return_id
      where l.quotation_id = quotation_lines.quotation_id and l.line_no = quotation_lines.line_no and r.status <> 'rejected')::int`;
  const rows = await db
    .select({
      quotationId: quotationLines.quotationId,
      lineNo: quotationLines.lineNo,
      productId: quotationLines.productId,
      sku: quotationLines.sku,
      name: quotationLines.name,
      unit: quotationLines.unit,
      shipped,
      returned,
    })
    .from(quotationLines)
    .where(inArray(quotationLines.quotationId, latest))
    .orderBy(asc(quotationLines.lineNo));
  return rows.map((r) => ({ ...r, shipped: Number(r.shipped), returned: Number(r.returned), returnable: Number(r.shipped) - Number(r.returned) }));
}

export async function insertReturn(tx: DbOrTx, row: typeof returns.$inferInsert): Promise<Return> {
  const [inserted] = await tx.insert(returns).values(row).returning();
  return inserted!;
}

export async function insertReturnLines(tx: DbOrTx, lines: (typeof returnLines.$inferInsert)[]): Promise<void> {
  if (lines.length) await tx.insert(returnLines).values(lines);
}

/** Locks a return (FOR UPDATE); `companyId` scopes it to a customer's company. */
export async function lockReturnRow(tx: DbOrTx, id: string, scope: { companyId?: string } = {}): Promise<Return | null> {
  const [row] = await tx
    .select()
    .from(returns)
    .where(and(eq(returns.id, id), scope.companyId ? eq(returns.companyId, scope.companyId) : undefined))
    .for("update");
  return row ?? null;
}

/** Moves a return one step; conditional on the status that was read (null when it moved meanwhile). */
export async function updateReturnStep(
  tx: DbOrTx,
  id: string,
  from: Return["status"],
  patch: Pick<Partial<typeof returns.$inferInsert>, "status" | "decidedBy" | "decidedAt" | "rejectionReason" | "receivedBy" | "receivedAt">,
): Promise<Return | null> {
  const [row] = await tx.update(returns).set(patch).where(and(eq(returns.id, id), eq(returns.status, from))).returning();
  return row ?? null;
}

/** A return's lines with the invoice line they credit (same line number on the order's invoice). */
export async function returnLinesToCredit(tx: DbOrTx, returnId: string, invoiceId: string) {
  const rows = await tx
    .select({
      lineNo: returnLines.lineNo,
      productId: returnLines.productId,
      quantity: returnLines.quantity,
      sku: invoiceLines.sku,
      name: invoiceLines.name,
      unit: invoiceLines.unit,
      invoicedQuantity: invoiceLines.quantity,
      unitPriceMinor: invoiceLines.unitPriceMinor,
      discountBp: invoiceLines.discountBp,
      netMinor: invoiceLines.netMinor,
      taxRateBp: invoiceLines.taxRateBp,
      taxMinor: invoiceLines.taxMinor,
      priceExplanation: invoiceLines.priceExplanation,
    })
    .from(returnLines)
    .innerJoin(invoiceLines, and(eq(invoiceLines.invoiceId, invoiceId), eq(invoiceLines.lineNo, returnLines.lineNo)))
    .where(eq(returnLines.returnId, returnId))
    .orderBy(asc(returnLines.lineNo));
  return rows;
}

/** Per invoice line: the quantity, net and tax already credited by returns' credit notes. */
export async function creditedByReturns(tx: DbOrTx, invoiceId: string): Promise<Map<number, { quantity: number; netMinor: bigint; taxMinor: bigint }>> {
  const rows = await tx
    .select({
      lineNo: creditNoteLines.lineNo,
      quantity: sql<number>`sum(${creditNoteLines.quantity})::int`,
      net: sql<string>`sum(${creditNoteLines.netMinor})::text`,
      tax: sql<string>`sum(${creditNoteLines.taxMinor})::text`,
    })
    .from(creditNoteLines)
    .innerJoin(creditNotes, eq(creditNotes.id, creditNoteLines.creditNoteId))
    .where(and(eq(creditNotes.invoiceId, invoiceId), sql`${creditNotes.returnId} is not null`))
    .groupBy(creditNoteLines.lineNo);
  return new Map(rows.map((r) => [r.lineNo, { quantity: Number(r.quantity), netMinor: BigInt(r.net), taxMinor: BigInt(r.tax) }]));
}

/** Inserts a return's credit note with its lines; the invoice stays open (it is credited in part). */
export async function insertReturnCreditNote(
  tx: DbOrTx,
  note: typeof creditNotes.$inferInsert & { returnId: string },
  lines: Omit<typeof creditNoteLines.$inferInsert, "creditNoteId">[],
): Promise<typeof creditNotes.$inferSelect> {
  const [row] = await tx.insert(creditNotes).values(note).returning();
  await tx.insert(creditNoteLines).values(lines.map((l) => ({ ...l, creditNoteId: row!.id })));
  return row!;
}

export type ReturnSummary = {
  id: string;
  number: string;
  orderId: string;
  orderReference: string;
  companyId: string;
  status: Return["status"];
  reason: string;
  requestedAt: Date;
  requestedByName: string | null;
  decidedAt: Date | null;
  decidedByName: string | null;
  rejectionReason: string | null;
  receivedAt: Date | null;
  receivedByName: string | null;
  creditNoteId: string | null;
  creditNoteNumber: string | null;
  creditNoteTotalMinor: bigint | null;
  creditNoteCurrency: string | null;
  lines: { lineNo: number; sku: string; name: string; unit: string; quantity: number }[];
};

/** An order's returns, oldest first, with lines and credit note. `companyId` scopes to a customer's company. */
export async function listOrderReturns(db: DbOrTx, params: { orderId: string; companyId?: string }): Promise<ReturnSummary[]> {
  return returnSummaries(db, and(eq(returns.orderId, params.orderId), params.companyId ? eq(returns.companyId, params.companyId) : undefined), "oldest");
}

/**
 * Returns across orders, newest requested first (the API's list; `returnId` one of them): `companyId`
 * scopes to a customer's company, `status` filters; `offset` and `limit` page.
 */
export async function listReturns(
  db: DbOrTx,
  params: { companyId?: string; status?: Return["status"]; orderId?: string; returnId?: string; offset?: number; limit?: number },
): Promise<ReturnSummary[]> {
  const where = and(
    params.companyId ? eq(returns.companyId, params.companyId) : undefined,
    params.status ? eq(returns.status, params.status) : undefined,
    params.orderId ? eq(returns.orderId, params.orderId) : undefined,
    params.returnId ? eq(returns.id, params.returnId) : undefined,
  );
  return returnSummaries(db, where, "newest", { offset: params.offset ?? 0, limit: params.limit ?? 25 });
}

async function returnSummaries(db: DbOrTx, where: SQL | undefined, order: "oldest" | "newest", page?: { offset: number; limit: number }): Promise<ReturnSummary[]> {
  const requester = alias(users, "requester");
  const decider = alias(users, "decider");
  const receiver = alias(users, "receiver");
  const query = db
    .select({
      id: returns.id,
      number: returns.number,
      orderId: returns.orderId,
      orderReference: orders.reference,
      companyId: returns.companyId,
      status: returns.status,
      reason: returns.reason,
      requestedAt: returns.requestedAt,
      requestedByName: requester.name,
      decidedAt: returns.decidedAt,
      decidedByName: decider.name,
      rejectionReason: returns.rejectionReason,
      receivedAt: returns.receivedAt,
      receivedByName: receiver.name,
      creditNoteId: creditNotes.id,
      creditNoteNumber: creditNotes.number,
      creditNoteTotalMinor: creditNotes.totalMinor,
      creditNoteCurrency: creditNotes.currency,
    })
    .from(returns)
    .innerJoin(orders, eq(orders.id, returns.orderId))
    .leftJoin(requester, eq(requester.id, returns.requestedBy))
    .leftJoin(decider, eq(decider.id, returns.decidedBy))
    .leftJoin(receiver, eq(receiver.id, returns.receivedBy))
    .leftJoin(creditNotes, eq(creditNotes.returnId, returns.id))
    .where(where)
    // RET numbers are gap-free in request order: the tie-break of one instant.
    .orderBy(...(order === "oldest" ? [asc(returns.requestedAt), asc(returns.number)] : [desc(returns.requestedAt), desc(returns.number)]));
  const heads = page ? await query.offset(page.offset).limit(page.limit) : await query;
  if (heads.length === 0) return [];
  const lines = await db
    .select({ returnId: returnLines.returnId, lineNo: returnLines.lineNo, sku: quotationLines.sku, name: quotationLines.name, unit: quotationLines.unit, quantity: returnLines.quantity })
    .from(returnLines)
    .innerJoin(quotationLines, and(eq(quotationLines.quotationId, returnLines.quotationId), eq(quotationLines.lineNo, returnLines.lineNo)))
    .where(
      inArray(
        returnLines.returnId,
        heads.map((h) => h.id),
      ),
    )
    .orderBy(asc(returnLines.lineNo));
  return heads.map((h) => ({ ...h, lines: lines.filter((l) => l.returnId === h.id).map(({ returnId: _, ...l }) => l) }));
}
