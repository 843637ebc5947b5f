// The CPU-heavy halves of a statement import and of matching, as pure functions over plain data, so
// that they can run in a worker thread (lib/statements): parsing 500,000 lines takes seconds, and on
// the request thread every other request of the process would wait that long.
//
// What crosses to and from the worker is text: the statement, and lines as JSON arrays, which the
// database produces (json_agg) and consumes (jsonb_to_recordset) directly. Copying a string between
// threads is a memcpy; a structured clone of 500,000 objects would be seconds of work again on the
// request thread, just to hand them over.

import { createHash } from "node:crypto";
import { matchStatement, type MatchableInvoice, type MatchableLine, type MatchSuggestion, type StoredSuggestion } from "./bank-matching";
import { parseCamt053, parseStatementCsv, type ColumnMapping, type StatementError } from "./bank-statement";
import { stableStringify } from "./fingerprint";

/** Lines per JSON chunk: one INSERT or UPDATE statement each, a few hundred kB of text. */
export const LINES_PER_CHUNK = 5000;

/** A statement line as the INSERT reads it (jsonb_to_recordset; amounts as strings, bigint-safe). */
export type LineRecord = {
  identity: string;
  line_no: number;
  booked_on: string;
  amount_minor: string;
  currency: string;
  counterparty: string;
  reference: string;
  bank_transaction_id: string | null;
  status: "unmatched" | "ignored";
};

export type ParsedStatement =
  | {
      ok: true;
      accountIban: string | null;
      lineCount: number;
      sha256: string;
      /** JSON arrays of LineRecord, LINES_PER_CHUNK each. */
      chunks: string[];
    }
  | { ok: false; errors: StatementError[] };

function chunked<T>(items: readonly T[], size = LINES_PER_CHUNK): string[] {
  const out: string[] = [];
  for (let i = 0; i < items.length; i += size) out.push(JSON.stringify(items.slice(i, i + size)));
  return out;
}

/** Parses a statement (camt.053, or CSV through `mapping`) into insert-ready JSON chunks. */
export function parseStatementForImport(content: string, format: "csv" | "camt053", mapping: ColumnMapping | null): ParsedStatement {
  let accountIban: string | null = null;
  let lines;
  if (format === "camt053") {
    const parsed = parseCamt053(content);
    if (!parsed.ok) return parsed;
    lines = parsed.lines;
    accountIban = parsed.accountIban;
  } else {
    if (!mapping) throw new Error("parseStatementForImport: a CSV statement needs a column mapping");
    const parsed = parseStatementCsv(content, mapping);
    if (!parsed.ok) return parsed;
    lines = parsed.lines;
  }
  const records: LineRecord[] = lines.map((l) => ({
    identity: l.identity,
    line_no: l.lineNo,
    booked_on: l.bookedOn,
    amount_minor: l.amountMinor.toString(),
    currency: l.currency,
    counterparty: l.counterparty,
    reference: l.reference,
    bank_transaction_id: l.bankTransactionId,
    // Money going out is not a customer's payment.
    status: l.amountMinor > 0n ? "unmatched" : "ignored",
  }));
  return { ok: true, accountIban, lineCount: records.length, sha256: createHash("sha256").update(content).digest("hex"), chunks: chunked(records) };
}

/** A suggestion as stored on a line (bigints as strings). */
export function toStoredSuggestion(s: MatchSuggestion, method: StoredSuggestion["method"] = s.method): StoredSuggestion {
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

/** An open line as the database hands it over for matching (JSON: amounts as strings). */
export type LineToMatch = {
  id: string;
  bookedOn: string;
  amountMinor: string;
  currency: string;
  counterparty: string;
  reference: string;
  suggestion: StoredSuggestion | null;
};

export type LineSuggestionUpdate = { id: string; status: "suggested" | "unmatched"; suggestion: StoredSuggestion | null; company_id: string | null; confidence: number | null };

export type RematchPlan = {
  suggested: number;
  unmatched: number;
  changed: number;
  /** JSON arrays of LineSuggestionUpdate, LINES_PER_CHUNK each: only lines whose suggestion changed. */
  updateChunks: string[];
};

/**
 * Matches every open line (`lineChunks`: JSON arrays of LineToMatch, in id order) against the open
 * invoices, in booking order. Manual assignments are kept, and what they hold is not offered to
 * other lines. Only lines whose suggestion changes are updated (and so get a new version).
 */
export function planRematch(lineChunks: readonly string[], invoices: readonly MatchableInvoice[]): RematchPlan {
  const lines = lineChunks.flatMap((c) => JSON.parse(c) as LineToMatch[]);
  // Stable: lines of one day stay in id order.
  lines.sort((a, b) => (a.bookedOn === b.bookedOn ? 0 : a.bookedOn < b.bookedOn ? -1 : 1));
  const held = new Map<string, bigint>();
  for (const l of lines) {
    if (l.suggestion?.method !== "manual") continue;
    for (const a of l.suggestion.allocations) held.set(a.invoiceId, (held.get(a.invoiceId) ?? 0n) + BigInt(a.amountMinor));
  }
  const available = invoices
    .map((i) => ({ ...i, outstandingMinor: i.outstandingMinor - (held.get(i.invoiceId) ?? 0n) }))
    .filter((i) => i.outstandingMinor > 0n);
  const automatic = lines.filter((l) => l.suggestion?.method !== "manual");
  const matchable: MatchableLine[] = automatic.map((l) => ({ id: l.id, bookedOn: l.bookedOn, amountMinor: BigInt(l.amountMinor), currency: l.currency, counterparty: l.counterparty, reference: l.reference }));
  const { suggestions } = matchStatement(matchable, available);
  const byLine = new Map(suggestions.map((s) => [s.lineId, toStoredSuggestion(s)]));

  const updates: LineSuggestionUpdate[] = [];
  for (const l of automatic) {
    const next = byLine.get(l.id) ?? null;
    // jsonb keeps its own key order: compare independent of it.
    if (stableStringify(next) === stableStringify(l.suggestion ?? null)) continue;
    updates.push({ id: l.id, status: next ? "suggested" : "unmatched", suggestion: next, company_id: next?.companyId ?? null, confidence: next?.confidence ?? null });
  }
  const suggested = lines.filter((l) => (l.suggestion?.method === "manual" ? true : byLine.has(l.id))).length;
  return { suggested, unmatched: lines.length - suggested, changed: updates.length, updateChunks: chunked(updates) };
}
