import { randomUUID } from "node:crypto";
import { ShipToValue } from "@/components/addresses/ship-to-value";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { HistoryLink } from "@/components/audit/history-link";
import { ApprovalsSummary } from "@/components/admin-orders/approvals-card";
import { ApproveOrderForm, CancelOrderForm, DeliverOrderForm, OrderNoteForm, RejectOrderForm } from "@/components/admin-orders/order-forms";
import { ShipmentForm } from "@/components/shipments/ship-form";
import { isPartlyShipped, ShipmentsCard } from "@/components/shipments/shipments-card";
import { ReturnsSection } from "./returns-section";
import { listOrderShipments, orderLinesShipping } from "@/db/queries/shipments";
import { PdfLink, stepLabels } from "@/components/admin-orders/order-status";
import { documentCardId, documentPdfHref, DocumentPdfLink } from "@/components/documents/document-links";
import { OrderTimeline } from "@/components/admin-orders/order-timeline";
import { formatRate, QuotationView, VersionHistory } from "@/components/admin-orders/quotation-view";
import { ReviseQuotationForm } from "@/components/admin-orders/revise-quotation-form";
import { InvoiceStatusBadge } from "@/components/payments/invoice-status-badge";
import { DetailList } from "@/components/lists/detail-list";
import { DateTime } from "@/components/lists/date-time";
import { param, type SearchParams } from "@/components/lists/search-params";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { Badge, Card, FormMessage, PageHeader } from "@/components/ui";
import { getOrderDetail, type OrderDetail } from "@/db/queries/orders";
import { db } from "@/db/client";
import { approvalStepFor } from "@/lib/domain/approval-rules";
import { isUuid } from "@/lib/domain/ids";
import { formatMoney, minorDigits, minorToDecimal } from "@/lib/domain/money";
import { canTransition } from "@/lib/domain/order-state";
import { can } from "@/lib/domain/permissions";
import type { Actor } from "@/lib/domain/actor";
import { expireDueQuotations } from "@/lib/services/orders/quotations";
import { requirePermission } from "@/lib/session";
import {
  addOrderNoteAction,
  approveOrderAction,
  cancelOrderAction,
  deliverOrderAction,
  rejectOrderAction,
  reviseQuotationAction,
  shipOrderAction,
} from "./actions";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Order" };

/** The message after an action redirected back here; the codes are fixed, the figures come from the order itself. */
function noticeText(done: string | undefined, d: OrderDetail): string | null {
  switch (done) {
    case "approved":
      return d.invoice ? `Order approved. Invoice ${d.invoice.number} issued.` : "Order approved.";
    case "approved-sales":
    case "approved-finance": {
      const step = done === "approved-sales" ? "sales" : "finance";
      const other = step === "sales" ? "finance" : "sales";
      return `Your ${step} approval is recorded. The order still needs the ${other} approval.`;
    }
    case "rejected":
      return "Order rejected. The reserved stock was released.";
    case "revised":
      return d.latest ? `Quotation version ${d.latest.version} issued.` : "Quotation revised.";
    case "shipped":
      return "Order marked as shipped.";
    case "partly-shipped":
      return "Shipment recorded. The rest of the order stays backordered until it ships.";
    case "delivered":
      return "Order marked as delivered.";
    case "cancelled":
      if (!d.creditNote) return "Order cancelled.";
      return `Order cancelled. Credit note ${d.creditNote.number} issued${d.invoice ? ` for invoice ${d.invoice.number}` : ""}.`;
    default:
      return null;
  }
}

/** Whether this actor's approval would count, or the reason it would not (already approved, wrong role). */
function approvalEligibility(actor: Actor, d: OrderDetail) {
  const required: ("sales" | "finance")[] = d.order.needsFinanceApproval ? ["sales", "finance"] : ["sales"];
  const given = d.approvals.filter((a) => a.step !== "customer").map((a) => ({ step: a.step, approverId: a.approverId }));
  return approvalStepFor(actor.role, required, given, actor.id);
}

