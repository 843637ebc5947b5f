import type { Metadata } from "next";
import Form from "next/form";
import Link from "next/link";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { PartlyShippedBadge } from "@/components/shipments/partly-shipped-badge";
import { ordersWithShipments } from "@/db/queries/shipments";
import { OrderStatusBadge } from "@/components/orders/order-status-badge";
import { Button, EmptyState, Input, LinkButton, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listOrders, type OrderListFilter } from "@/db/queries/orders";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { orderStates, stateLabels } from "@/lib/domain/order-state";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Orders" };

const listedStates = orderStates.filter((s) => s !== "draft");
type StatusFilter = NonNullable<OrderListFilter["status"]>;

function statusParam(value: string | undefined): StatusFilter | undefined {
  if (value === "open" || value === "closed") return value;
  return listedStates.find((s) => s === value);
}

export default async function OrdersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("orders.place");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const status = statusParam(param(params, "status", 40));
  const q = param(params, "q", 100);
  const page = pageParam(params);
  // listOrders keeps a customer to their own company's orders in SQL.
  const { rows, hasNext } = await listOrders(db, actor, { status, q, page });
  const partlyShipped = await ordersWithShipments(db, rows.filter((r) => r.status === "approved").map((r) => r.id));
  const href = (p: number) => hrefWith("/orders", { status, q, page: p > 1 ? p : undefined });
  const filtered = Boolean(status || q);

  return (
    <>
      <PageHeader title="Orders" description="Your company's quotations and orders." />
      {/* GET form: works without JavaScript; leaving out `page` starts again at page 1. Keyed so the fields follow navigation. */}
      <Form
        key={`${status ?? ""}|${q ?? ""}`}
        action="/orders"
        role="search"
        aria-label="Order search"
        className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-end"
      >
        <Select label="Status" name="status" defaultValue={status ?? ""}>
          <option value="">All</option>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          {listedStates.map((s) => (
            <option key={s} value={s}>
              {stateLabels[s]}
            </option>
          ))}
        </Select>
        <Input label="Search" name="q" type="search" defaultValue={q ?? ""} placeholder="Reference, PO number or quotation number" />
        <Button type="submit" variant="secondary">
          Filter
        </Button>
      </Form>
      {rows.length === 0 ? (
        page > 1 ? (
          <EmptyState
            title="No more orders"
            description="This page is past the end of the list."
            action={<LinkButton href={href(1)} variant="secondary">Go to the first page</LinkButton>}
          />
        ) : filtered ? (
          <EmptyState
            title="No orders match"
            description="Try another search or status."
            action={<LinkButton href="/orders" variant="secondary">Clear filters</LinkButton>}
          />
        ) : (
          <EmptyState
            title="No orders yet"
            description="Add products to your cart and request a quotation; your orders are listed here."
            action={<LinkButton href="/">Browse the catalogue</LinkButton>}
          />
        )
      ) : (
        <>
          <Table caption="Orders" stack>
            <THead>
              <tr>
                <TH>Reference</TH>
                <TH>Quotation</TH>
                <TH>Status</TH>
                <TH>PO number</TH>
                <TH className="text-right">Total</TH>
                <TH>{zonedHeader("Updated", tz)}</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <TR key={r.id} data-testid="order-row">
                  <TD className="font-medium whitespace-nowrap">
                    <Link href={`/orders/${r.id}`} className="text-brand-700 hover:underline">
                      {r.reference}
                    </Link>
                  </TD>
                  <TD label="Quotation" className="whitespace-nowrap">{r.quotationNumber ? `${r.quotationNumber} v${r.quotationVersion ?? 1}` : "—"}</TD>
                  <TD label="Status">
                    <OrderStatusBadge status={r.status} />
                    <PartlyShippedBadge show={r.status === "approved" && partlyShipped.has(r.id)} />
                  </TD>
                  <TD label="PO number" className="break-words">{r.poNumber || "—"}</TD>
                  <TD label="Total" className="text-right whitespace-nowrap tabular-nums">{r.totalMinor === null ? "—" : formatMoney(r.totalMinor, r.currency)}</TD>
                  <TD label="Updated" className="whitespace-nowrap"><DateTime value={r.updatedAt} timeZone={tz} zone={false} /></TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination label="Orders pagination" page={page} hasNext={hasNext} href={href} previousLabel="Previous" nextLabel="Next" />
        </>
      )}
    </>
  );
}
