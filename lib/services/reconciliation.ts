import "server-only";
import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { bankColumnMappings, bankStatementLines, bankStatements, payments, type BankStatementLine } from "@/db/schema";
import { queryRows, type Tx } from "@/db/client";
import { matchStatement, type MatchableInvoice, type MatchableLine, type MatchSuggestion } from "@/lib/domain/bank-matching";
import { columnMappingSchema, detectStatementFormat, parseCamt053, parseStatementCsv, type ColumnMapping, type StatementLine } from "@/lib/domain/bank-statement";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { requiredText, uuidField } from "@/lib/domain/forms";
import { formatMoney } from "@/lib/domain/money";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { stableStringify } from "./idempotency";
import { insertPayment, settleInvoices, unsettleInvoices } from "./payments";

// Bank reconciliation: statements are imported (CSV with a per-bank column mapping, or CAMT.053),
// their credit lines matched to open invoices by the pure matcher in lib/domain/bank-matching,
// and finance confirms suggestions (one or many, atomically) into verified payments, or undoes one.

export const MAX_STATEMENT_BYTES = 10 * 1024 * 1024;

/** A suggestion as stored on the line (bigints as strings, JSON-safe). */
export type StoredSuggestion = {
  companyId: string;
  allocations: { invoiceId: string; amountMinor: string }[];
  confidence: number;
  method: MatchSuggestion["method"] | "manual";
  reason: string;
  outcome: MatchSuggestion["outcome"];
  differenceMinor: string;
};

function stored(s: MatchSuggestion, method: StoredSuggestion["method"] = s.method): StoredSuggestion {
  return {
    companyId: s.companyId,
    allocations: s.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.amountMinor.toString() })),
    confidence: s.confidence,
    method,
    reason: s.reason,
    outcome: s.outcome,
    differenceMinor: s.differenceMinor.toString(),
  };
}

export async function savedMapping(tx: Tx, bankName: string): Promise<ColumnMapping | null> {
  const [row] = await tx.select({ mapping: bankColumnMappings.mapping }).from(bankColumnMappings).where(sql`lower(${bankColumnMappings.bankName}) = lower(${bankName})`);
  if (!row) return null;
  const parsed = columnMappingSchema.safeParse(row.mapping);
  return parsed.success ? parsed.data : null;
}

/** Open invoices of every company with what verified payments have not yet covered. */
async function openInvoicesForMatching(tx: Tx): Promise<MatchableInvoice[]> {
  const rows = await queryRows<{ id: string; number: string; payment_reference: string | null; company_id: string; company_name: string; currency: string; outstanding: string; due_date: string; issue_date: string }>(
    tx,
    sql`select i.id, i.number, i.payment_reference, i.company_id, c.name as company_name, i.currency, i.due_date::text, i.issue_date::text,
          (i.total_minor - coalesce(v.paid, 0))::text as outstanding
        from invoices i
        join companies c on c.id = i.company_id
        left join (select a.invoice_id, sum(a.amount_minor) as paid from payment_allocations a
                   join payments p on p.id = a.payment_id and p.status = 'verified' group by a.invoice_id) v on v.invoice_id = i.id
        where i.status = 'open' and i.total_minor > coalesce(v.paid, 0)`,
  );
  return rows.map((r) => ({
    invoiceId: r.id,
    number: r.number,
    paymentReference: r.payment_reference,
    companyId: r.company_id,
    companyName: r.company_name,
    currency: r.currency,
    outstandingMinor: BigInt(r.outstanding),
    dueDate: r.due_date,
    issueDate: r.issue_date,
  }));
}

/**
 * Matches every credit line that is not confirmed (new and earlier ones) against the open
 * invoices, in booking order. A line whose suggestion changes gets a new version, so a clerk who
 * confirms what they saw earlier is told it changed. Manual assignments are kept as they are.
 */
