import "server-only";
import { z } from "zod";
import type { BankStatementLine } from "@/db/schema";
import { db, type DbOrTx } from "@/db/client";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { allocatedInvoiceIds, getPayment, setPaymentStatusIf } from "@/db/queries/payments";
import {
  adoptLegacyLines,
  cancelledInvoiceOfPayment,
  getColumnMapping,
  insertStatement,
  insertStatementLinesJson,
  lockLinesToMatchJson,
  lockOrdersOfPayment,
  lockRemittanceForLine,
  lockStatementLine,
  pendingRemittanceOfAmount,
  saveColumnMapping,
  setStatementNewLineCount,
  updateLineSuggestionsJson,
  upsertBankAccount,
  updateStatementLine,
} from "@/db/queries/reconciliation";
import type { Actor } from "@/lib/domain/actor";
import { matchStatement, type MatchableInvoice, type StoredSuggestion } from "@/lib/domain/bank-matching";
import { columnMappingSchema, csvHeaders, detectStatementFormat, type ColumnMapping } from "@/lib/domain/bank-statement";
import { toStoredSuggestion } from "@/lib/domain/statement-work";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { controlCharactersProblem, hasNoControlCharacters, requiredText, uuidField } from "@/lib/domain/forms";
import { formatIban, isValidIban, normaliseIban, optionalIbanField } from "@/lib/domain/iban";
import { formatMoney } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { runStatementJob, StatementPoolError } from "@/lib/statements/pool";
import { insertPayment, notAfterToday, paymentEventData, settleInvoices, unsettleInvoices } from "./payments";

// Bank reconciliation: statements are imported (CSV with a per-bank column mapping, or CAMT.053),
// their credit lines matched to open invoices by the pure matcher in lib/domain/bank-matching,
// and finance confirms suggestions (one or many, atomically) into verified payments, or undoes one.

export const MAX_STATEMENT_BYTES = 10 * 1024 * 1024;

export type { StoredSuggestion };

const stored = toStoredSuggestion;

