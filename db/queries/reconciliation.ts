import "server-only";
import { eq, sql } from "drizzle-orm";
import { bankColumnMappings, bankStatementLines, bankStatements, type BankStatementLine } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import type { StoredSuggestion } from "@/lib/domain/bank-matching";
import { LINES_PER_CHUNK } from "@/lib/domain/statement-work";

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
  suggestion: (Omit<StoredSuggestion, "allocations" | "differenceMinor"> & { differenceMinor: bigint; allocations: { invoiceId: string; number: string; orderId: string | null; amountMinor: bigint }[] }) | null;
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
  // Each invoice's number, and its order (where staff see the invoice: the suggestion links there).
  const invoices = new Map<string, { number: string; orderId: string }>();
  if (invoiceIds.length) {
    const found = await queryRows<{ id: string; number: string; order_id: string }>(db, sql`select id, number, order_id from invoices where id in (${sql.join(invoiceIds.map((id) => sql`${id}::uuid`), sql`, `)})`);
    for (const i of found) invoices.set(i.id, { number: i.number, orderId: i.order_id });
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
          allocations: r.suggestion.allocations.map((a) => {
            const invoice = invoices.get(a.invoiceId);
            return { invoiceId: a.invoiceId, number: invoice?.number ?? "?", orderId: invoice?.orderId ?? null, amountMinor: BigInt(a.amountMinor) };
          }),
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

/** Banks with a remembered column mapping, a statement or an account (names for the import form's list). */
export async function listBankNames(db: DbOrTx): Promise<string[]> {
  const rows = await queryRows<{ bank_name: string }>(db, sql`select bank_name from bank_column_mappings union select bank_name from bank_statements union select bank_name from bank_accounts order by 1`);
  return rows.map((r) => r.bank_name);
}

export type BankAccountRow = { id: string; iban: string; bankName: string; statements: number; lastStatementAt: Date | null };

/**
 * Known bank accounts (IBAN and the name they were first known by) with how many statements were
 * imported for each and when the latest was: the reconciliation page's list and the import form's
 * suggestions. The statements say when an account was last imported (an account set up before its
 * first import, such as the demo seed's, has none).
 */
export async function listBankAccounts(db: DbOrTx): Promise<BankAccountRow[]> {
  const rows = await queryRows<{ id: string; iban: string; bank_name: string; statements: number; last_statement_at: Date | string | null }>(
    db,
    sql`select a.id, a.iban, a.bank_name, count(s.id)::int as statements, max(s.imported_at) as last_statement_at
        from bank_accounts a left join bank_statements s on s.bank_account_id = a.id
        group by a.id order by a.bank_name, a.iban`,
  );
  return rows.map((r) => ({ id: r.id, iban: r.iban, bankName: r.bank_name, statements: r.statements, lastStatementAt: r.last_statement_at === null ? null : new Date(r.last_statement_at) }));
}

/** An account known before its first statement (the demo seed's); null when the IBAN is known already. */
export async function insertBankAccountIfMissing(tx: DbOrTx, p: { iban: string; bankName: string }): Promise<{ id: string; iban: string; bankName: string } | null> {
  const [row] = await queryRows<{ id: string; iban: string; bank_name: string }>(
    tx,
    sql`insert into bank_accounts (iban, bank_name) values (${p.iban}, ${p.bankName}) on conflict (iban) do nothing returning id, iban, bank_name`,
  );
  return row ? { id: row.id, iban: row.iban, bankName: row.bank_name } : null;
}

// Writes and locks of the reconciliation use cases (lib/services/reconciliation.ts).

/**
 * The account of an IBAN, created on its first import; its row stays locked until the transaction
 * ends, so two imports of one account (under any names) run one after the other.
 */
export async function upsertBankAccount(tx: DbOrTx, p: { iban: string; bankName: string }): Promise<{ id: string; iban: string; bankName: string; created: boolean }> {
  const [row] = await queryRows<{ id: string; iban: string; bank_name: string; created: boolean }>(
    tx,
    sql`insert into bank_accounts (iban, bank_name) values (${p.iban}, ${p.bankName})
        on conflict (iban) do update set last_imported_at = now()
        returning id, iban, bank_name, (xmax = 0) as created`,
  );
  return { id: row!.id, iban: row!.iban, bankName: row!.bank_name, created: row!.created };
}

/**
 * Lines of CSV statements imported before the import asked for the IBAN are keyed by the bank's
 * name (legacyKey): the first import of that bank with an IBAN moves them to the account's key (a
 * line the account already holds stays where it is) and links their statements to the account, so
 * an overlapping statement does not store them twice. How many lines moved.
 */
export async function adoptLegacyLines(tx: DbOrTx, p: { legacyKey: string; accountKey: string; bankAccountId: string; iban: string }): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    tx,
    sql`with moved as (
          update bank_statement_lines l set account_key = ${p.accountKey}
          where l.account_key = ${p.legacyKey}
            and not exists (select 1 from bank_statement_lines o where o.account_key = ${p.accountKey} and o.identity = l.identity)
          returning l.statement_id),
        linked as (
          update bank_statements s set bank_account_id = ${p.bankAccountId}::uuid, account_iban = ${p.iban}
          where s.bank_account_id is null and s.id in (select statement_id from moved)
          returning 1)
        select (select count(*)::int from moved) as n, (select count(*) from linked) as statements`,
  );
  return row?.n ?? 0;
}

