import type { Metadata } from "next";
import Link from "next/link";
import { OrderLink } from "@/components/documents/document-links";
import { Suspense } from "react";
import { isListableState, listableStates } from "@/components/admin-orders/order-status";
import { bookedParam, expiringParam } from "@/components/admin-orders/order-list-params";
import { FilterForm } from "@/components/lists/filter-form";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { PartlyShippedBadge } from "@/components/shipments/partly-shipped-badge";
import { ordersWithShipments } from "@/db/queries/shipments";
import { OrderStatusBadge, staffStateLabel } from "@/components/orders/order-status-badge";
import { Badge, EmptyState, Input, LinkButton, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { approvalQueue, listOrders, type OrderListFilter } from "@/db/queries/orders";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import type { Actor } from "@/lib/domain/actor";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone, sellerClock } from "@/lib/time-zone";
import { expiringWindow } from "@/db/queries/analytics/sales";
import { formatMonth } from "@/components/dashboard/sales-format";
import { monthPeriod } from "@/lib/domain/periods";

export const metadata: Metadata = { title: "Orders" };

const PATH = "/admin/orders";

type Sort = NonNullable<OrderListFilter["sort"]>;
// expiring: open quotations valid for at most that many more seller days (the sales dashboard's
// link); booked: orders booked in that month (yyyy-mm), as the dashboard counts them.
type Filters = { status?: NonNullable<OrderListFilter["status"]>; q?: string; sort: Sort; expiring?: number; booked?: string };

const sortOptions: { value: Sort; label: string }[] = [
  { value: "newest", label: "Newest first" },
  { value: "oldest", label: "Oldest first" },
  { value: "total_desc", label: "Largest total" },
];

function filterHref(f: Filters, page?: number): string {
  return hrefWith(PATH, {
    status: f.status,
    q: f.q,
    sort: f.sort === "newest" ? undefined : f.sort,
    expiring: f.expiring,
    booked: f.booked,
    page: page && page > 1 ? page : undefined,
  });
}

export default async function OrdersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("orders.read_all");
  const params = await searchParams;
  const rawStatus = param(params, "status");
  const rawSort = param(params, "sort");
  const filters: Filters = {
    status: rawStatus === "open" || rawStatus === "closed" || isListableState(rawStatus) ? rawStatus : undefined,
    q: param(params, "q", 100),
    sort: rawSort === "oldest" || rawSort === "total_desc" ? rawSort : "newest",
    expiring: expiringParam(param(params, "expiring", 3)),
    booked: bookedParam(param(params, "booked", 7)),
  };
  const page = pageParam(params);
  const awaiting = can(actor.role, "orders.approve") ? (await approvalQueue(db, actor)).length : null;
  const filtered = Boolean(filters.status || filters.q || filters.sort !== "newest" || filters.expiring || filters.booked);
  return (
    <>
      <PageHeader
        title="Orders"
        description="Every customer order after its quotation was issued: approvals, fulfilment and documents."
        actions={
          awaiting !== null && (
            <LinkButton href="/admin/orders/approvals" variant={awaiting > 0 ? "primary" : "secondary"}>
              Awaiting my approval
              <Badge tone={awaiting > 0 ? "warning" : "neutral"} data-testid="approval-count">
                {awaiting}
              </Badge>
            </LinkButton>
          )
        }
      />
      {/* Keyed by the filters: selects take their defaults only on mount. */}
      <FilterForm key={filterHref(filters)} action={PATH} label="Filter orders" filtered={filtered}>
        <Select label="Status" name="status" defaultValue={filters.status ?? ""} wrapperClassName="sm:w-64">
          <option value="">All orders</option>
          <option value="open">Open</option>
          <option value="closed">Closed</option>
          {listableStates.map((s) => (
            <option key={s} value={s}>
              {staffStateLabel(s)}
            </option>
          ))}
        </Select>
        <Input
          label="Search"
          name="q"
          type="search"
          defaultValue={filters.q ?? ""}
          placeholder="Company, reference, PO or quotation number"
          wrapperClassName="sm:w-80"
        />
        <Select label="Sort by" name="sort" defaultValue={filters.sort} wrapperClassName="sm:w-44">
          {sortOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
        {filters.expiring !== undefined && <input type="hidden" name="expiring" value={filters.expiring} />}
        {filters.booked && <input type="hidden" name="booked" value={filters.booked} />}
      </FilterForm>
      {(filters.expiring !== undefined || filters.booked) && (
        <p className="mb-4 text-sm text-slate-700" data-testid="order-list-scope">
          {filters.expiring !== undefined && <>Showing open quotations that expire within {filters.expiring} {filters.expiring === 1 ? "day" : "days"}. </>}
          {filters.booked && <>Showing orders booked in {formatMonth(filters.booked)} (accepted that month and not since rejected or cancelled). </>}
          <Link href={filterHref({ ...filters, expiring: undefined, booked: undefined })} className="font-medium text-brand-700 hover:underline">
            Show all matching orders
          </Link>
        </p>
      )}
      <Suspense key={`${filterHref(filters)}|${page}`} fallback={<TableSkeleton label="orders" />}>
        <OrdersTable actor={actor} filters={filters} filtered={filtered} page={page} />
      </Suspense>
    </>
  );
}

