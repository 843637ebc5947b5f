import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { RowActionForm } from "@/components/forms/row-action-form";
import { DocumentOrderLink } from "@/components/documents/document-links";
import { DateTime } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { pageParam, param, hrefWith, type SearchParams } from "@/components/lists/search-params";
import { CONFIRM_FORM_ID, ConfirmMatchesForm } from "@/components/reconciliation/confirm-matches-form";
import { StatementImportForm } from "@/components/reconciliation/statement-import-form";
import { Badge, Card, EmptyState, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR, buttonClasses, type BadgeTone } from "@/components/ui";
import { lineStatuses, listBankAccounts, listBankNames, listStatementImports, listStatementLines, statementLineCounts, type BankAccountRow, type LineStatus, type StatementLineRow } from "@/db/queries/reconciliation";
import { db } from "@/db/client";
import { formatIban } from "@/lib/domain/iban";
import { formatMoney } from "@/lib/domain/money";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { assignLineAction, confirmMatchesAction, ignoreLineAction, importStatementAction, previewStatementAction, rematchAction, undoMatchAction } from "./actions";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Bank reconciliation" };

const PAGE_SIZE = 50;
const tabLabels: Record<LineStatus, string> = { suggested: "Matched, to confirm", unmatched: "Unmatched", confirmed: "Confirmed", ignored: "Set aside" };

function confidenceTone(c: number): BadgeTone {
  return c >= 85 ? "success" : c >= 60 ? "info" : "warning";
}

function Outcome({ line }: { line: StatementLineRow }) {
  const s = line.suggestion;
  if (!s) return null;
  if (s.outcome === "exact") return <Badge tone="success">Pays in full</Badge>;
  const diff = formatMoney(s.differenceMinor < 0n ? -s.differenceMinor : s.differenceMinor, line.currency);
  return s.outcome === "short" ? <Badge tone="warning">Short by {diff}</Badge> : <Badge tone="danger">Over by {diff}</Badge>;
}

