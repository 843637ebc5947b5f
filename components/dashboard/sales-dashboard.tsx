import Link from "next/link";
import { OrderLink } from "@/components/documents/document-links";
import type { ReactNode } from "react";
import { stepLabels } from "@/components/admin-orders/order-status";
import { formatCount } from "@/components/lists/format";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Card, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { salesDashboardData, type ApprovalStage, type SalesDashboardData, type TopConverted, type TopConvertedList } from "@/db/queries/analytics/sales";
import { bookedConvertedTotals, type ConvertedTotal } from "@/db/queries/analytics/converted";
import { ConvertedTotalLine } from "@/components/dashboard/converted-total";
import { env } from "@/lib/env";
import type { AnalyticsClock, ByCurrency } from "@/db/queries/analytics/ledger";
import { db } from "@/db/client";
import { formatInZone } from "@/lib/domain/dates";
import { formatMoney } from "@/lib/domain/money";
import { hrefWith } from "@/components/lists/search-params";
import { requirePermission } from "@/lib/session";
import { formatDuration, formatMonth, formatRate } from "./sales-format";

// The sales section of the staff dashboard: every figure comes from salesDashboardData (defined once
// in db/queries/analytics/sales.ts); this only formats it and links each figure to the list behind it.

const linkClass = "font-medium text-brand-700 hover:underline";

const stageLink: Record<ApprovalStage, string> = {
  customer: "/admin/orders?status=awaiting_customer_approval",
  sales: "/admin/orders?status=awaiting_seller_approval",
  finance: "/admin/orders?status=awaiting_seller_approval",
};

const cycleLabels: Record<string, string> = { ...stepLabels, total: "Submission to final approval" };

function Amounts({ value, empty = "—", testId }: { value: ByCurrency; empty?: string; testId?: string }) {
  if (value.length === 0) return <span data-testid={testId}>{empty}</span>;
  return (
    <span className="block" data-testid={testId}>
      {value.map((v, i) => (
        <span key={v.currency} className="block tabular-nums">
          {i > 0 && <span className="sr-only">and </span>}
          {formatMoney(v.minor, v.currency)}
        </span>
      ))}
    </span>
  );
}

function Stat({ id, label, value, children, link }: { id: string; label: string; value: ReactNode; children?: ReactNode; link?: { href: string; label: string } }) {
  return (
    <Card className="flex flex-col">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-2 text-3xl font-semibold tracking-tight text-slate-900" data-testid={`sales-${id}`}>
        {value}
      </dd>
      {children && <dd className="mt-1 text-sm text-slate-600">{children}</dd>}
      {link && (
        <dd className="mt-auto pt-3 text-sm">
          <Link href={link.href} className={linkClass}>
            {link.label}
          </Link>
        </dd>
      )}
    </Card>
  );
}

function SubHeading({ id, children }: { id: string; children: ReactNode }) {
  return (
    <h3 id={id} className="mt-8 mb-3 text-base font-semibold text-slate-900">
      {children}
    </h3>
  );
}

export async function SalesDashboard({ clock }: { clock: AnalyticsClock }) {
  // The page checks who sees which section; this checks again, as every query's caller does.
  await requirePermission("orders.read_all");
  const [d, booked] = await Promise.all([salesDashboardData(db, clock, env().DEFAULT_CURRENCY), bookedConvertedTotals(db, clock, env().DEFAULT_CURRENCY)]);
  return (
    <section aria-labelledby="sales-dashboard-heading" className="mt-8">
      <h2 id="sales-dashboard-heading" className="mb-4 text-lg font-semibold text-slate-900">
        Sales
      </h2>
      <Figures d={d} booked={booked} />
      <ApprovalQueue d={d} />
      <CycleTime d={d} />
      <TopLists d={d} />
    </section>
  );
}

