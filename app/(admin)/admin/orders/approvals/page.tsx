import type { Metadata } from "next";
import Link from "next/link";
import { OrderLink } from "@/components/documents/document-links";
import { formatAge, stepLabels } from "@/components/admin-orders/order-status";
import { FilterForm } from "@/components/lists/filter-form";
import { hrefWith, param, type SearchParams } from "@/components/lists/search-params";
import { EmptyState, Input, LinkButton, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { approvalQueue } from "@/db/queries/orders";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { formatInZone } from "@/lib/domain/dates";

export const metadata: Metadata = { title: "Awaiting my approval" };

const PATH = "/admin/orders/approvals";

type Sort = "oldest" | "newest" | "total_desc";

const sortOptions: { value: Sort; label: string }[] = [
  { value: "oldest", label: "Oldest first" },
  { value: "newest", label: "Newest first" },
  { value: "total_desc", label: "Largest total" },
];

export default async function ApprovalQueuePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("orders.approve");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const q = param(params, "q", 100);
  const rawSort = param(params, "sort");
  const sort: Sort = rawSort === "newest" || rawSort === "total_desc" ? rawSort : "oldest";
  const rows = await approvalQueue(db, actor, { q, sort });
  const filtered = Boolean(q || sort !== "oldest");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/orders" className="font-medium text-brand-700 hover:underline">
          ← All orders
        </Link>
      </p>
      <PageHeader title="Awaiting my approval" description="Accepted orders waiting for an approval your role can give, oldest first." />
      <FilterForm key={hrefWith(PATH, { q, sort })} action={PATH} label="Filter the approval queue" filtered={filtered}>
        <Input label="Search" name="q" type="search" defaultValue={q ?? ""} placeholder="Company or reference" wrapperClassName="sm:w-80" />
        <Select label="Sort by" name="sort" defaultValue={sort} wrapperClassName="sm:w-44">
          {sortOptions.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </FilterForm>
      {rows.length === 0 ? (
        <EmptyState
          title="Nothing waiting for you"
          description={q ? `No order waiting for your approval matches “${q}”.` : "No accepted order needs an approval your role can give."}
          action={
            <LinkButton href="/admin/orders" variant="secondary">
              All orders
            </LinkButton>
          }
        />
      ) : (
        <Table caption="Orders awaiting my approval" stack>
          <THead>
            <tr>
              <TH>Reference</TH>
              <TH>Company</TH>
              <TH className="text-right">Total</TH>
              <TH>Age</TH>
              <TH>Needs</TH>
              <TH>Reasons</TH>
            </tr>
          </THead>
          <TBody>
            {rows.map((r) => {
              const given = r.approvals.filter((s) => s !== "customer");
              return (
                <TR key={r.id} data-testid="approval-row">
                  <TD className="font-medium whitespace-nowrap">
                    <OrderLink orderId={r.id} className="text-brand-700 hover:underline">
                      {r.reference}
                    </OrderLink>
                    {r.quotationNumber && <span className="block text-xs font-normal text-slate-600">{r.quotationNumber}</span>}
                  </TD>
                  <TD label="Company">{r.companyName}</TD>
                  <TD label="Total" className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.totalMinor, r.currency)}</TD>
                  <TD label="Age" className="whitespace-nowrap">
                    <span title={r.acceptedAt ? `Accepted ${formatInZone(r.acceptedAt, tz)}` : undefined}>{formatAge(r.ageHours)}</span>
                  </TD>
                  <TD label="Needs" className="whitespace-nowrap">
                    {r.needsFinanceApproval ? "Sales + Finance" : "Sales"}
                    {given.length > 0 && (
                      <span className="block text-xs text-slate-600">Given: {given.map((s) => stepLabels[s] ?? s).join(", ")}</span>
                    )}
                  </TD>
                  <TD label="Reasons" className="text-xs text-slate-700">
                    {r.approvalReasons.length ? (
                      <ul className="list-disc space-y-0.5 pl-4">
                        {r.approvalReasons.map((reason, i) => (
                          <li key={i}>{reason}</li>
                        ))}
                      </ul>
                    ) : (
                      "—"
                    )}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
    </>
  );
}
