import { randomUUID } from "node:crypto";
import { ShipToValue } from "@/components/addresses/ship-to-value";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { DateTime } from "@/components/lists/date-time";
import { DetailList } from "@/components/lists/detail-list";
import { param, type SearchParams } from "@/components/lists/search-params";
import { AcceptQuotationForm } from "@/components/orders/accept-quotation-form";
import { OrderActionForm } from "@/components/orders/order-action-form";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { QuotationCard } from "@/components/orders/quotation-card";
import { RequoteForm } from "@/components/orders/requote-form";
import { isPartlyShipped, ShipmentsCard } from "@/components/shipments/shipments-card";
import { ReturnsSection } from "./returns-section";
import { Badge, Card, FormMessage, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listOrderShipments, orderLinesShipping } from "@/db/queries/shipments";
import { getOrderDetail, type OrderDetail } from "@/db/queries/orders";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { isUuid } from "@/lib/domain/ids";
import { canTransition, reservingStates, timelineLabel } from "@/lib/domain/order-state";
import { can } from "@/lib/domain/permissions";
import { expireDueQuotations } from "@/lib/services/orders/quotations";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import {
  acceptQuotationAction,
  cancelOrderAction,
  customerApproveOrderAction,
  customerRejectOrderAction,
  declineQuotationAction,
  requoteOrderAction,
} from "./actions";
import { AcceptedBanner } from "@/components/reorder/accepted-banner";
import { OrderAgainCard } from "@/components/reorder/order-again-card";
import { OrderInvoices } from "@/components/reorder/order-invoices";
import { listOrderInvoices } from "@/db/queries/invoices";
import { reorderAction } from "./reorder-actions";

export const metadata: Metadata = { title: "Order" };

const linkClass = "font-medium text-brand-700 hover:underline";
const stepLabels = { customer: "Your company", sales: "Sales", finance: "Finance" } as const;