function Figures({ d, booked }: { d: SalesDashboardData; booked: { thisMonth: ConvertedTotal; lastMonth: ConvertedTotal } }) {
  const { thisMonth, lastMonth } = d.booked;
  const until = formatInZone(new Date(d.expiring.until.getTime() - 1), d.clock.timeZone);
  return (
    <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
      <Stat
        id="open-quotations"
        label="Open quotations"
        value={formatCount(d.openQuotations.count)}
        link={{ href: "/admin/orders?status=quoted", label: "View open quotations" }}
      >
        {d.openQuotations.count === 0 ? "No quotations are open. Quotations appear here when buyers submit their carts." : <Amounts value={d.openQuotations.value} testId="sales-open-quotations-value" />}
      </Stat>
      <Stat
        id="expiring-quotations"
        label={`Expiring within ${d.expiring.days} days`}
        value={formatCount(d.expiring.count)}
        link={{ href: hrefWith("/admin/orders", { status: "quoted", expiring: d.expiring.days }), label: "View expiring quotations" }}
      >
        {d.expiring.count === 0 ? (
          `No open quotation expires by ${until}.`
        ) : (
          <>
            <Amounts value={d.expiring.value} />
            <span className="block">Valid until {until} at the latest.</span>
          </>
        )}
      </Stat>
      <Stat id="win-rate" label="Win rate (last 90 days)" value={formatRate(d.winRate.rate)}>
        {d.winRate.rate === null
          ? "No quotation submitted in the last 90 days has been decided yet. The rate appears once buyers accept, decline or let quotations expire."
          : `${formatCount(d.winRate.won)} accepted, ${formatCount(d.winRate.lost)} declined, expired or cancelled, of the quotations submitted since ${d.winRate.period.from}.`}
      </Stat>
      <Stat
        id="booked-this-month"
        label={`Booked in ${formatMonth(thisMonth.month)}`}
        value={formatCount(thisMonth.count)}
      >
        {thisMonth.count === 0 ? "No order accepted this month yet. Orders count here once buyers accept their quotations." : <Amounts value={thisMonth.value} testId="sales-booked-this-month-value" />}
        <ConvertedTotalLine total={booked.thisMonth} testId="sales-booked-this-month-converted" />
        <Link href={hrefWith("/admin/orders", { booked: thisMonth.month })} className={`${linkClass} mt-1 block`}>
          View orders booked this month
        </Link>
        <span className="mt-3 block">
          Last month ({formatMonth(lastMonth.month)}): {formatCount(lastMonth.count)} {lastMonth.count === 1 ? "order" : "orders"}
          {lastMonth.value.length > 0 && (
            <>
              , <Amounts value={lastMonth.value} />
            </>
          )}
        </span>
        <ConvertedTotalLine total={booked.lastMonth} testId="sales-booked-last-month-converted" />
        <Link href={hrefWith("/admin/orders", { booked: lastMonth.month })} className={`${linkClass} mt-1 block`}>
          View orders booked last month
        </Link>
      </Stat>
    </dl>
  );
}