async function OrdersTable({ actor, filters, filtered, page }: { actor: Actor; filters: Filters; filtered: boolean; page: number }) {
  const tz = await getViewerTimeZone(actor);
  const clock = sellerClock();
  const { rows, hasNext } = await listOrders(db, actor, {
    status: filters.status,
    q: filters.q,
    sort: filters.sort,
    page,
    now: clock.now,
    expiring: filters.expiring !== undefined ? expiringWindow(clock, filters.expiring) : undefined,
    booked: filters.booked ? { period: monthPeriod(filters.booked), timeZone: clock.timeZone } : undefined,
  });
  const partlyShipped = await ordersWithShipments(db, rows.filter((r) => r.status === "approved").map((r) => r.id));
  if (rows.length === 0) {
    if (page > 1) {
      return (
        <EmptyState
          title="Nothing on this page"
          description="The matching orders are on earlier pages."
          action={
            <LinkButton href={filterHref(filters)} variant="secondary">
              Go to the first page
            </LinkButton>
          }
        />
      );
    }
    return filtered ? (
      <EmptyState title="No orders found" description="No order matches these filters." action={<LinkButton href={PATH} variant="secondary">Clear filters</LinkButton>} />
    ) : (
      <EmptyState title="No orders yet" description="Orders appear here once a customer asks for a quotation." />
    );
  }
  return (
    <>
      <Table caption="Orders" stack>
        <THead>
          <tr>
            <TH>Reference</TH>
            <TH>Company</TH>
            <TH>Buyer</TH>
            <TH>Quotation</TH>
            <TH>Status</TH>
            <TH className="text-right">Total</TH>
            <TH>{zonedHeader("Updated", tz)}</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((r) => (
            <TR key={r.id} data-testid={`order-row-${r.reference}`}>
              <TD className="font-medium whitespace-nowrap">
                <OrderLink orderId={r.id} className="text-brand-700 hover:underline">
                  {r.reference}
                </OrderLink>
                {r.poNumber && <span className="block text-xs font-normal text-slate-600">PO {r.poNumber}</span>}
              </TD>
              <TD label="Company">{r.companyName}</TD>
              <TD label="Buyer">{r.buyerName}</TD>
              <TD label="Quotation" className="whitespace-nowrap">
                {r.quotationNumber ? (
                  <>
                    {r.quotationNumber}
                    {r.quotationVersion !== null && r.quotationVersion > 1 && <span className="text-slate-600"> v{r.quotationVersion}</span>}
                  </>
                ) : (
                  "—"
                )}
              </TD>
              <TD label="Status">
                <OrderStatusBadge status={r.status} audience="staff" />
                    <PartlyShippedBadge show={r.status === "approved" && partlyShipped.has(r.id)} />
              </TD>
              <TD label="Total" className="text-right whitespace-nowrap tabular-nums">{r.totalMinor === null ? "—" : formatMoney(r.totalMinor, r.currency)}</TD>
              <TD label="Updated" className="whitespace-nowrap"><DateTime value={r.updatedAt} timeZone={tz} zone={false} /></TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Pagination page={page} hasNext={hasNext} href={(n) => filterHref(filters, n)} />
    </>
  );
}
