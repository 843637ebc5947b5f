import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { HistoryLink } from "@/components/audit/history-link";
import { PaymentDetailCells, PaymentDetailHeads } from "@/components/payments/payment-cells";
import { ManualPaymentForm } from "@/components/payments/manual-payment-form";
import { RowActionForm } from "@/components/forms/row-action-form";
import { PaymentStatusBadge, paymentSourceLabel } from "@/components/payments/payment-status-badge";
import { Card, EmptyState, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listCompanyOptions } from "@/db/queries/companies";
import { listPayments, parsePaymentStatus, paymentStatuses, type PaymentStatus } from "@/db/queries/payments";
import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { hrefWith, param, type SearchParams } from "@/components/lists/search-params";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";
import { recordManualPaymentAction, refundPaymentAction, rejectPaymentAction, verifyPaymentAction } from "./actions";
import { getViewerTimeZone, sellerToday } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Payments" };

const RECENT_LIMIT = 50;
const statusLabels: Record<PaymentStatus, string> = { pending_verification: "Awaiting verification", verified: "Verified", rejected: "Rejected", refunded: "Refunded" };

export default async function PaymentsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  // Finance and admins only; other staff get a 404 (the admin layout already keeps customers out).
  const actor = await requirePermission("payments.manage");
  const tz = await getViewerTimeZone(actor);
  // ?status= narrows the page to one status (the dashboard links here); an unknown one is no filter.
  const status = parsePaymentStatus(param(await searchParams, "status", 30));
  const showQueue = status === null || status === "pending_verification";
  const recentStatuses: PaymentStatus[] = status === null ? ["verified", "rejected", "refunded"] : status === "pending_verification" ? [] : [status];
  const [queue, recent, companies] = await Promise.all([
    showQueue ? listPayments(db, { status: "pending_verification", order: "oldest" }) : [],
    listPayments(db, { status: recentStatuses, order: "newest", limit: RECENT_LIMIT }),
    listCompanyOptions(db),
  ]);
  const today = sellerToday();

  return (
    <>
      <PageHeader
        title="Payments"
        description="Verify customers' remittances against the bank account, and record payments that arrived without one."
        actions={
          <div className="flex gap-2">
            <LinkButton href="/admin/payments/reconciliation" variant="secondary">Bank reconciliation</LinkButton>
            <LinkButton href="/admin/payments/ageing" variant="secondary">Receivables ageing</LinkButton>
          </div>
        }
      />
      <nav aria-label="Filter by payment status" className="mb-6 flex flex-wrap gap-2">
        {[null, ...paymentStatuses].map((s) => (
          <Link
            key={s ?? "all"}
            href={hrefWith("/admin/payments", { status: s ?? undefined })}
            aria-current={s === status ? "page" : undefined}
            className={buttonClasses(s === status ? "primary" : "secondary", "sm")}
          >
            {s ? statusLabels[s] : "All"}
          </Link>
        ))}
      </nav>
      <div className="space-y-8">
        {showQueue && (
          <section aria-labelledby="queue-heading" className="space-y-3">
            <h2 id="queue-heading" className="text-lg font-semibold text-slate-900">
              Awaiting verification
            </h2>
            {queue.length === 0 ? (
              <EmptyState title="Nothing to verify" description="Remittances that customers record are listed here until they are verified or rejected." />
            ) : (
              <Table caption="Payments awaiting verification" stack>
                <THead>
                  <tr>
                    <TH>Company</TH>
                    <PaymentDetailHeads />
                    <TH>{zonedHeader("Recorded", tz)}</TH>
                    <TH>Decision</TH>
                  </tr>
                </THead>
                <TBody>
                  {queue.map((p) => (
                    <TR key={p.id} data-testid="payment-row">
                      <TD className="font-medium">
                        {p.companyName}
                        <HistoryLink type="payment" id={p.id} label={`payment ${p.reference || p.id}`} className="block text-xs font-medium text-brand-700 hover:underline" />
                      </TD>
                      <PaymentDetailCells payment={p} />
                      <TD label="Recorded" className="whitespace-nowrap">
                        <DateTime value={p.createdAt} timeZone={tz} zone={false} />
                        <span className="block text-xs text-slate-600">{paymentSourceLabel(p.source)}</span>
                      </TD>
                      <TD>
                        <div className="flex flex-col gap-3">
                          <RowActionForm
                            action={verifyPaymentAction}
                            hidden={{ paymentId: p.id }}
                            idempotencyKey={randomUUID()}
                            submitLabel="Verify payment"
                            pendingLabel="Verifying…"
                            variant="primary"
                          />
                          <RowActionForm
                            action={rejectPaymentAction}
                            hidden={{ paymentId: p.id }}
                            idempotencyKey={randomUUID()}
                            submitLabel="Reject payment"
                            pendingLabel="Rejecting…"
                            variant="danger"
                            reason={{ id: `reject-reason-${p.id}`, label: "Reason" }}
                          />
                        </div>
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
          </section>
        )}

        {recentStatuses.length > 0 && (
          <section aria-labelledby="recent-heading" className="space-y-3">
            <h2 id="recent-heading" className="text-lg font-semibold text-slate-900">
              {status ? `${statusLabels[status]} payments` : "Recent payments"}
            </h2>
            {recent.length === 0 ? (
              status ? (
                <EmptyState title={`No ${statusLabels[status].toLowerCase()} payments`} description={`Payments with the status “${statusLabels[status]}” are listed here, newest first.`} />
              ) : (
                <EmptyState title="No decided payments yet" description="Verified, rejected and refunded payments are listed here, newest first." />
              )
            ) : (
              <Table caption={status ? `${statusLabels[status]} payments` : "Recent payments"} stack>
                <THead>
                  <tr>
                    <TH>Company</TH>
                    <PaymentDetailHeads />
                    <TH>Status</TH>
                    <TH>Refund</TH>
                  </tr>
                </THead>
                <TBody>
                  {recent.map((p) => (
                    <TR key={p.id} data-testid="recent-payment-row">
                      <TD className="font-medium">
                        {p.companyName}
                        <span className="block text-xs font-normal text-slate-600">{paymentSourceLabel(p.source)}</span>
                        <HistoryLink type="payment" id={p.id} label={`payment ${p.reference || p.id}`} className="block text-xs font-medium text-brand-700 hover:underline" />
                      </TD>
                      <PaymentDetailCells payment={p} />
                      <TD label="Status">
                        <PaymentStatusBadge status={p.status} />
                        {p.decidedAt && <span className="mt-1 block text-xs whitespace-nowrap text-slate-600"><DateTime value={p.decidedAt} timeZone={tz} /></span>}
                        {p.decisionReason && <span className="mt-1 block text-xs text-slate-700">Reason: {p.decisionReason}</span>}
                      </TD>
                      <TD>
                        {p.status === "verified" ? (
                          <RowActionForm
                            action={refundPaymentAction}
                            hidden={{ paymentId: p.id }}
                            idempotencyKey={randomUUID()}
                            submitLabel="Refund payment"
                            pendingLabel="Refunding…"
                            variant="secondary"
                            reason={{ id: `refund-reason-${p.id}`, label: "Reason for refund" }}
                          />
                        ) : (
                          <span className="text-slate-600">—</span>
                        )}
                      </TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            )}
          </section>
        )}

        <Card title="Record a payment received">
          <p className="mb-4 text-sm text-slate-700">
            For money that reached the bank account without a remittance from the customer. It counts as verified at once and pays the company&apos;s oldest open
            invoices first.
          </p>
          <ManualPaymentForm action={recordManualPaymentAction} idempotencyKey={randomUUID()} companies={companies} today={today} />
        </Card>
      </div>
    </>
  );
}