function ApprovalQueue({ d }: { d: SalesDashboardData }) {
  const q = d.approvalQueue;
  const total = q.stages.reduce((n, s) => n + s.count, 0);
  return (
    <>
      <SubHeading id="sales-approval-queue">Approval queue</SubHeading>
      {total === 0 ? (
        <EmptyState
          title="No order is waiting for approval"
          description="Orders appear here once a buyer accepts a quotation, until the customer's administrator, sales and (where needed) finance have approved them."
        />
      ) : (
        <>
          <dl className="mb-4 grid gap-4 sm:grid-cols-3">
            {q.stages.map((s) => (
              <Stat
                key={s.stage}
                id={`queue-${s.stage}`}
                label={`Waiting for ${stepLabels[s.stage]!.toLowerCase()}`}
                value={formatCount(s.count)}
                link={{ href: stageLink[s.stage], label: s.stage === "customer" ? "View orders awaiting the customer" : "View orders awaiting the seller" }}
              >
                {s.oldestSince ? `Longest waiting: ${formatDuration((d.clock.now.getTime() - s.oldestSince.getTime()) / 1000)}` : "None waiting."}
              </Stat>
            ))}
          </dl>
          <Table caption="Longest-waiting orders">
            <THead>
              <tr>
                <TH>Order</TH>
                <TH>Company</TH>
                <TH>Waiting for</TH>
                <TH>{zonedHeader("Since", d.clock.timeZone)}</TH>
                <TH className="text-right">Waiting</TH>
                <TH className="text-right">Total</TH>
              </tr>
            </THead>
            <TBody>
              {q.oldest.map((r) => (
                <TR key={r.orderId}>
                  <TD className="font-medium whitespace-nowrap">
                    <OrderLink orderId={r.orderId}>{r.reference}</OrderLink>
                  </TD>
                  <TD>{r.companyName}</TD>
                  <TD>{stepLabels[r.stage]}</TD>
                  <TD className="whitespace-nowrap">
                    <DateTime value={r.since} timeZone={d.clock.timeZone} zone={false} />
                  </TD>
                  <TD className="text-right whitespace-nowrap tabular-nums">{formatDuration(r.ageSeconds)}</TD>
                  <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.totalMinor, r.currency)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <p className="mt-3 text-sm">
            <Link href="/admin/orders/approvals" className={linkClass}>
              Open my approval queue
            </Link>
          </p>
        </>
      )}
    </>
  );
}

function CycleTime({ d }: { d: SalesDashboardData }) {
  return (
    <>
      <SubHeading id="sales-cycle-time">Approval cycle time (last 90 days)</SubHeading>
      {d.cycleTime.stages.length === 0 ? (
        <EmptyState
          title="No order was approved in the last 90 days"
          description="Once orders receive their final approval, the time each approval stage took (median and 90th percentile) appears here."
        />
      ) : (
        <Table caption="Approval cycle time by stage, last 90 days">
          <THead>
            <tr>
              <TH>Stage</TH>
              <TH className="text-right">Orders</TH>
              <TH className="text-right">Median</TH>
              <TH className="text-right">90th percentile</TH>
            </tr>
          </THead>
          <TBody>
            {d.cycleTime.stages.map((s) => (
              <TR key={s.stage}>
                <TD className="font-medium">{cycleLabels[s.stage]}</TD>
                <TD className="text-right tabular-nums">{formatCount(s.orders)}</TD>
                <TD className="text-right tabular-nums">{formatDuration(s.medianSeconds)}</TD>
                <TD className="text-right tabular-nums">{formatDuration(s.p90Seconds)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <p className="mt-2 text-sm text-slate-600">
        Each stage runs from its opening (the acceptance, the customer&apos;s approval, or the sales approval for finance) to its decision; the
        total from submission to final approval.
      </p>
    </>
  );
}

/** A ranked row's booked cell: its own amount, then (in another currency) the converted one, labelled, and what it leaves out. */
function ConvertedBooked({ row, base }: { row: { currency: string; minor: bigint; convertedMinor: bigint; notConverted: { documents: number; minor: bigint } }; base: string }) {
  return (
    <>
      {formatMoney(row.minor, row.currency)}
      {row.currency !== base && <span className="block text-xs text-slate-600">≈ {formatMoney(row.convertedMinor, base)} converted</span>}
      {row.notConverted.documents > 0 && (
        <span className="block text-xs text-slate-600">
          excl. {formatCount(row.notConverted.documents)} without a rate ({formatMoney(row.notConverted.minor, row.currency)})
        </span>
      )}
    </>
  );
}

/** Rows none of whose documents kept an exchange rate: named, not ranked (never counted at 1). */
function Unranked<T>({ list, name, testId }: { list: TopConvertedList<T>; name: (row: TopConvertedList<T>["unranked"][number]) => string; testId: string }) {
  if (list.unranked.length === 0) return null;
  const names = list.unranked.map((r) => `${name(r)} (${formatMoney(r.minor, r.currency)}, ${formatCount(r.orders)} ${r.orders === 1 ? "order" : "orders"})`);
  const more = list.moreUnranked > 0 ? `, and ${formatCount(list.moreUnranked)} more` : "";
  return (
    <p className="mt-2 text-sm text-slate-600" data-testid={testId}>
      Not ranked, no exchange rate kept: {names.join(", ")}
      {more}.
    </p>
  );
}

function convertedNote(t: TopConverted): string {
  return `Ranked by booked value in ${t.currency}: amounts in other currencies converted at the documents' rates (each order at its accepted quotation's).`;
}

// One minmax(0, 1fr) column below lg// One minmax(0, 1fr) column below lg: an implicit grid column grows to the tables' min-content width
// (their scroll regions do not cap it), which pushed the phone page 35 px sideways.
function TopLists({ d }: { d: SalesDashboardData }) {
  const months = d.topMonths.months;
  const span = `${formatMonth(months[0]!)} to ${formatMonth(months[months.length - 1]!)}`;
  const none = `Nothing was booked this month or in the two months before (${span}). Customers and products appear here, by booked value, once buyers accept quotations.`;
  const conv = d.topConverted;
  const customerRows: (SalesDashboardData["topCustomers"][number] | TopConverted["customers"]["ranked"][number])[] = conv ? conv.customers.ranked : d.topCustomers;
  const productRows: (SalesDashboardData["topProducts"][number] | TopConverted["products"]["ranked"][number])[] = conv ? conv.products.ranked : d.topProducts;
  const customers = customerRows.length + (conv?.customers.unranked.length ?? 0);
  const products = productRows.length + (conv?.products.unranked.length ?? 0);
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
      <div>
        <SubHeading id="sales-top-customers">Top customers (this month and the two before)</SubHeading>
        {conv && (
          <p className="mb-2 text-sm text-slate-600" data-testid="sales-top-converted-note">
            {convertedNote(conv)}
          </p>
        )}
        {customers === 0 && <EmptyState title="No customers yet" description={none} />}
        {customerRows.length > 0 && (
          <Table caption={`Top customers by booked value, ${span}`}>
            <THead>
              <tr>
                <TH>Customer</TH>
                <TH className="text-right">Orders</TH>
                <TH className="text-right">Booked</TH>
              </tr>
            </THead>
            <TBody>
              {customerRows.map((c) => (
                <TR key={`${c.currency}-${c.companyId}`}>
                  <TD>
                    <Link href={`/admin/customers/${c.companyId}`} className={linkClass}>
                      {c.companyName}
                    </Link>
                  </TD>
                  <TD className="text-right tabular-nums">{formatCount(c.orders)}</TD>
                  <TD className="text-right whitespace-nowrap tabular-nums">{conv && "convertedMinor" in c ? <ConvertedBooked row={c} base={conv.currency} /> : formatMoney(c.minor, c.currency)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {conv && <Unranked list={conv.customers} name={(r) => r.companyName} testId="sales-top-customers-unranked" />}
      </div>
      <div>
        <SubHeading id="sales-top-products">Top products (this month and the two before)</SubHeading>
        {conv && (
          <p className="mb-2 text-sm text-slate-600">
            {convertedNote(conv)}
          </p>
        )}
        {products === 0 && <EmptyState title="No products yet" description={none} />}
        {productRows.length > 0 && (
          <Table caption={`Top products by booked value, ${span}`}>
            <THead>
              <tr>
                <TH>Product</TH>
                <TH className="text-right">Quantity</TH>
                <TH className="text-right">Orders</TH>
                <TH className="text-right">Booked</TH>
              </tr>
            </THead>
            <TBody>
              {productRows.map((p) => (
                <TR key={`${p.currency}-${p.productId}`}>
                  <TD>
                    <Link href={`/admin/products/${p.productId}`} className={linkClass}>
                      {p.name}
                    </Link>
                    <span className="block text-xs text-slate-600">{p.sku}</span>
                  </TD>
                  <TD className="text-right tabular-nums">{formatCount(p.quantity)}</TD>
                  <TD className="text-right tabular-nums">{formatCount(p.orders)}</TD>
                  <TD className="text-right whitespace-nowrap tabular-nums">{conv && "convertedMinor" in p ? <ConvertedBooked row={p} base={conv.currency} /> : formatMoney(p.minor, p.currency)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
        {conv && <Unranked list={conv.products} name={(r) => `${r.name} (${r.sku})`} testId="sales-top-products-unranked" />}
      </div>
    </div>
  );
}