export default async function OrderPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("orders.place");
  const { id } = await params;
  // Not a uuid: no such order (and the expiry query below would reject the value).
  if (!isUuid(id)) notFound();
  // Lazy expiry: a quotation past its validity is moved to "expired" before the page reads it.
  await expireDueQuotations(db, new Date(), id);
  // Scoped to the actor's company in SQL; another company's order is "not found", never "forbidden".
  const detail = await getOrderDetail(db, actor, id);
  if (!detail) notFound();
  const query = await searchParams;
  const submitted = param(query, "submitted") === "1";
  const accepted = param(query, "accepted") === "1";

  const { order, status, company, buyer, latest, invoice, creditNote } = detail;
  const tz = await getViewerTimeZone(actor);
  const [shippingLines, shipments] = await Promise.all([orderLinesShipping(db, order.id), listOrderShipments(db, { orderId: order.id, companyId: order.companyId })]);
  const canDecideForCompany = canTransition(status, "customer_approve") && can(actor.role, "orders.customer_approve") && actor.id !== order.buyerId;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/orders" className={linkClass}>
          <span aria-hidden="true">← </span>
          Back to orders
        </Link>
      </p>
      <PageHeader
        title={order.reference}
        description={
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <OrderStatusBadge status={status} testId="order-status" />
            {isPartlyShipped(status, shippingLines) && (
              <Badge tone="warning" data-testid="partly-shipped">
                Partly shipped
              </Badge>
            )}
            <span>
              Placed by {buyer.name}
              {order.submittedAt && (
                <>
                  {" on "}
                  <DateTime value={order.submittedAt} timeZone={tz} testId="order-submitted-at" />
                </>
              )}
            </span>
          </span>
        }
      />
      <div className="space-y-6">
        {submitted && latest && <FormMessage result={{ ok: true, message: `Quotation ${latest.number} issued.` }} />}
        {accepted && <AcceptedBanner status={status} quotationNumber={latest?.number ?? null} invoiceNumber={invoice?.number ?? null} />}

        <Card title="Current step">
          <div className="space-y-3 text-sm text-slate-800" data-testid="current-step">
            <CurrentStep detail={detail} timeZone={tz} />
          </div>
          {status === "expired" && (
            <div className="mt-4">
              <RequoteForm action={requoteOrderAction} orderId={order.id} idempotencyKey={randomUUID()} />
            </div>
          )}
        </Card>

        {canTransition(status, "accept") && (
          <Card title="Your decision">
            <div className="grid gap-8 md:grid-cols-2">
              <AcceptQuotationForm
                action={acceptQuotationAction}
                requoteAction={requoteOrderAction}
                orderId={order.id}
                quotationId={detail.latest!.id}
                poNumber={order.poNumber}
                requiresPoNumber={company.requiresPoNumber}
                idempotencyKey={randomUUID()}
                requoteIdempotencyKey={randomUUID()}
              />
              <OrderActionForm
                action={declineQuotationAction}
                orderId={order.id}
                idPrefix="decline"
                field={{ name: "reason", label: "Reason", required: true, hint: "Tells the seller why, e.g. price or delivery time." }}
                submitLabel="Decline quotation"
                pendingLabel="Declining…"
                variant="danger"
              />
            </div>
          </Card>
        )}

        {canDecideForCompany && (
          <Card title="Approval by your company">
            <div className="grid gap-8 md:grid-cols-2">
              <OrderActionForm
                action={customerApproveOrderAction}
                orderId={order.id}
                idPrefix="approve"
                field={{ name: "comment", label: "Comment", hint: "Optional." }}
                submitLabel="Approve order"
                pendingLabel="Approving…"
                variant="primary"
              />
              <OrderActionForm
                action={customerRejectOrderAction}
                orderId={order.id}
                idPrefix="reject"
                field={{ name: "reason", label: "Reason", required: true }}
                submitLabel="Reject order"
                pendingLabel="Rejecting…"
                variant="danger"
              />
            </div>
          </Card>
        )}

        <Card title="Order details">
          <DetailList
            items={[
              { label: "Reference", value: order.reference },
              { label: "Buyer", value: `${buyer.name} (${buyer.email})` },
              { label: "PO number", value: order.poNumber || "—", testId: "order-po-number" },
              { label: "Ship to", value: <ShipToValue shipTo={order.shipTo} />, testId: "order-ship-to" },
              { label: "Notes", value: order.notes ? <span className="whitespace-pre-line">{order.notes}</span> : "—" },
            ]}
          />
        </Card>

        <QuotationCard versions={detail.versions} timeZone={tz} />

        <ShipmentsCard lines={shippingLines} shipments={shipments} timeZone={tz} />
        <ReturnsSection order={order} timeZone={tz} />

        <OrderAgainCard action={reorderAction} orderId={order.id} />

        <OrderInvoices invoices={invoice ? await listOrderInvoices(db, [invoice.id]) : []} canPay={can(actor.role, "payments.submit")} />

        {creditNote && (
          <Card title="Credit note">
            <DetailList
              items={[
                { label: "Number", value: creditNote.number, testId: "credit-note-number" },
                { label: "Total", value: formatMoney(creditNote.totalMinor, creditNote.currency), testId: "credit-note-total" },
                { label: "Reason", value: creditNote.reason },
              ]}
            />
            <p className="mt-4 text-sm">
              <a href={`/api/documents/credit-notes/${creditNote.id}`} download className={linkClass}>
                Download credit note PDF
              </a>
            </p>
          </Card>
        )}

        {canTransition(status, "cancel_by_customer") && (
          <Card title="Cancel this order">
            <p className="mb-3 text-sm text-slate-700">
              {reservingStates.includes(status) ? "Withdraws the order and releases the stock reserved for it." : "Withdraws the order; nothing has been reserved yet."}
            </p>
            <OrderActionForm
              action={cancelOrderAction}
              orderId={order.id}
              idPrefix="cancel"
              field={{ name: "reason", label: "Reason for cancelling", required: true }}
              submitLabel="Cancel order"
              pendingLabel="Cancelling…"
              variant="danger"
            />
          </Card>
        )}

        <Card title="Approvals">
          {detail.approvals.length === 0 ? (
            <p className="text-sm text-slate-700">No approval decisions yet.</p>
          ) : (
            <Table caption="Approvals" stack>
              <THead>
                <tr>
                  <TH>Step</TH>
                  <TH>Decision</TH>
                  <TH>By</TH>
                  <TH>When</TH>
                  <TH>Comment</TH>
                </tr>
              </THead>
              <TBody>
                {detail.approvals.map((a) => (
                  <TR key={a.step} data-testid={`approval-${a.step}`}>
                    <TD label="Step" className="whitespace-nowrap">{stepLabels[a.step]}</TD>
                    <TD label="Decision" className="whitespace-nowrap">{a.decision === "approved" ? "Approved" : "Rejected"}</TD>
                    <TD label="By" className="whitespace-nowrap">{a.approverName}</TD>
                    <TD label="When" className="whitespace-nowrap">
                      <DateTime value={a.decidedAt} timeZone={tz} />
                    </TD>
                    <TD label="Comment" className="break-words">{a.comment || "—"}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>

        <Card title="Timeline">
          <ol data-testid="timeline" className="space-y-3 border-l-2 border-slate-200 pl-4">
            {detail.timeline.map((e) => (
              <li key={String(e.id)} className="text-sm">
                <span className="block text-xs text-slate-600">
                  <DateTime value={e.occurredAt} timeZone={tz} />
                </span>
                <span className="font-medium text-slate-900">{timelineLabel(e.event)}</span>
                <span className="text-slate-700"> · {e.actorName ?? "System"}</span>
                {e.note && <span className="block text-slate-700">{e.note}</span>}
              </li>
            ))}
          </ol>
        </Card>
      </div>
    </>
  );
}

/** What happens next, in words, for the order's effective state. */
function CurrentStep({ detail, timeZone: tz }: { detail: OrderDetail; timeZone: string }): ReactNode {
  const { order, status, latest, invoice, customerAdmins, buyer } = detail;
  const reasons = order.approvalReasons.length > 0 && (
    <ul className="list-disc space-y-1 pl-5" data-testid="approval-reasons">
      {order.approvalReasons.map((r) => (
        <li key={r}>{r}</li>
      ))}
    </ul>
  );
  const closeReason = order.closeReason && <p>Reason: {order.closeReason}</p>;
  switch (status) {
    case "quoted":
      return <p>Review the quotation and accept or decline it by {latest ? <DateTime value={latest.validUntil} timeZone={tz} /> : "its validity date"}.</p>;
    case "awaiting_customer_approval": {
      // The buyer cannot approve their own order, so they are not among those waited for.
      const names = customerAdmins.filter((a) => a.email !== buyer.email).map((a) => a.name);
      return (
        <>
          <p data-testid="waiting-for">
            Waiting for approval by {names.length > 0 ? names.join(", ") : "an administrator of your company"}.
          </p>
          {reasons}
        </>
      );
    }
    case "awaiting_seller_approval":
      return (
        <>
          <p>Waiting for the seller&apos;s approval.</p>
          {reasons}
        </>
      );
    case "approved":
      return <p>{invoice ? (detail.invoiceStatus === "paid" ? `Approved. Invoice ${invoice.number} is paid.` : `Approved. Invoice ${invoice.number}, due ${invoice.dueDate}.`) : "Approved."}</p>;
    case "shipped":
    case "delivered":
      return (
        <>
          <p>
            {status === "delivered" ? (
              <>
                Delivered
                {order.deliveredAt && (
                  <>
                    {" on "}
                    <DateTime value={order.deliveredAt} timeZone={tz} />
                  </>
                )}
                .
              </>
            ) : (
              "Shipped."
            )}
          </p>
          <p data-testid="shipment">
            Carrier: {order.carrier ?? "—"}
            {order.trackingNumber ? `, tracking number ${order.trackingNumber}` : ""}
          </p>
        </>
      );
    case "expired":
      return (
        <p>
          {latest ? (
            <>
              Quotation {latest.number} expired on <DateTime value={latest.validUntil} timeZone={tz} />.
            </>
          ) : (
            "The quotation expired."
          )} Request a new quotation at current prices: its
          lines are copied into your cart.
        </p>
      );
    case "declined":
      return (
        <>
          <p>The quotation was declined.</p>
          {closeReason}
        </>
      );
    case "rejected":
      return (
        <>
          <p>The order was rejected.</p>
          {closeReason}
        </>
      );
    case "cancelled":
      return (
        <>
          <p>The order was cancelled.</p>
          {closeReason}
        </>
      );
    default:
      return null;
  }
}