export default async function OrderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("orders.read_all");
  const tz = await getViewerTimeZone(actor);
  const { id } = await params;
  if (!isUuid(id)) notFound();
  // Lazy expiry: a quotation past its validity is moved to "expired" before anyone can act on it.
  await expireDueQuotations(db, new Date(), id);
  const detail = await getOrderDetail(db, actor, id);
  if (!detail) notFound();
  const query = await searchParams;
  const { order, company, latest, invoice, creditNote, status } = detail;
  const [shippingLines, shipments] = await Promise.all([orderLinesShipping(db, order.id), listOrderShipments(db, { orderId: order.id })]);
  const partlyShipped = isPartlyShipped(status, shippingLines);
  const notice = noticeText(param(query, "done", 40), detail);
  const money = (minor: bigint, currency = order.currency) => formatMoney(minor, currency);

  const canApprove = canTransition(status, "final_approve") && can(actor.role, "orders.approve");
  const eligibility = canApprove ? approvalEligibility(actor, detail) : null;
  const canRevise = canTransition(status, "revise") && latest !== null && can(actor.role, "orders.revise");
  const canShip = canTransition(status, "ship") && can(actor.role, "orders.fulfil");
  const canDeliver = canTransition(status, "deliver") && can(actor.role, "orders.fulfil");
  // A partly shipped order ships the rest; it is not cancelled (lib/services/orders/fulfilment.ts).
  const canCancel = canTransition(status, "cancel_by_staff") && can(actor.role, "orders.cancel_any") && shipments.length === 0;
  const digits = minorDigits(order.currency);

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/orders" className="font-medium text-brand-700 hover:underline">
          ← All orders
        </Link>
      </p>
      <PageHeader
        title={order.reference}
        description={
          <>
            <Link href={`/admin/customers/${company.id}`} className="font-medium text-brand-700 hover:underline">
              {company.name}
            </Link>
            {` · ordered by ${detail.buyer.name}`}
            {order.poNumber ? ` · PO ${order.poNumber}` : ""}
          </>
        }
        actions={
          <>
            <HistoryLink type="order" id={order.id} label={order.reference} className="self-center text-sm font-medium text-brand-700 hover:underline" />
            <OrderStatusBadge status={status} audience="staff" className="text-sm" testId="order-status" />
            {partlyShipped && <Badge tone="warning" data-testid="partly-shipped">Partly shipped</Badge>}
          </>
        }
      />
      {notice && <FormMessage result={{ ok: true, message: notice }} className="mb-4" />}
      <div className="space-y-6">
        <Card title="Summary">
          <DetailList
            items={[
              {
                label: "Company",
                value: (
                  <Link href={`/admin/customers/${company.id}`} className="font-medium text-brand-700 hover:underline">
                    {company.name}
                  </Link>
                ),
              },
              { label: "Buyer", value: `${detail.buyer.name} (${detail.buyer.email})` },
              { label: "PO number", value: order.poNumber || "—", testId: "order-po-number" },
              { label: "Ship to", value: <ShipToValue shipTo={order.shipTo} />, testId: "order-ship-to" },
              { label: "Total", value: latest ? money(latest.totalMinor, latest.currency) : "—" },
              { label: "Submitted", value: <DateTime value={order.submittedAt} timeZone={tz} /> },
              { label: "Accepted", value: <DateTime value={order.acceptedAt} timeZone={tz} /> },
              ...(order.approvedAt ? [{ label: "Approved", value: <DateTime value={order.approvedAt} timeZone={tz} /> }] : []),
              ...(order.shippedAt
                ? [
                    {
                      label: "Shipped",
                      value: (
                        <>
                          <DateTime value={order.shippedAt} timeZone={tz} /> · {order.carrier ?? ""}
                          {order.trackingNumber ? ` ${order.trackingNumber}` : ""}
                        </>
                      ),
                      testId: "order-shipment",
                    },
                  ]
                : []),
              ...(order.deliveredAt ? [{ label: "Delivered", value: <DateTime value={order.deliveredAt} timeZone={tz} /> }] : []),
              ...(order.closedAt
                ? [
                    {
                      label: "Closed",
                      value: (
                        <>
                          <DateTime value={order.closedAt} timeZone={tz} />
                          {order.closeReason ? ` · ${order.closeReason}` : ""}
                        </>
                      ),
                      testId: "order-close-reason",
                    },
                  ]
                : []),
            ]}
          />
        </Card>

        {canApprove && (
          <Card title="Approval decision">
            <div className="grid gap-6 lg:grid-cols-2">
              <div>
                {eligibility && "step" in eligibility ? (
                  <ApproveOrderForm action={approveOrderAction} orderId={order.id} hint={`Optional. Your approval counts as the ${stepLabels[eligibility.step]} approval.`} />
                ) : (
                  <p className="text-sm text-slate-700" data-testid="approval-unavailable">
                    {eligibility?.error}
                  </p>
                )}
              </div>
              <RejectOrderForm action={rejectOrderAction} orderId={order.id} />
            </div>
          </Card>
        )}

        {canRevise && latest && (
          <Card title="Revise quotation">
            <ReviseQuotationForm
              key={latest.id}
              action={reviseQuotationAction}
              orderId={order.id}
              version={latest.version}
              currency={order.currency}
              lines={latest.lines.map((l) => ({
                lineNo: l.lineNo,
                sku: l.sku,
                name: l.name,
                unit: l.unit,
                quantity: l.quantity,
                unitPrice: minorToDecimal(l.unitPriceMinor, digits),
                discountPercent: String(l.discountBp / 100),
                taxRate: formatRate(l.taxRateBp),
              }))}
            />
          </Card>
        )}

        {canShip && (
          <Card title="Ship goods">
            <ShipmentForm action={shipOrderAction} orderId={order.id} idempotencyKey={randomUUID()} lines={shippingLines} />
          </Card>
        )}

        <ShipmentsCard lines={shippingLines} shipments={shipments} timeZone={tz} />
        <ReturnsSection order={order} timeZone={tz} canFulfil={can(actor.role, "orders.fulfil")} />

        {canDeliver && (
          <Card title="Delivery">
            <p className="mb-3 text-sm text-slate-700">
              Shipped <DateTime value={order.shippedAt} timeZone={tz} /> with {order.carrier ?? "—"}
              {order.trackingNumber ? ` (tracking ${order.trackingNumber})` : ""}.
            </p>
            <DeliverOrderForm action={deliverOrderAction} orderId={order.id} />
          </Card>
        )}

        {canCancel && (
          <Card title="Cancellation">
            <CancelOrderForm
              action={cancelOrderAction}
              orderId={order.id}
              warning={
                status === "approved"
                  ? invoice
                    ? `This order is invoiced: invoice ${invoice.number} (${money(invoice.totalMinor, invoice.currency)}) will be cancelled by a credit note for its full amount.`
                    : "This order is approved: its invoice will be cancelled by a credit note for its full amount."
                  : undefined
              }
            />
          </Card>
        )}

        <Card title="Approvals needed">
          <ApprovalsSummary detail={detail} timeZone={tz} />
        </Card>

        <Card title="Quotation" id={documentCardId.quotation}>
          {latest ? (
            <div className="space-y-6">
              <QuotationView quotation={latest} timeZone={tz} />
              <section aria-labelledby="versions-heading">
                <h3 id="versions-heading" className="mb-2 text-base font-semibold text-slate-900">
                  Version history
                </h3>
                <VersionHistory versions={detail.versions} timeZone={tz} />
              </section>
            </div>
          ) : (
            <p className="text-sm text-slate-600">No quotation has been issued for this order.</p>
          )}
        </Card>

        {invoice && (
          <Card title="Invoice" id={documentCardId.invoice}>
            <DetailList
              items={[
                { label: "Number", value: <DocumentPdfLink kind="invoice" id={invoice.id} number={invoice.number} />, testId: "invoice-number" },
                {
                  label: "Status",
                  value: <InvoiceStatusBadge status={detail.invoiceStatus ?? invoice.status} />,
                  testId: "invoice-status",
                },
                { label: "Issue date", value: invoice.issueDate },
                { label: "Due date", value: invoice.dueDate },
                { label: "Total", value: money(invoice.totalMinor, invoice.currency), testId: "invoice-total" },
              ]}
            />
            <p className="mt-4 flex gap-4 text-sm">
              <PdfLink href={documentPdfHref("invoice", invoice.id)}>Download invoice PDF</PdfLink>
              <HistoryLink type="invoice" id={invoice.id} label={invoice.number} />
            </p>
          </Card>
        )}

        {creditNote && (
          <Card title="Credit note" id={documentCardId.credit_note}>
            <DetailList
              items={[
                { label: "Number", value: <DocumentPdfLink kind="credit_note" id={creditNote.id} number={creditNote.number} />, testId: "credit-note-number" },
                { label: "Issue date", value: creditNote.issueDate },
                { label: "Total", value: money(creditNote.totalMinor, creditNote.currency), testId: "credit-note-total" },
                { label: "Reason", value: creditNote.reason },
              ]}
            />
            <p className="mt-4 flex gap-4 text-sm">
              <PdfLink href={documentPdfHref("credit_note", creditNote.id)}>Download credit note PDF</PdfLink>
              <HistoryLink type="credit_note" id={creditNote.id} label={creditNote.number} />
            </p>
          </Card>
        )}

        <Card title="Internal notes and timeline">
          <div className="space-y-6">
            <OrderNoteForm action={addOrderNoteAction} orderId={order.id} />
            <OrderTimeline events={detail.timeline} timeZone={tz} />
          </div>
        </Card>
      </div>
    </>
  );
}