async function rematch(ctx: MutationContext): Promise<{ suggested: number; unmatched: number; changed: number }> {
  const lines = await queryRows<{ id: string; booked_on: string; amount_minor: string; currency: string; counterparty: string; reference: string; status: string; suggestion: StoredSuggestion | null }>(
    ctx.tx,
    sql`select id, booked_on::text, amount_minor::text, currency, counterparty, reference, status, suggestion
        from bank_statement_lines where status in ('unmatched', 'suggested') and amount_minor > 0
        order by id for update`,
  );
  // Locked in id order (as confirmations lock them, so the two cannot deadlock), matched in booking order.
  lines.sort((a, b) => (a.booked_on === b.booked_on ? 0 : a.booked_on < b.booked_on ? -1 : 1));
  const invoices = await openInvoicesForMatching(ctx.tx);
  // What manual assignments hold is not offered to other lines.
  const held = new Map<string, bigint>();
  for (const l of lines) {
    if (l.suggestion?.method !== "manual") continue;
    for (const a of l.suggestion.allocations) held.set(a.invoiceId, (held.get(a.invoiceId) ?? 0n) + BigInt(a.amountMinor));
  }
  const available = invoices
    .map((i) => ({ ...i, outstandingMinor: i.outstandingMinor - (held.get(i.invoiceId) ?? 0n) }))
    .filter((i) => i.outstandingMinor > 0n);
  const automatic = lines.filter((l) => l.suggestion?.method !== "manual");
  const matchable: MatchableLine[] = automatic.map((l) => ({ id: l.id, bookedOn: l.booked_on, amountMinor: BigInt(l.amount_minor), currency: l.currency, counterparty: l.counterparty, reference: l.reference }));
  const { suggestions } = matchStatement(matchable, available);
  const byLine = new Map(suggestions.map((s) => [s.lineId, stored(s)]));

  const updates: { id: string; status: string; suggestion: StoredSuggestion | null; company_id: string | null; confidence: number | null }[] = [];
  for (const l of automatic) {
    const next = byLine.get(l.id) ?? null;
    // jsonb keeps its own key order: compare independent of it.
    if (stableStringify(next) === stableStringify(l.suggestion ?? null)) continue;
    updates.push({ id: l.id, status: next ? "suggested" : "unmatched", suggestion: next, company_id: next?.companyId ?? null, confidence: next?.confidence ?? null });
  }
  for (let i = 0; i < updates.length; i += 2000) {
    const chunk = JSON.stringify(updates.slice(i, i + 2000));
    await ctx.tx.execute(sql`
      update bank_statement_lines l
      set status = v.status::statement_line_status, suggestion = v.suggestion, suggested_company_id = v.company_id,
          confidence = v.confidence, version = l.version + 1
      from jsonb_to_recordset(${chunk}::jsonb) as v(id uuid, status text, suggestion jsonb, company_id uuid, confidence int)
      where l.id = v.id`);
  }
  const suggested = lines.filter((l) => (l.suggestion?.method === "manual" ? true : byLine.has(l.id))).length;
  return { suggested, unmatched: lines.length - suggested, changed: updates.length };
}

const mappingInput = z
  .preprocess((v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v; // not JSON: the schema refuses it with a message
    }
  }, columnMappingSchema)
  .optional();

