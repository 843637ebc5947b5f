import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { StoredSuggestion } from "@/lib/services/reconciliation";

// Reads for the reconciliation page (staff with payments.manage; the page checks the permission).

export const lineStatuses = ["suggested", "unmatched", "confirmed", "ignored"] as const;
export type LineStatus = (typeof lineStatuses)[number];

export type StatementLineRow = {
  id: string;
  version: number;
  bankName: string;
  bookedOn: string;
  amountMinor: bigint;
  currency: string;
  counterparty: string;
  reference: string;
  status: LineStatus;
  confidence: number | null;
  companyName: string | null;
  suggestion: (Omit<StoredSuggestion, "allocations" | "differenceMinor"> & { differenceMinor: bigint; allocations: { invoiceId: string; number: string; amountMinor: bigint }[] }) | null;
  paymentId: string | null;
  decidedAt: Date | null;
};

export async function statementLineCounts(db: DbOrTx): Promise<Record<LineStatus, number>> {
  const rows = await queryRows<{ status: LineStatus; n: number }>(db, sql`select status, count(*)::int as n from bank_statement_lines group by status`);
  const counts = { suggested: 0, unmatched: 0, confirmed: 0, ignored: 0 };
  for (const r of rows) counts[r.status] = r.n;
  return counts;
}

/** Lines of one status; suggestions first by confidence, the rest by booking date (newest first for decided ones). */
export async function listStatementLines(db: DbOrTx, f: { status: LineStatus; limit: number; offset: number }): Promise<StatementLineRow[]> {
  const order =
    f.status === "suggested" ? sql`l.confidence desc, l.booked_on, l.line_no, l.id` : f.status === "unmatched" ? sql`l.booked_on, l.line_no, l.id` : sql`l.decided_at desc nulls last, l.booked_on desc, l.id`;
  const rows = await queryRows<{
    id: string;
    version: number;
    bank_name: string;
    booked_on: string;
    amount_minor: string;
    currency: string;
    counterparty: string;
    reference: string;
    status: LineStatus;
    confidence: number | null;
    company_name: string | null;
    suggestion: StoredSuggestion | null;
    payment_id: string | null;
    decided_at: Date | string | null;
  }>(
    db,
    sql`select l.id, l.version, l.bank_name, l.booked_on::text, l.amount_minor::text, l.currency, l.counterparty, l.reference, l.status,
          l.confidence, c.name as company_name, l.suggestion, l.payment_id, l.decided_at
        from bank_statement_lines l left join companies c on c.id = l.suggested_company_id
        where l.status = ${f.status}
        order by ${order} limit ${f.limit} offset ${f.offset}`,
  );
  const invoiceIds = [...new Set(rows.flatMap((r) => r.suggestion?.allocations.map((a) => a.invoiceId) ?? []))];
  const numbers = new Map<string, string>();
  if (invoiceIds.length) {
    const found = await queryRows<{ id: string; number: string }>(db, sql`select id, number from invoices where id in (${sql.join(invoiceIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
    for (const i of found) numbers.set(i.id, i.number);
  }
  return rows.map((r) => ({
    id: r.id,
    version: r.version,
    bankName: r.bank_name,
    bookedOn: r.booked_on,
    amountMinor: BigInt(r.amount_minor),
    currency: r.currency,
    counterparty: r.counterparty,
    reference: r.reference,
    status: r.status,
    confidence: r.confidence,
    companyName: r.company_name,
    suggestion: r.suggestion
      ? {
          ...r.suggestion,
          differenceMinor: BigInt(r.suggestion.differenceMinor),
          allocations: r.suggestion.allocations.map((a) => ({ invoiceId: a.invoiceId, number: numbers.get(a.invoiceId) ?? "?", amountMinor: BigInt(a.amountMinor) })),
        }
      : null,
    paymentId: r.payment_id,
    decidedAt: r.decided_at === null ? null : new Date(r.decided_at),
  }));
}

export type StatementImportRow = { id: string; bankName: string; format: string; fileName: string; lineCount: number; newLineCount: number; importedAt: Date; importedBy: string | null };

export async function listStatementImports(db: DbOrTx, limit = 10): Promise<StatementImportRow[]> {
  const rows = await queryRows<{ id: string; bank_name: string; format: string; file_name: string; line_count: number; new_line_count: number; imported_at: Date | string; imported_by: string | null }>(
    db,
    sql`select s.id, s.bank_name, s.format, s.file_name, s.line_count, s.new_line_count, s.imported_at, u.name as imported_by
        from bank_statements s left join users u on u.id = s.imported_by order by s.imported_at desc limit ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, bankName: r.bank_name, format: r.format, fileName: r.file_name, lineCount: r.line_count, newLineCount: r.new_line_count, importedAt: new Date(r.imported_at), importedBy: r.imported_by }));
}

/** Banks with a remembered column mapping (names for the import form's list). */
export async function listBankNames(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ bank_name: string }>(db, sql`select bank_name from bank_column_mappings union select distinct bank_name from bank_statements order by 1`);
  return rows.map((r) => r.bank_name);
}