const uuidList = (ids: readonly string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);

/** A bank's remembered column mapping as stored (the service validates it), or null. */
export async function getColumnMapping(tx: DbOrTx, bankName: string): Promise<unknown> {
  const [row] = await tx.select({ mapping: bankColumnMappings.mapping }).from(bankColumnMappings).where(sql`lower(${bankColumnMappings.bankName}) = lower(${bankName})`);
  return row?.mapping ?? null;
}

/** Remembers a bank's column mapping (the unique key is on lower(bank_name), which drizzle's onConflictDoUpdate cannot name). */
export async function saveColumnMapping(tx: DbOrTx, bankName: string, mapping: unknown, userId: string): Promise<void> {
  await tx.execute(sql`
    insert into bank_column_mappings (bank_name, mapping, updated_by) values (${bankName}, ${JSON.stringify(mapping)}::jsonb, ${userId})
    on conflict (lower(bank_name)) do update set mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = now()`);
}

/**
 * Every open credit line (unmatched or suggested), locked in id order (as confirmations lock them,
 * so the two cannot deadlock), as JSON arrays of LineToMatch of LINES_PER_CHUNK lines each: the
 * database builds the text, and the statement worker reads it, so no per-line work happens on the
 * request thread.
 */
export async function lockLinesToMatchJson(tx: DbOrTx): Promise<string[]> {
  const chunks: string[] = [];
  let after: string | null = null;
  for (;;) {
    const [page]: { n: number; last: string | null; lines: string }[] = await queryRows<{ n: number; last: string | null; lines: string }>(
      tx,
      sql`with page as (
            select id, booked_on, amount_minor, currency, counterparty, reference, suggestion from bank_statement_lines
            where status in ('unmatched', 'suggested') and amount_minor > 0 ${after === null ? sql`` : sql`and id > ${after}::uuid`}
            order by id limit ${LINES_PER_CHUNK} for update)
          select count(*)::int as n, (array_agg(id order by id desc))[1]::text as last,
            coalesce(json_agg(json_build_object('id', id, 'bookedOn', booked_on::text, 'amountMinor', amount_minor::text, 'currency', currency,
              'counterparty', counterparty, 'reference', reference, 'suggestion', suggestion) order by id), '[]')::text as lines
          from page`,
    );
    if (!page || page.n === 0) break;
    chunks.push(page.lines);
    if (page.n < LINES_PER_CHUNK) break;
    after = page.last;
  }
  return chunks;
}

/** New suggestions for many lines (a JSON array of LineSuggestionUpdate); each line's version goes up. */
export async function updateLineSuggestionsJson(tx: DbOrTx, chunk: string): Promise<void> {
  await tx.execute(sql`
    update bank_statement_lines l
    set status = v.status::statement_line_status, suggestion = v.suggestion, suggested_company_id = v.company_id,
        confidence = v.confidence, version = l.version + 1
    from jsonb_to_recordset(${chunk}::jsonb) as v(id uuid, status text, suggestion jsonb, company_id uuid, confidence int)
    where l.id = v.id`);
}

export async function insertStatement(tx: DbOrTx, values: typeof bankStatements.$inferInsert) {
  const [row] = await tx.insert(bankStatements).values(values).returning();
  return row!;
}

/**
 * Inserts one statement's lines from a JSON array of LineRecord (built by the statement worker),
 * skipping those already known (unique per account): how many were new, and how many of those
 * are outgoing ("ignored").
 */