/** Imports a bank statement: every line once (per bank), then matching over all open lines. */
export const importStatement = defineMutation({
  name: "bank_statement.import",
  entityType: "bank_statement",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({
    bankName: requiredText("The bank's name", 100),
    fileName: z.string().trim().max(200).default("statement"),
    content: z
      .string({ error: "Choose a statement file." })
      .min(1, "The file is empty.")
      .refine((text) => Buffer.byteLength(text, "utf8") <= MAX_STATEMENT_BYTES, "The file is larger than 10 MB; split it."),
    mapping: mappingInput,
  }),
  async run(ctx, input) {
    const format = detectStatementFormat(input.content);
    let lines: StatementLine[];
    let accountIban: string | null = null;
    if (format === "camt053") {
      const parsed = parseCamt053(input.content);
      if (!parsed.ok) throw fileProblems(parsed.errors);
      lines = parsed.lines;
      accountIban = parsed.accountIban;
    } else {
      const mapping = input.mapping ?? (await savedMapping(ctx.tx, input.bankName));
      if (!mapping) throw fieldError("mapping", `Map the columns of ${input.bankName}'s statements first; the mapping is remembered for the next import.`);
      const parsed = parseStatementCsv(input.content, mapping);
      if (!parsed.ok) throw fileProblems(parsed.errors);
      lines = parsed.lines;
      if (input.mapping) await rememberMapping(ctx, input.bankName, input.mapping);
    }
    if (lines.length === 0) throw fieldError("file", "The statement has no transactions.");

    const [statement] = await ctx.tx
      .insert(bankStatements)
      .values({ bankName: input.bankName, accountIban, format, fileName: input.fileName, fileSha256: createHash("sha256").update(input.content).digest("hex"), lineCount: lines.length, newLineCount: 0, importedBy: ctx.actor.id })
      .returning();
    let inserted = 0;
    let ignored = 0;
    for (let i = 0; i < lines.length; i += 1000) {
      const rows = await ctx.tx
        .insert(bankStatementLines)
        .values(
          lines.slice(i, i + 1000).map((l) => ({
            statementId: statement!.id,
            bankName: input.bankName,
            accountKey: accountKey(input.bankName, accountIban),
            identity: l.identity,
            lineNo: l.lineNo,
            bookedOn: l.bookedOn,
            amountMinor: l.amountMinor,
            currency: l.currency,
            counterparty: l.counterparty,
            reference: l.reference,
            bankTransactionId: l.bankTransactionId,
            // Money going out is not a customer's payment.
            status: l.amountMinor > 0n ? ("unmatched" as const) : ("ignored" as const),
          })),
        )
        .onConflictDoNothing()
        .returning({ status: bankStatementLines.status });
      inserted += rows.length;
      ignored += rows.filter((r) => r.status === "ignored").length;
    }
    await ctx.tx.update(bankStatements).set({ newLineCount: inserted }).where(eq(bankStatements.id, statement!.id));
    const matching = inserted > 0 ? await rematch(ctx) : { suggested: 0, unmatched: 0, changed: 0 };
    const result = { statementId: statement!.id, format, lines: lines.length, newLines: inserted, duplicates: lines.length - inserted, outgoing: ignored, ...matching };
    await ctx.audit({ action: "bank_statement.import", entityType: "bank_statement", entityId: statement!.id, after: { bankName: input.bankName, fileName: input.fileName, ...result } });
    return result;
  },
});

/**
 * Where line identities are unique: the IBAN when the statement names it (the same account imported
 * under two bank names is still one account), else the bank's name, case and spacing aside. The
 * migration that introduced it computes the same for earlier lines.
 */
export function accountKey(bankName: string, iban: string | null): string {
  return iban ? `iban:${iban.replace(/\s+/g, "").toUpperCase()}` : `bank:${bankName.trim().replace(/\s+/g, " ").toLowerCase()}`;
}

function fileProblems(errors: { row: number; message: string }[]): DomainError {
  const messages = errors.map((e) => (/^(row|entry) \d+/i.test(e.message) || e.row <= 0 ? e.message : `Row ${e.row}: ${e.message}`));
  return new DomainError("validation_failed", `The statement has ${errors.length === 1 ? "a problem" : `${errors.length} problems`}; nothing was imported.`, { fieldErrors: { file: messages } });
}

async function rememberMapping(ctx: MutationContext, bankName: string, mapping: ColumnMapping) {
  const before = await savedMapping(ctx.tx, bankName);
  if (JSON.stringify(before) === JSON.stringify(mapping)) return;
  // drizzle's onConflictDoUpdate takes columns only; the unique key is on lower(bank_name).
  await ctx.tx.execute(sql`
    insert into bank_column_mappings (bank_name, mapping, updated_by) values (${bankName}, ${JSON.stringify(mapping)}::jsonb, ${ctx.actor.id})
    on conflict (lower(bank_name)) do update set mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = now()`);
  await ctx.audit({ action: "bank_mapping.save", entityType: "bank_mapping", before: before ? { bankName, ...before } : null, after: { bankName, ...mapping } });
}

