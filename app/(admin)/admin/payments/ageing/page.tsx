import type { Metadata } from "next";
import Link from "next/link";
import { ageingFilters, parseAgeingFilter, receivablesAgeing, type AgeingFilter } from "@/db/queries/invoices";
import { hrefWith, param, type SearchParams } from "@/components/lists/search-params";
import { EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { buttonClasses } from "@/components/ui/button";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { ageingBuckets } from "@/lib/domain/receivables";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Receivables ageing" };

const linkClass = "font-medium text-brand-700 hover:underline";

const labels: Record<(typeof ageingBuckets)[number], string> = { current: "Current", "1-30": "1–30 days", "31-60": "31–60 days", "61-90": "61–90 days", "90+": "Over 90 days" };
const filterLabels: Record<AgeingFilter, string> = { ...labels, overdue: "All overdue" };

export default async function AgeingPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("receivables.read");
  // An unknown bucket is no filter (never an error): the whole list is shown.
  const filter = parseAgeingFilter(param(await searchParams, "bucket", 20));
  const rows = await receivablesAgeing(db, actor, undefined, filter);
  return (
    <>
      <PageHeader
        title="Receivables ageing"
        description="What each company still owes, by days past the invoice due date."
        actions={
          <a href="/api/admin/receivables/ageing" download className={buttonClasses("secondary", "md")}>
            Export CSV
          </a>
        }
      />
      <nav aria-label="Filter by ageing bucket" className="mb-4 flex flex-wrap gap-2">
        {[null, ...ageingFilters].map((f) => (
          <Link
            key={f ?? "all"}
            href={hrefWith("/admin/payments/ageing", { bucket: f ?? undefined })}
            aria-current={f === filter ? "page" : undefined}
            className={buttonClasses(f === filter ? "primary" : "secondary", "sm")}
          >
            {f ? filterLabels[f] : "All"}
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        filter ? (
          <EmptyState title={`Nothing in “${filterLabels[filter]}”`} description="No company owes anything in this bucket today; the other buckets may still hold open amounts." />
        ) : (
          <EmptyState title="Nothing outstanding" description="Every issued invoice is paid or cancelled." />
        )
      ) : (
        <Table caption={filter ? `Receivables ageing per company: ${filterLabels[filter]}` : "Receivables ageing per company"} stack>
          <THead>
            <TR>
              <TH>Company</TH>
              {ageingBuckets.map((b) => (
                <TH key={b} className="text-right">
                  {labels[b]}
                </TH>
              ))}
              <TH className="text-right">Total</TH>
              <TH>Statement of account</TH>
            </TR>
          </THead>
          <TBody>
            {rows.map((r) => (
              <TR key={`${r.companyId}:${r.currency}`} data-testid="ageing-row">
                <TD>{r.companyName}</TD>
                {ageingBuckets.map((b) => (
                  <TD key={b} label={labels[b]} className="text-right tabular-nums">
                    {formatMoney(r.buckets[b], r.currency)}
                  </TD>
                ))}
                <TD label="Total" className="text-right font-semibold tabular-nums">{formatMoney(r.totalMinor, r.currency)}</TD>
                <TD label="Statement of account" className="whitespace-nowrap">
                  <a href={`/api/statements/account?company=${r.companyId}&format=pdf`} download aria-label={`Statement of account of ${r.companyName} (PDF)`} className={linkClass}>
                    PDF
                  </a>
                  <span aria-hidden="true" className="px-1 text-slate-400">
                    ·
                  </span>
                  <a href={`/api/statements/account?company=${r.companyId}`} download aria-label={`Statement of account of ${r.companyName} (CSV)`} className={linkClass}>
                    CSV
                  </a>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