export async function insertStatementLinesJson(
  tx: DbOrTx,
  p: { statementId: string; bankName: string; accountKey: string; chunk: string },
): Promise<{ inserted: number; ignored: number }> {
  const [row] = await queryRows<{ inserted: number; ignored: number }>(
    tx,
    sql`with ins as (
          insert into bank_statement_lines (statement_id, bank_name, account_key, identity, line_no, booked_on, amount_minor, currency, counterparty, reference, bank_transaction_id, status)
          select ${p.statementId}::uuid, ${p.bankName}, ${p.accountKey}, v.identity, v.line_no, v.booked_on, v.amount_minor, v.currency, v.counterparty, v.reference, v.bank_transaction_id, v.status::statement_line_status
          from jsonb_to_recordset(${p.chunk}::jsonb) as v(identity text, line_no int, booked_on date, amount_minor bigint, currency text, counterparty text, reference text, bank_transaction_id text, status text)
          on conflict do nothing
          returning status)
        select count(*)::int as inserted, (count(*) filter (where status = 'ignored'))::int as ignored from ins`,
  );
  return row ?? { inserted: 0, ignored: 0 };
}

export async function setStatementNewLineCount(tx: DbOrTx, statementId: string, newLineCount: number): Promise<void> {
  await tx.update(bankStatements).set({ newLineCount }).where(eq(bankStatements.id, statementId));
}

export async function lockStatementLine(tx: DbOrTx, id: string): Promise<BankStatementLine | null> {
  const [line] = await tx.select().from(bankStatementLines).where(eq(bankStatementLines.id, id)).for("update");
  return line ?? null;
}

export async function updateStatementLine(tx: DbOrTx, id: string, values: Partial<typeof bankStatementLines.$inferInsert>): Promise<void> {
  await tx.update(bankStatementLines).set(values).where(eq(bankStatementLines.id, id));
}

/**
 * A customer's remittance awaiting verification that a bank line most likely is: same company,
 * amount and currency, allocated to one of the line's invoices (any, when it names none), and not
 * yet matched to another line. Locked; the oldest first.
 */
export async function lockRemittanceForLine(tx: DbOrTx, p: { companyId: string; amountMinor: bigint; currency: string; invoiceIds: readonly string[] }): Promise<string | null> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`select p.id from payments p
        where p.company_id = ${p.companyId} and p.status = 'pending_verification' and p.amount_minor = ${p.amountMinor} and p.currency = ${p.currency}
          and exists (select 1 from payment_allocations a where a.payment_id = p.id ${p.invoiceIds.length ? sql`and a.invoice_id in (${uuidList(p.invoiceIds)})` : sql``})
          and not exists (select 1 from bank_statement_lines l where l.payment_id = p.id)
        order by p.created_at limit 1 for update of p`,
  );
  return row?.id ?? null;
}

/** The number of an invoice this payment is allocated to that is no longer open, or null. */
export async function cancelledInvoiceOfPayment(tx: DbOrTx, paymentId: string): Promise<string | null> {
  const [row] = await queryRows<{ number: string }>(
    tx,
    sql`select i.number from payment_allocations a join invoices i on i.id = a.invoice_id where a.payment_id = ${paymentId} and i.status <> 'open' limit 1`,
  );
  return row?.number ?? null;
}

/** Another remittance of the same company, amount and currency awaiting verification, not matched to a line: its date and invoices. */
export async function pendingRemittanceOfAmount(tx: DbOrTx, p: { companyId: string; amountMinor: bigint; currency: string }): Promise<{ paidOn: string; invoices: string } | null> {
  const [row] = await queryRows<{ paid_on: string; invoices: string }>(
    tx,
    sql`select p.paid_on::text, coalesce(string_agg(i.number, ', ' order by i.number), '') as invoices from payments p
        left join payment_allocations a on a.payment_id = p.id left join invoices i on i.id = a.invoice_id
        where p.company_id = ${p.companyId} and p.status = 'pending_verification' and p.amount_minor = ${p.amountMinor} and p.currency = ${p.currency}
          and not exists (select 1 from bank_statement_lines l where l.payment_id = p.id)
        group by p.id, p.paid_on order by p.paid_on limit 1`,
  );
  return row ? { paidOn: row.paid_on, invoices: row.invoices } : null;
}

/** The invoices a payment is allocated to with their orders' status, the orders locked in id order. */
export async function lockOrdersOfPayment(tx: DbOrTx, paymentId: string): Promise<{ number: string; status: string }[]> {
  return queryRows<{ number: string; status: string }>(
    tx,
    sql`select i.number, o.status::text as status from payment_allocations a join invoices i on i.id = a.invoice_id join orders o on o.id = i.order_id
        where a.payment_id = ${paymentId} order by o.id for update of o`,
  );
}