/** Re-runs matching (after payments or invoices changed since the import). */
export const rematchStatementLines = defineMutation({
  name: "bank_statement.rematch",
  entityType: "bank_statement",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({}),
  async run(ctx) {
    const result = await rematch(ctx);
    await ctx.audit({ action: "bank_statement.rematch", entityType: "bank_statement", after: result });
    return result;
  },
});

const lineRef = z.object({ id: uuidField("statement line"), version: z.coerce.number().int().positive() });

async function lockLine(ctx: MutationContext, ref: { id: string; version: number }): Promise<BankStatementLine> {
  const [line] = await ctx.tx.select().from(bankStatementLines).where(eq(bankStatementLines.id, ref.id)).for("update");
  if (!line) throw notFound("Statement line", { entityType: "bank_statement_line", entityId: ref.id });
  if (line.version !== ref.version) {
    throw new DomainError("conflict", `The line of ${line.bookedOn} over ${formatMoney(line.amountMinor, line.currency)} changed since the page was loaded (${line.status === "confirmed" ? "it was confirmed" : "its suggestion was recomputed"}). Reload and check it again; nothing was confirmed.`);
  }
  return line;
}

/**
 * Confirms suggested matches, all or none: each line becomes a verified payment allocated as
 * suggested (or verifies the customer's pending remittance for it), and paid invoices move their
 * orders on. Lines are locked in id order so two clerks confirming overlapping sets cannot deadlock.
 */
export const confirmMatches = defineMutation({
  name: "bank_statement.confirm",
  entityType: "bank_statement_line",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ lines: z.array(lineRef).min(1, "Choose at least one match to confirm.").max(500, "Confirm at most 500 matches at once.") }),
  async run(ctx, input) {
    const refs = [...new Map(input.lines.map((l) => [l.id, l])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    const confirmed: { lineId: string; paymentId: string; verifiedRemittance: boolean }[] = [];
    const settled: string[] = [];
    // Every lock is taken up front, lines then invoices, each in id order: two clerks confirming
    // overlapping sets queue instead of deadlocking.
    const lines: BankStatementLine[] = [];
    for (const ref of refs) {
      const line = await lockLine(ctx, ref);
      if (line.status !== "suggested" || !line.suggestion) throw new DomainError("conflict", `The line of ${line.bookedOn} over ${formatMoney(line.amountMinor, line.currency)} has no suggestion to confirm.`);
      lines.push(line);
    }
    const allInvoices = [...new Set(lines.flatMap((l) => (l.suggestion as StoredSuggestion).allocations.map((a) => a.invoiceId)))].sort();
    if (allInvoices.length) await ctx.tx.execute(sql`select id from invoices where id in (${sql.join(allInvoices.map((id) => sql`${id}::uuid`), sql`, `)}) order by id for update`);
    for (const line of lines) {
      const s = line.suggestion as StoredSuggestion;
      const { paymentId, verifiedRemittance, invoiceIds } = await paymentForLine(ctx, line, s);
      await ctx.tx
        .update(bankStatementLines)
        .set({ status: "confirmed", paymentId, decidedBy: ctx.actor.id, decidedAt: new Date(), version: line.version + 1 })
        .where(eq(bankStatementLines.id, line.id));
      await ctx.audit({
        action: "bank_statement.confirm",
        entityType: "bank_statement_line",
        entityId: line.id,
        companyId: s.companyId,
        before: { status: line.status },
        after: { status: "confirmed", paymentId, verifiedRemittance, method: s.method, confidence: s.confidence, allocations: s.allocations.map((a) => `${a.invoiceId}: ${a.amountMinor}`).join(", ") },
      });
      confirmed.push({ lineId: line.id, paymentId, verifiedRemittance });
      settled.push(...invoiceIds);
    }
    await settleInvoices(ctx, settled);
    return { confirmed: confirmed.length, lines: confirmed };
  },
});