function Suggestion({ line }: { line: StatementLineRow }) {
  const s = line.suggestion;
  if (!s) return <span className="text-slate-500">—</span>;
  return (
    <div className="space-y-1" data-testid="suggestion">
      <div className="font-medium text-slate-900">{line.companyName}</div>
      <ul className="text-xs">
        {s.allocations.map((a) => (
          <li key={a.invoiceId}>
            {a.orderId ? <DocumentOrderLink kind="invoice" orderId={a.orderId} number={a.number} /> : a.number}: {formatMoney(a.amountMinor, line.currency)}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-1">
        <Badge tone={confidenceTone(s.confidence)}>{s.confidence}% sure</Badge>
        <Outcome line={line} />
      </div>
      <p className="text-xs text-slate-600">{s.reason}</p>
    </div>
  );
}

/** The accounts statements are imported for: known from their first import, or set up beforehand (the demo seed). */
function BankAccounts({ accounts, timeZone }: { accounts: BankAccountRow[]; timeZone: string }) {
  return (
    <section aria-labelledby="accounts-heading" className="space-y-3">
      <h2 id="accounts-heading" className="text-lg font-semibold text-slate-900">
        Bank accounts
      </h2>
      {accounts.length === 0 ? (
        <EmptyState title="No bank accounts yet" description="The first statement imported for an IBAN adds its account here." />
      ) : (
        <Table caption="Bank accounts" stack>
          <THead>
            <TR>
              <TH>IBAN</TH>
              <TH>Bank</TH>
              <TH className="text-right">Statements</TH>
              <TH>Last statement imported</TH>
            </TR>
          </THead>
          <TBody>
            {accounts.map((a) => (
              <TR key={a.id} data-testid="bank-account">
                <TD label="IBAN" className="font-mono whitespace-nowrap">
                  {formatIban(a.iban)}
                </TD>
                <TD label="Bank">{a.bankName}</TD>
                <TD label="Statements" className="text-right tabular-nums">
                  {a.statements}
                </TD>
                <TD label="Last statement imported">{a.lastStatementAt ? <DateTime value={a.lastStatementAt} timeZone={timeZone} /> : "None yet"}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </section>
  );
}

export default async function ReconciliationPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("payments.manage");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const asked = param(params, "status");
  const status: LineStatus = (lineStatuses as readonly string[]).includes(asked ?? "") ? (asked as LineStatus) : "suggested";
  const page = pageParam(params);
  const [counts, lines, imports, banks, accounts] = await Promise.all([
    statementLineCounts(db),
    listStatementLines(db, { status, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    listStatementImports(db),
    listBankNames(db),
    listBankAccounts(db),
  ]);

  return (
    <>
      <PageHeader
        title="Bank reconciliation"
        description="Import the bank's statement, check the suggested matches and confirm them: each becomes a verified payment on the invoices."
        actions={<LinkButton href="/admin/payments" variant="secondary">Payments queue</LinkButton>}
      />
      <div className="space-y-8">
        <Card>
          <h2 className="mb-4 text-lg font-semibold text-slate-900">Import a statement</h2>
          <StatementImportForm
            action={importStatementAction}
            preview={previewStatementAction}
            idempotencyKey={randomUUID()}
            banks={banks}
            accounts={accounts.map((a) => ({ iban: a.iban, bankName: a.bankName }))}
            defaultCurrency={env().DEFAULT_CURRENCY}
          />
          {imports.length > 0 && (
            <details className="mt-4 text-sm">
              <summary className="cursor-pointer text-slate-700">Recent imports</summary>
              <ul className="mt-2 space-y-1 text-slate-700">
                {imports.map((i) => (
                  <li key={i.id}>
                    <DateTime value={i.importedAt} timeZone={tz} /> · {i.bankName} · {i.fileName} ({i.format === "camt053" ? "CAMT.053" : "CSV"}): {i.lineCount} lines, {i.newLineCount} new
                    {i.importedBy ? ` · ${i.importedBy}` : ""}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </Card>

        <BankAccounts accounts={accounts} timeZone={tz} />

        <section aria-labelledby="lines-heading" className="space-y-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="lines-heading" className="text-lg font-semibold text-slate-900">
              Statement lines
            </h2>
            <RowActionForm action={rematchAction} hidden={{}} idempotencyKey={randomUUID()} submitLabel="Re-run matching" pendingLabel="Matching…" />
          </div>
          <nav aria-label="Statement line status" className="flex flex-wrap gap-2">
            {lineStatuses.map((s) => (
              <Link key={s} href={hrefWith("/admin/payments/reconciliation", { status: s })} aria-current={s === status ? "page" : undefined} className={buttonClasses(s === status ? "primary" : "secondary", "sm")}>
                {tabLabels[s]} ({counts[s]})
              </Link>
            ))}
          </nav>
          {/* Rendered with no lines too, so the result of confirming the last ones stays on screen. */}
          {status === "suggested" && <ConfirmMatchesForm action={confirmMatchesAction} idempotencyKey={randomUUID()} count={lines.length} />}
          {lines.length === 0 ? (
            <EmptyState
              title={status === "suggested" ? "No matches to confirm" : status === "unmatched" ? "No unmatched lines" : `No ${tabLabels[status].toLowerCase()} lines`}
              description={status === "suggested" ? "Import a statement: its incoming payments are matched to open invoices automatically." : "Lines move here as they are decided."}
            />
          ) : (
            <Table caption={`Statement lines: ${tabLabels[status].toLowerCase()}`}>
              <THead>
                <tr>
                  {status === "suggested" && <TH>Select</TH>}
                  <TH>Booked</TH>
                  <TH className="text-right">Amount</TH>
                  <TH>Payer</TH>
                  <TH>Reference</TH>
                  {status !== "ignored" && <TH>{status === "confirmed" ? "Paid" : "Suggested match"}</TH>}
                  <TH>Action</TH>
                </tr>
              </THead>
              <TBody>
                {lines.map((l) => {
                  const label = `${l.bookedOn} ${formatMoney(l.amountMinor, l.currency)} from ${l.counterparty || "unknown payer"}`;
                  return (
                    <TR key={l.id} data-testid="statement-line">
                      {status === "suggested" && (
                        <TD>
                          <input type="checkbox" name="line" value={`${l.id}:${l.version}`} form={CONFIRM_FORM_ID} aria-label={`Select ${label}`} className="size-4" />
                        </TD>
                      )}
                      <TD className="whitespace-nowrap">{l.bookedOn}</TD>
                      <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(l.amountMinor, l.currency)}</TD>
                      <TD>{l.counterparty || "—"}</TD>
                      <TD className="max-w-64 break-words text-xs">{l.reference || "—"}</TD>
                      {status !== "ignored" && (
                        <TD className="min-w-56">
                          <Suggestion line={l} />
                        </TD>
                      )}
                      <TD>
                        <div className="flex flex-col gap-3">
                          {status === "suggested" && (
                            <button type="submit" form={CONFIRM_FORM_ID} name="only" value={`${l.id}:${l.version}`} className={buttonClasses("primary", "sm")} aria-label={`Confirm match of ${label}`}>
                              Confirm
                            </button>
                          )}
                          {status === "confirmed" && (
                            <RowActionForm
                              action={undoMatchAction}
                              hidden={{ id: l.id, version: String(l.version) }}
                              idempotencyKey={randomUUID()}
                              submitLabel="Undo match"
                              pendingLabel="Undoing…"
                              variant="danger"
                              reason={{ id: `undo-${l.id}`, label: "Why undo?" }}
                            />
                          )}
                          {(status === "suggested" || status === "unmatched") && (
                            <details open={status === "unmatched"}>
                              <summary className="cursor-pointer text-xs text-slate-700">{status === "unmatched" ? "Match by hand" : "Other invoices or set aside"}</summary>
                              <div className="mt-2 space-y-3">
                                <RowActionForm
                                  action={assignLineAction}
                                  hidden={{ id: l.id, version: String(l.version) }}
                                  idempotencyKey={randomUUID()}
                                  submitLabel="Assign"
                                  pendingLabel="Assigning…"
                                  reason={{ id: `assign-${l.id}`, label: "Invoice numbers", name: "invoices", placeholder: "INV-2026-000012, INV-2026-000015" }}
                                />
                                <RowActionForm
                                  action={ignoreLineAction}
                                  hidden={{ id: l.id, version: String(l.version) }}
                                  idempotencyKey={randomUUID()}
                                  submitLabel="Set aside"
                                  pendingLabel="Setting aside…"
                                  reason={{ id: `ignore-${l.id}`, label: "Not a customer payment because" }}
                                />
                              </div>
                            </details>
                          )}
                          {status === "confirmed" && l.decidedAt && <span className="text-xs text-slate-600">Confirmed <DateTime value={l.decidedAt} timeZone={tz} /></span>}
                        </div>
                      </TD>
                    </TR>
                  );
                })}
              </TBody>
            </Table>
          )}
          <Pagination page={page} hasNext={lines.length === PAGE_SIZE} href={(p) => hrefWith("/admin/payments/reconciliation", { status, page: p })} label="Statement line pages" />
        </section>
      </div>
    </>
  );
}