export async function savedMapping(tx: DbOrTx, bankName: string): Promise<ColumnMapping | null> {
  const stored = await getColumnMapping(tx, bankName);
  if (stored === null) return null;
  const parsed = columnMappingSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export type StatementPreview =
  | { ok: true; format: "csv" | "camt053"; headers: string[]; savedMapping: ColumnMapping | null }
  | { ok: false; error: string };

/** A chosen file's header row and the bank's remembered mapping, so the clerk can map columns (read-only, payments.manage). */
export async function previewStatement(actor: Actor | null, bankName: string, content: string): Promise<StatementPreview> {
  if (!actor || !can(actor.role, "payments.manage")) return { ok: false, error: "You are not allowed to do this." };
  if (Buffer.byteLength(content, "utf8") > MAX_STATEMENT_BYTES) return { ok: false, error: "The file is larger than 10 MB; split it." };
  // The same rule as the import's bank name: a NUL reached PostgreSQL, which refuses it (a 500).
  if (!hasNoControlCharacters(bankName)) return { ok: false, error: `The bank's name: ${controlCharactersProblem}` };
  const format = detectStatementFormat(content);
  if (format === "camt053") return { ok: true, format, headers: [], savedMapping: null };
  const headers = csvHeaders(content).headers;
  if (headers.length === 0) return { ok: false, error: "The file has no header row." };
  return { ok: true, format, headers, savedMapping: bankName.trim() ? await savedMapping(db, bankName.trim()) : null };
}

/**
 * Open invoices of every company with what verified payments have not yet covered. Remittances
 * awaiting verification do not reduce it: the bank line is most likely that very transfer.
 */
async function openInvoicesForMatching(tx: DbOrTx): Promise<MatchableInvoice[]> {
  const balances = await invoiceBalances(tx, { everyCompany: true, counting: "verified", openOnly: true });
  return balances
    .filter((b) => b.outstandingMinor > 0n)
    .map((b) => ({
      invoiceId: b.invoiceId,
      number: b.number,
      paymentReference: b.paymentReference,
      companyId: b.companyId,
      companyName: b.companyName,
      currency: b.currency,
      outstandingMinor: b.outstandingMinor,
      dueDate: b.dueDate,
      issueDate: b.issueDate,
    }));
}

/**
 * Matches every credit line that is not confirmed (new and earlier ones) against the open
 * invoices, in booking order (lib/domain/statement-work planRematch, in the statement worker). A
 * line whose suggestion changes gets a new version, so a clerk who confirms what they saw earlier
 * is told it changed. Manual assignments are kept as they are.
 */
async function rematch(ctx: MutationContext): Promise<{ suggested: number; unmatched: number; changed: number }> {
  const lineChunks = await lockLinesToMatchJson(ctx.tx);
  const invoices = await openInvoicesForMatching(ctx.tx);
  const plan = await inWorker(runStatementJob({ kind: "rematch", lineChunks, invoices }));
  for (const chunk of plan.updateChunks) await updateLineSuggestionsJson(ctx.tx, chunk);
  return { suggested: plan.suggested, unmatched: plan.unmatched, changed: plan.changed };
}

/** A full worker queue is "try again later" for the clerk; anything else stays unexpected. */
async function inWorker<T>(job: Promise<T>): Promise<T> {
  try {
    return await job;
  } catch (error) {
    if (error instanceof StatementPoolError && error.code === "queue_full") {
      throw new DomainError("throttled", "Several statements are being imported right now. Try again in a minute; nothing was imported.");
    }
    throw error;
  }
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

/**
 * Imports a bank statement: every line once per bank account, then matching over all open lines.
 * The account is its IBAN: typed by the clerk for a CSV file, read from a CAMT.053 file (which may
 * also be typed, and must then agree).
 */
export const importStatement = defineMutation({
  name: "bank_statement.import",
  entityType: "bank_statement",
  permission: "payments.manage",
  idempotent: true,
  input: z.object({
    bankName: requiredText("The bank's name", 100),
    iban: optionalIbanField,
    fileName: z.string().trim().max(200).refine(hasNoControlCharacters, controlCharactersProblem).default("statement"),
    content: z
      .string({ error: "Choose a statement file." })
      .min(1, "The file is empty.")
      .refine((text) => Buffer.byteLength(text, "utf8") <= MAX_STATEMENT_BYTES, "The file is larger than 10 MB; split it."),
    mapping: mappingInput,
  }),
  async run(ctx, input) {
    const format = detectStatementFormat(input.content);
    let mapping: ColumnMapping | null = null;
    if (format === "csv") {
      mapping = input.mapping ?? (await savedMapping(ctx.tx, input.bankName));
      if (!mapping) throw fieldError("mapping", `Map the columns of ${input.bankName}'s statements first; the mapping is remembered for the next import.`);
    }
    // Parsing (and hashing) 10 MB is seconds of CPU: the worker does it and hands back insert-ready JSON.
    const parsed = await inWorker(runStatementJob({ kind: "parse", content: input.content, format, mapping }));
    if (!parsed.ok) throw fileProblems(parsed.errors);
    if (parsed.lineCount === 0) throw fieldError("file", "The statement has no transactions.");
    const accountIban = statementIban(format, input.iban, parsed.accountIban);
    if (format === "csv" && input.mapping) await rememberMapping(ctx, input.bankName, input.mapping);
    const account = await upsertBankAccount(ctx.tx, { iban: accountIban, bankName: input.bankName });
    const key = accountKey(input.bankName, accountIban);
    if (account.created) {
      const adopted = await adoptLegacyLines(ctx.tx, { legacyKey: accountKey(input.bankName, null), accountKey: key, bankAccountId: account.id, iban: accountIban });
      await ctx.audit({ action: "bank_account.create", entityType: "bank_account", entityId: account.id, after: { iban: accountIban, bankName: input.bankName, adoptedLines: adopted } });
    }

    const statement = await insertStatement(ctx.tx, {
      bankName: input.bankName,
      accountIban,
      bankAccountId: account.id,
      format,
      fileName: input.fileName,
      fileSha256: parsed.sha256,
      lineCount: parsed.lineCount,
      newLineCount: 0,
      importedBy: ctx.actor.id,
    });
    let inserted = 0;
    let ignored = 0;
    for (const chunk of parsed.chunks) {
      const n = await insertStatementLinesJson(ctx.tx, { statementId: statement.id, bankName: input.bankName, accountKey: key, chunk });
      inserted += n.inserted;
      ignored += n.ignored;
    }
    await setStatementNewLineCount(ctx.tx, statement.id, inserted);
    const matching = inserted > 0 ? await rematch(ctx) : { suggested: 0, unmatched: 0, changed: 0 };
    const result = { statementId: statement.id, format, lines: parsed.lineCount, newLines: inserted, duplicates: parsed.lineCount - inserted, outgoing: ignored, ...matching };
    await ctx.audit({ action: "bank_statement.import", entityType: "bank_statement", entityId: statement.id, after: { bankName: input.bankName, iban: accountIban, fileName: input.fileName, ...result } });
    return result;
  },
});

/** The statement's account: the file's IBAN (CAMT.053) or the typed one, which must agree when both are given. */
function statementIban(format: "csv" | "camt053", typed: string | undefined, inFile: string | null): string {
  const fromFile = inFile === null ? null : normaliseIban(inFile);
  if (format === "camt053" && fromFile !== null) {
    if (!isValidIban(fromFile)) throw fieldError("file", `The statement's account ${fromFile} is not a valid IBAN.`);
    if (typed !== undefined && typed !== fromFile) throw fieldError("iban", `The file is a statement of ${formatIban(fromFile)}, not of ${formatIban(typed)}.`);
    return fromFile;
  }
  if (typed === undefined) {
    throw fieldError("iban", format === "csv" ? "Enter the IBAN of the account this statement is for." : "The file does not name its account's IBAN; enter it.");
  }
  return typed;
}

/**
 * Where line identities are unique: the IBAN when the statement names it (the same account imported
 * under two bank names is still one account). Lines of CSV statements imported before the IBAN was
 * asked for have the bank's name, case and spacing aside (migration 0013 computed it), until their
 * bank's first import with an IBAN adopts them.
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
  await saveColumnMapping(ctx.tx, bankName, mapping, ctx.actor.id);
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
  const line = await lockStatementLine(ctx.tx, ref.id);
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
    // Locked here; paymentForLine reads their balances behind these locks.
    if (allInvoices.length) await invoiceBalances(ctx.tx, { invoiceIds: allInvoices, counting: "verified_and_pending", lock: true });
    for (const line of lines) {
      const s = line.suggestion as StoredSuggestion;
      const { paymentId, verifiedRemittance, invoiceIds } = await paymentForLine(ctx, line, s);
      await updateStatementLine(ctx.tx, line.id, { status: "confirmed", paymentId, decidedBy: ctx.actor.id, decidedAt: new Date(), version: line.version + 1 });
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
  // Locked by confirmMatches; what may still be allocated counts pending remittances, as the trigger does.
  const invoices = await invoiceBalances(ctx.tx, { invoiceIds, counting: "verified_and_pending" });
  for (const inv of invoices) {
    if (inv.status !== "open" || inv.companyId !== s.companyId || inv.currency !== line.currency) {
      throw new DomainError("conflict", `${inv.number} is no longer open for this payment; re-run matching.`);
    }
  }
  // The customer may already have told us about this transfer: verify their remittance instead of
  // recording the money a second time.
  const remittance = await lockRemittanceForLine(ctx.tx, { companyId: s.companyId, amountMinor: line.amountMinor, currency: line.currency, invoiceIds });
  if (remittance) {
    // Its own allocation may name invoices cancelled since it was recorded.
    const cancelled = await cancelledInvoiceOfPayment(ctx.tx, remittance);
    if (cancelled) {
      throw new DomainError("conflict", `The customer's remittance for this transfer is allocated to ${cancelled}, which is cancelled. Reject the remittance in the payments queue, then confirm the line; nothing was confirmed.`);
    }
    const verified = await setPaymentStatusIf(ctx.tx, { paymentId: remittance, from: "pending_verification", to: "verified", decidedBy: ctx.actor.id, reason: `Matched to ${line.bankName} statement line of ${line.bookedOn}` });
    if (verified) await ctx.emit({ type: "payment.verified", companyId: verified.companyId, data: { ...paymentEventData(verified), previousStatus: "pending_verification", reason: null } });
    await ctx.audit({ action: "payment.verify", entityType: "payment", entityId: remittance, companyId: s.companyId, before: { status: "pending_verification" }, after: { status: "verified", bankStatementLineId: line.id } });
    return { paymentId: remittance, verifiedRemittance: true, invoiceIds: await allocatedInvoiceIds(ctx.tx, remittance) };
  }
  // A remittance of the same amount on other invoices is most likely this very transfer, told
  // to us with another allocation: recording the bank line as well would count the money twice.
  const other = await pendingRemittanceOfAmount(ctx.tx, { companyId: s.companyId, amountMinor: line.amountMinor, currency: line.currency });
  if (other) {
    throw new DomainError(
      "conflict",
      `The customer recorded a transfer of ${formatMoney(line.amountMinor, line.currency)} on ${other.paidOn}${other.invoices ? ` for ${other.invoices}` : ""} that is awaiting verification; it is probably this payment. Verify or reject it in the payments queue first, so the money is not counted twice; nothing was confirmed.`,
    );
  }
  const allocations = s.allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: BigInt(a.amountMinor) }));
  for (const a of allocations) {
    const inv = invoices.find((i) => i.invoiceId === a.invoiceId)!;
    const left = inv.outstandingMinor;
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
      paidOn: notAfterToday(line.bookedOn),
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
    const payment = await getPayment(ctx.tx, line.paymentId, { lock: true });
    if (!payment || payment.status !== "verified") throw new DomainError("conflict", `The payment of this line is ${payment?.status.replaceAll("_", " ") ?? "gone"}; it cannot be undone here.`);
    // The orders are locked: a delivery cannot complete one between this check and the undo.
    const completed = (await lockOrdersOfPayment(ctx.tx, payment.id)).filter((r) => r.status === "completed");
    if (completed.length) {
      throw new DomainError("conflict", `${completed.map((c) => c.number).join(", ")} is paid and its order is completed; record a refund instead of undoing the match.`);
    }
    const fromRemittance = payment.source !== "bank_statement";
    const moved = await setPaymentStatusIf(
      ctx.tx,
      fromRemittance
        ? { paymentId: payment.id, from: "verified", to: "pending_verification", decidedBy: null, reason: null }
        : { paymentId: payment.id, from: "verified", to: "rejected", decidedBy: ctx.actor.id, reason: `Bank match undone: ${input.reason}` },
    );
    if (moved?.status === "rejected") await ctx.emit({ type: "payment.rejected", companyId: moved.companyId, data: { ...paymentEventData(moved), previousStatus: "verified", reason: input.reason } });
    await updateStatementLine(ctx.tx, line.id, { status: "suggested", paymentId: null, decidedBy: ctx.actor.id, decidedAt: new Date(), version: line.version + 1 });
    const invoiceIds = await allocatedInvoiceIds(ctx.tx, payment.id);
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
    await updateStatementLine(ctx.tx, line.id, { status: "suggested", suggestion, suggestedCompanyId: s.companyId, confidence: 100, version: line.version + 1 });
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
    await updateStatementLine(ctx.tx, line.id, { status: "ignored", suggestion: null, suggestedCompanyId: null, confidence: null, decidedBy: ctx.actor.id, decidedAt: new Date(), version: line.version + 1 });
    await ctx.audit({ action: "bank_statement.ignore", entityType: "bank_statement_line", entityId: line.id, before: { status: line.status }, after: { status: "ignored" }, reason: input.reason });
    return { lineId: line.id };
  },
});