async function paymentForLine(ctx: MutationContext, line: BankStatementLine, s: StoredSuggestion) {
  const invoiceIds = s.allocations.map((a) => a.invoiceId).sort();
  const invoices = invoiceIds.length
    ? await queryRows<{ id: string; number: string; company_id: string; currency: string; status: string; total_minor: string; allocated: string }>(
        ctx.tx,
        sql`select i.id, i.number, i.company_id, i.currency, i.status, i.total_minor::text,
              coalesce((select sum(a.amount_minor) from payment_allocations a join payments p on p.id = a.payment_id
                        where a.invoice_id = i.id and p.status in ('pending_verification', 'verified')), 0)::text as allocated
            from invoices i where i.id in (${sql.join(invoiceIds.map((id) => sql`${id}::uuid`), sql`, `)}) order by i.id for update of i`,
      )
    : [];
  for (const inv of invoices) {
    if (inv.status !== "open" || inv.company_id !== s.companyId || inv.currency !== line.currency) {
      throw new DomainError("conflict", `${inv.number} is no longer open for this payment; re-run matching.`);
    }
  }
  // The customer may already have told us about this transfer: verify their remittance instead of
  // recording the money a second time.
  const [remittance] = await queryRows<{ id: string }>(
    ctx.tx,
    sql`select p.id from payments p
        where p.company_id = ${s.companyId} and p.status = 'pending_verification' and p.amount_minor = ${line.amountMinor} and p.currency = ${line.currency}
          and exists (select 1 from payment_allocations a where a.payment_id = p.id ${invoiceIds.length ? sql`and a.invoice_id in (${sql.join(invoiceIds.map((id) => sql`${id}::uuid`), sql`, `)})` : sql``})
          and not exists (select 1 from bank_statement_lines l where l.payment_id = p.id)
        order by p.created_at limit 1 for update of p`,
  );
  if (remittance) {
    // Its own allocation may name invoices cancelled since it was recorded.
    const [cancelled] = await queryRows<{ number: string }>(
      ctx.tx,
      sql`select i.number from payment_allocations a join invoices i on i.id = a.invoice_id where a.payment_id = ${remittance.id} and i.status <> 'open' limit 1`,
    );
    if (cancelled) {
      throw new DomainError("conflict", `The customer's remittance for this transfer is allocated to ${cancelled.number}, which is cancelled. Reject the remittance in the payments queue, then confirm the line; nothing was confirmed.`);
    }
    await ctx.tx
      .update(payments)
      .set({ status: "verified", decidedBy: ctx.actor.id, decidedAt: new Date(), decisionReason: `Matched to ${line.bankName} statement line of ${line.bookedOn}` })
      .where(and(eq(payments.id, remittance.id), eq(payments.status, "pending_verification")));
    await ctx.audit({ action: "payment.verify", entityType: "payment", entityId: remittance.id, companyId: s.companyId, before: { status: "pending_verification" }, after: { status: "verified", bankStatementLineId: line.id } });
    const allocated = await queryRows<{ invoice_id: string }>(ctx.tx, sql`select invoice_id from payment_allocations where payment_id = ${remittance.id}`);
    return { paymentId: remittance.id, verifiedRemittance: true, invoiceIds: allocated.map((a) => a.invoice_id) };
  }
  // A remittance of the same amount on other invoices is most likely this very transfer, told
  // to us with another allocation: recording the bank line as well would count the money twice.
  const [other] = await queryRows<{ paid_on: string; invoices: string }>(
    ctx.tx,
    sql`select p.paid_on::text, coalesce(string_agg(i.number, ', ' order by i.number), '') as invoices from payments p
        left join payment_allocations a on a.payment_id = p.id left join invoices i on i.id = a.invoice_id
        where p.company_id = ${s.companyId} and p.status = 'pending_verification' and p.amount_minor = ${line.amountMinor} and p.currency = ${line.currency}
          and not exists (select 1 from bank_statement_lines l where l.payment_id = p.id)
        group by p.id, p.paid_on order by p.paid_on limit 1`,
  );
  if (other) {
    throw new DomainError(
      "conflict",
      `The customer recorded a transfer of ${formatMoney(line.amountMinor, line.currency)} on ${other.paid_on}${other.invoices ? ` for ${other.invoices}` : ""} that is awaiting verification; it is probably this payment. Verify or reject it in the payments queue first, so the money is not counted twice; nothing was confirmed.`,
    );
  }
  const allocations = s.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: BigInt(a.amountMinor) }));
  for (const a of allocations) {
    const inv = invoices.find((i) => i.id === a.invoiceId)!;
    const left = BigInt(inv.total_minor) - BigInt(inv.allocated);
    if (a.amountMinor > left) {
      throw new DomainError(
        "conflict",
        `${inv.number}: only ${formatMoney(left > 0n ? left : 0n, inv.currency)} is still outstanding (another payment was recorded or awaits verification since this match was suggested). Re-run matching; nothing was confirmed.`,
      );
    }
  }
  const payment = await insertPayment(
    ctx,
    {
      companyId: s.companyId,
      source: "bank_statement",
      status: "verified",
      amountMinor: line.amountMinor,
      currency: line.currency,
      paidOn: line.bookedOn,
      reference: line.reference.slice(0, 140),
      note: `${line.bankName}: ${line.counterparty}`.slice(0, 1000),
      recordedBy: ctx.actor.id,
      decidedBy: ctx.actor.id,
      decidedAt: new Date(),
    },
    allocations,
  );
  return { paymentId: payment.id, verifiedRemittance: false, invoiceIds };
}

