import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { MatchableInvoice, StoredSuggestion } from "./bank-matching";
import type { ColumnMapping } from "./bank-statement";
import { creditorReference } from "./creditor-reference";
import { LINES_PER_CHUNK, parseStatementForImport, planRematch, type LineRecord, type LineSuggestionUpdate, type LineToMatch } from "./statement-work";

const mapping: ColumnMapping = { date: "date", amount: "amount", reference: ["ref"], dateFormat: "DD.MM.YYYY", decimalSeparator: ",", defaultCurrency: "EUR" };

describe("parseStatementForImport", () => {
  it("turns every line into an insert record, in chunks of LINES_PER_CHUNK, outgoing ones ignored, with the file's SHA-256", () => {
    const n = LINES_PER_CHUNK + 3;
    const rows = Array.from({ length: n }, (_, i) => `01.11.2026;${i % 2 ? "-" : ""}${i + 1},05;R${i}`);
    const content = ["date;amount;ref", ...rows].join("\n");
    const parsed = parseStatementForImport(content, "csv", mapping);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    expect(parsed.lineCount).toBe(n);
    expect(parsed.sha256).toBe(createHash("sha256").update(content).digest("hex"));
    expect(parsed.chunks).toHaveLength(2);
    const records = parsed.chunks.flatMap((c) => JSON.parse(c) as LineRecord[]);
    expect(records).toHaveLength(n);
    expect(records[0]).toMatchObject({ line_no: 1, booked_on: "2026-11-01", amount_minor: "105", currency: "EUR", reference: "R0", status: "unmatched", bank_transaction_id: null });
    expect(records[1]).toMatchObject({ line_no: 2, amount_minor: "-205", status: "ignored" });
    expect(new Set(records.map((r) => r.identity)).size).toBe(n);
  });

  it("returns the parser's errors instead of lines", () => {
    const parsed = parseStatementForImport("date;amount;ref\n31.02.2026;1,00;x", "csv", mapping);
    expect(parsed).toEqual({ ok: false, errors: [{ row: 1, message: expect.stringContaining("not a calendar date") }] });
  });
});

describe("planRematch", () => {
  const invoice = (n: number, outstandingMinor: bigint): MatchableInvoice => ({
    invoiceId: `inv-${n}`,
    number: `INV-2026-${String(n).padStart(6, "0")}`,
    paymentReference: creditorReference(`INV-2026-${String(n).padStart(6, "0")}`),
    companyId: "acme",
    companyName: "Acme GmbH",
    currency: "EUR",
    outstandingMinor,
    dueDate: "2026-03-31",
    issueDate: "2026-03-01",
  });
  const line = (id: string, reference: string, amountMinor: string, suggestion: StoredSuggestion | null = null, bookedOn = "2026-04-02"): LineToMatch => ({ id, bookedOn, amountMinor, currency: "EUR", counterparty: "", reference, suggestion });

  it("suggests, keeps manual assignments and what they hold, and updates only lines whose suggestion changed", () => {
    const manual: StoredSuggestion = { companyId: "acme", allocations: [{ invoiceId: "inv-1", amountMinor: "10000" }], confidence: 100, method: "manual", reason: "by hand", outcome: "exact", differenceMinor: "0" };
    // inv-1 is fully held by the manual line, so the line quoting its reference finds nothing left.
    // Booked after b, so b (matched in booking order) takes inv-2 first and nothing is left for a.
    const lines = [line("a", "INV-2026-000001", "10000", null, "2026-04-03"), line("b", "INV-2026-000002", "5000"), line("m", "", "10000", manual), line("z", "nothing", "777")];
    const first = planRematch([JSON.stringify(lines)], [invoice(1, 10000n), invoice(2, 5000n)]);
    const updates = first.updateChunks.flatMap((c) => JSON.parse(c) as LineSuggestionUpdate[]);
    // The manual line is kept; lines that match nothing stay as they were (no update, no new version).
    expect(updates.map((u) => u.id)).toEqual(["b"]);
    expect(updates.every((u) => u.status === "suggested" && u.company_id === "acme")).toBe(true);
    // What the manual assignment holds (all of inv-1) is offered to no other line.
    expect(updates.flatMap((u) => u.suggestion!.allocations.map((a) => a.invoiceId))).not.toContain("inv-1");
    expect(updates.find((u) => u.id === "b")!.suggestion!.allocations).toEqual([{ invoiceId: "inv-2", amountMinor: "5000" }]);
    expect({ suggested: first.suggested, unmatched: first.unmatched, changed: first.changed }).toEqual({ suggested: 2, unmatched: 2, changed: 1 });

    // Again with the stored suggestions (keys in another order, as jsonb may return them): nothing changes.
    const storedOf = new Map(updates.map((u) => [u.id, Object.fromEntries(Object.entries(u.suggestion!).reverse()) as StoredSuggestion]));
    const reloaded = lines.map((l) => (storedOf.has(l.id) ? { ...l, suggestion: storedOf.get(l.id)! } : l));
    const steady = planRematch([JSON.stringify(reloaded.slice(0, 2)), JSON.stringify(reloaded.slice(2))], [invoice(1, 10000n), invoice(2, 5000n)]);
    expect({ suggested: steady.suggested, unmatched: steady.unmatched, changed: steady.changed, updateChunks: steady.updateChunks }).toEqual({ suggested: 2, unmatched: 2, changed: 0, updateChunks: [] });
  });
});