/**
 * Undoes a confirmed match: the payment the match created is rejected (a customer's remittance it
 * verified goes back to awaiting verification), invoices that are no longer paid reopen their
 * orders' "paid" mark, and the line waits for confirmation again.
 */
export const undoMatch = defineMutation({
  name: "bank_statement.undo",
  entityType: "bank_statement_line",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ id: uuidField("statement line"), version: z.coerce.number().int().positive(), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const line = await lockLine(ctx, input);
    if (line.status !== "confirmed" || !line.paymentId) throw new DomainError("conflict", "Only a confirmed match can be undone.");
    const [payment] = await ctx.tx.select().from(payments).where(eq(payments.id, line.paymentId)).for("update");
    if (!payment || payment.status !== "verified") throw new DomainError("conflict", `The payment of this line is ${payment?.status.replaceAll("_", " ") ?? "gone"}; it cannot be undone here.`);
    // The orders are locked: a delivery cannot complete one between this check and the undo.
    const completed = await queryRows<{ number: string; status: string }>(
      ctx.tx,
      sql`select i.number, o.status::text as status from payment_allocations a join invoices i on i.id = a.invoice_id join orders o on o.id = i.order_id
          where a.payment_id = ${payment.id} order by o.id for update of o`,
    ).then((rows) => rows.filter((r) => r.status === "completed"));
    if (completed.length) {
      throw new DomainError("conflict", `${completed.map((c) => c.number).join(", ")} is paid and its order is completed; record a refund instead of undoing the match.`);
    }
    const fromRemittance = payment.source !== "bank_statement";
    await ctx.tx
      .update(payments)
      .set(
        fromRemittance
          ? { status: "pending_verification", decidedBy: null, decidedAt: null, decisionReason: null }
          : { status: "rejected", decidedBy: ctx.actor.id, decidedAt: new Date(), decisionReason: `Bank match undone: ${input.reason}` },
      )
      .where(eq(payments.id, payment.id));
    await ctx.tx
      .update(bankStatementLines)
      .set({ status: "suggested", paymentId: null, decidedBy: ctx.actor.id, decidedAt: new Date(), version: line.version + 1 })
      .where(eq(bankStatementLines.id, line.id));
    const invoiceIds = (await queryRows<{ invoice_id: string }>(ctx.tx, sql`select invoice_id from payment_allocations where payment_id = ${payment.id}`)).map((r) => r.invoice_id);
    await unsettleInvoices(ctx, invoiceIds, "A bank payment was withdrawn from this invoice");
    await ctx.audit({ action: "payment." + (fromRemittance ? "unverify" : "reject"), entityType: "payment", entityId: payment.id, companyId: payment.companyId, before: { status: "verified" }, after: { status: fromRemittance ? "pending_verification" : "rejected" }, reason: input.reason });
    await ctx.audit({ action: "bank_statement.undo", entityType: "bank_statement_line", entityId: line.id, companyId: payment.companyId, before: { status: "confirmed", paymentId: payment.id }, after: { status: "suggested" }, reason: input.reason });
    return { lineId: line.id, paymentId: payment.id, paymentStatus: fromRemittance ? "pending_verification" : "rejected" };
  },
});

/**
 * Assigns an unmatched (or wrongly suggested) line to invoices a clerk names by number; the
 * matcher allocates it (due-date order, short/over flagged) and the line waits for confirmation.
 */
export const assignLine = defineMutation({
  name: "bank_statement.assign",
  entityType: "bank_statement_line",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ id: uuidField("statement line"), version: z.coerce.number().int().positive(), invoices: requiredText("Invoice numbers", 1000) }),
  async run(ctx, input) {
    const line = await lockLine(ctx, input);
    if (line.status === "confirmed" || line.amountMinor <= 0n) throw fieldError("invoices", "Only an incoming line that is not confirmed can be assigned.");
    const numbers = [...new Set(input.invoices.split(/[\s,;]+/).map((n) => n.trim().toUpperCase()).filter(Boolean))];
    const open = (await openInvoicesForMatching(ctx.tx)).filter((i) => numbers.includes(i.number));
    const missing = numbers.filter((n) => !open.some((i) => i.number === n));
    if (missing.length) throw fieldError("invoices", `Not open for payment: ${missing.join(", ")}.`);
    if (new Set(open.map((i) => i.companyId)).size > 1) throw fieldError("invoices", "Choose invoices of one company.");
    if (open.some((i) => i.currency !== line.currency)) throw fieldError("invoices", `The invoices must be in ${line.currency}, the line's currency.`);
    // The matcher reads invoice numbers from the reference text; the clerk's numbers are that text.
    const { suggestions } = matchStatement(
      [{ id: line.id, bookedOn: line.bookedOn, amountMinor: line.amountMinor, currency: line.currency, counterparty: line.counterparty, reference: open.map((i) => i.number).join(" ") }],
      open,
    );
    const s = suggestions[0];
    if (!s) throw fieldError("invoices", "These invoices cannot take this payment.");
    const suggestion: StoredSuggestion = { ...stored(s, "manual"), confidence: 100, reason: `Assigned by hand to ${open.map((i) => i.number).join(", ")}. ${s.reason}` };
    await ctx.tx
      .update(bankStatementLines)
      .set({ status: "suggested", suggestion, suggestedCompanyId: s.companyId, confidence: 100, version: line.version + 1 })
      .where(eq(bankStatementLines.id, line.id));
    await ctx.audit({ action: "bank_statement.assign", entityType: "bank_statement_line", entityId: line.id, companyId: s.companyId, before: { status: line.status, suggestion: line.suggestion }, after: { status: "suggested", invoices: numbers.join(", ") } });
    return { lineId: line.id, version: line.version + 1 };
  },
});

/** Marks an incoming line as not a customer payment (e.g. a tax refund); it leaves the queue. */
export const ignoreLine = defineMutation({
  name: "bank_statement.ignore",
  entityType: "bank_statement_line",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({ id: uuidField("statement line"), version: z.coerce.number().int().positive(), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const line = await lockLine(ctx, input);
    if (line.status === "confirmed") throw new DomainError("conflict", "Undo the confirmed match first.");
    await ctx.tx.update(bankStatementLines).set({ status: "ignored", suggestion: null, suggestedCompanyId: null, confidence: null, decidedBy: ctx.actor.id, decidedAt: new Date(), version: line.version + 1 }).where(eq(bankStatementLines.id, line.id));
    await ctx.audit({ action: "bank_statement.ignore", entityType: "bank_statement_line", entityId: line.id, before: { status: line.status }, after: { status: "ignored" }, reason: input.reason });
    return { lineId: line.id };
  },
});

