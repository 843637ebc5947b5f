import Link from "next/link";
import type { ReactNode } from "react";
import { ConvertedTotalLine } from "@/components/dashboard/converted-total";
import { DateTime } from "@/components/lists/date-time";
import { formatCount } from "@/components/lists/format";
import { hrefWith } from "@/components/lists/search-params";
import { Card, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { FinanceConvertedTotals } from "@/db/queries/analytics/converted";
import type { FinanceDashboardData } from "@/db/queries/analytics/finance";
import type { AnalyticsClock, ByCurrency } from "@/db/queries/analytics/ledger";
import { formatMoney } from "@/lib/domain/money";
import { ageingBuckets, type AgeingBucket } from "@/lib/domain/receivables";

// The finance section of the staff dashboard, rendered from financeDashboardData's answer (it only
// formats): what waits for finance (payments to verify, bank lines to match), what is owed and how
// late (ageing, DSO), what came in, and which companies are close to their credit limit. Each
// figure links to the list behind it.

const linkClass = "font-medium text-brand-700 hover:underline";
const bucketLabels: Record<AgeingBucket, string> = { current: "Not yet due", "1-30": "1–30 days", "31-60": "31–60 days", "61-90": "61–90 days", "90+": "Over 90 days" };

function Amounts({ amounts, empty, testId }: { amounts: ByCurrency; empty: string; testId: string }) {
  if (amounts.length === 0) return <span data-testid={testId}>{empty}</span>;
  return (
    <span className="flex flex-col" data-testid={testId}>
      {amounts.map((a) => (
        <span key={a.currency}>{formatMoney(a.minor, a.currency)}</span>
      ))}
    </span>
  );
}

function Stat({ id, label, value, children, link }: { id: string; label: string; value: ReactNode; children?: ReactNode; link: { href: string; label: string } }) {
  return (
    <Card className="flex flex-col">
      <dt className="text-sm font-medium text-slate-600">{label}</dt>
      <dd className="mt-2 text-2xl font-semibold tracking-tight text-slate-900" data-testid={`finance-${id}`}>
        {value}
      </dd>
      {children && <dd className="mt-1 text-sm text-slate-600">{children}</dd>}
      <dd className="mt-auto pt-3 text-sm">
        <Link href={link.href} className={linkClass}>
          {link.label}
        </Link>
      </dd>
    </Card>
  );
}

function waitingDays(since: Date, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000));
}

function daysWaiting(days: number): string {
  return `${formatCount(days)} ${days === 1 ? "day" : "days"} waiting`;
}

function Receivables({ rows }: { rows: FinanceDashboardData["receivables"] }) {
  if (rows.length === 0) {
    return <EmptyState title="Nothing outstanding" description="Issued invoices that are not yet fully paid appear here by how many days they are past their due date." />;
  }
  return (
    <Table caption="Outstanding receivables by ageing bucket">
      <THead>
        <tr>
          <TH>Currency</TH>
          {ageingBuckets.map((b) => (
            <TH key={b} className="text-right">
              {bucketLabels[b]}
            </TH>
          ))}
          <TH className="text-right">Overdue</TH>
          <TH className="text-right">Total outstanding</TH>
        </tr>
      </THead>
      <TBody>
        {rows.map((r) => (
          <TR key={r.currency} data-testid="finance-ageing-row">
            <TH scope="row" className="text-slate-900">
              {r.currency}
            </TH>
            {ageingBuckets.map((b) => (
              <TD key={b} className="text-right tabular-nums" data-testid={`finance-ageing-${r.currency}-${b}`}>
                {r.buckets[b] > 0n ? (
                  <Link href={hrefWith("/admin/payments/ageing", { bucket: b })} className={linkClass} aria-label={`${bucketLabels[b]}: ${formatMoney(r.buckets[b], r.currency)} on ${formatCount(r.invoices[b])} invoices`}>
                    {formatMoney(r.buckets[b], r.currency)}
                  </Link>
                ) : (
                  formatMoney(0n, r.currency)
                )}
              </TD>
            ))}
            <TD className="text-right font-semibold tabular-nums">
              {r.overdueMinor > 0n ? (
                <Link href={hrefWith("/admin/payments/ageing", { bucket: "overdue" })} className={linkClass}>
                  {formatMoney(r.overdueMinor, r.currency)}
                </Link>
              ) : (
                formatMoney(0n, r.currency)
              )}
            </TD>
            <TD className="text-right tabular-nums">{formatMoney(r.totalMinor, r.currency)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function Dso({ dso }: { dso: FinanceDashboardData["dso"] }) {
  if (dso.figures.length === 0) {
    return (
      <EmptyState
        title="No DSO yet"
        description={`Days sales outstanding appear once invoices are issued: what is outstanding today against what was invoiced over the last ${dso.windowDays} days.`}
      />
    );
  }
  return (
    <Table caption={`Days sales outstanding (invoiced ${dso.window.from} to ${dso.window.to})`}>
      <THead>
        <tr>
          <TH>Currency</TH>
          <TH className="text-right">DSO (days)</TH>
          <TH className="text-right">Outstanding today</TH>
          <TH className="text-right">Invoiced, last {dso.windowDays} days</TH>
        </tr>
      </THead>
      <TBody>
        {dso.figures.map((f) => (
          <TR key={f.currency} data-testid="finance-dso-row">
            <TH scope="row" className="text-slate-900">
              {f.currency}
            </TH>
            <TD className="text-right font-semibold tabular-nums">{f.days === null ? "— (nothing invoiced)" : f.days.toFixed(1)}</TD>
            <TD className="text-right tabular-nums">{formatMoney(f.outstandingMinor, f.currency)}</TD>
            <TD className="text-right tabular-nums">{formatMoney(f.invoicedMinor, f.currency)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

function CreditUtilisation({ figure }: { figure: FinanceDashboardData["creditUtilisation"] }) {
  if (figure.companies.length === 0) {
    return (
      <EmptyState
        title={`No company at ${figure.thresholdPercent} % of its credit limit`}
        description={`A company appears here when its open invoices plus accepted orders not yet invoiced reach ${figure.thresholdPercent} % of its credit limit. Companies without a limit are not listed.`}
      />
    );
  }
  return (
    <>
      <Table caption={`Companies at or above ${figure.thresholdPercent} % of their credit limit`}>
        <THead>
          <tr>
            <TH>Company</TH>
            <TH className="text-right">Utilisation</TH>
            <TH className="text-right">Exposure</TH>
            <TH className="text-right">Credit limit</TH>
          </tr>
        </THead>
        <TBody>
          {figure.companies.map((c) => (
            <TR key={c.companyId} data-testid="finance-credit-row">
              <TD>
                <Link href={`/admin/customers/${c.companyId}`} className={linkClass}>
                  {c.companyName}
                </Link>
              </TD>
              <TD className={`text-right font-semibold tabular-nums ${c.utilisationPercent >= 100 ? "text-red-700" : ""}`}>{c.utilisationPercent.toFixed(1)} %</TD>
              <TD className="text-right tabular-nums">{formatMoney(c.exposureMinor, c.currency)}</TD>
              <TD className="text-right tabular-nums">{formatMoney(c.creditLimitMinor, c.currency)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      {figure.total > figure.companies.length && (
        <p className="mt-2 text-sm text-slate-600">
          The {formatCount(figure.companies.length)} most used of {formatCount(figure.total)} companies at or above the threshold.
        </p>
      )}
    </>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-3">
      <div>
        <h3 id={id} className="text-base font-semibold text-slate-900">
          {title}
        </h3>
        <p className="text-sm text-slate-600">{description}</p>
      </div>
      {children}
    </section>
  );
}

export function FinanceDashboardView({
  data,
  clock,
  converted,
}: {
  data: FinanceDashboardData;
  clock: Pick<AnalyticsClock, "now" | "timeZone">;
  /** Totals in the base currency at the documents' rates (db/queries/analytics/converted.ts). */
  converted?: FinanceConvertedTotals;
}) {
  const waiting = data.awaitingVerification;
  const collectedThisMonth = data.collected.amounts.filter((a) => a.thisMonthMinor !== 0n).map((a) => ({ currency: a.currency, minor: a.thisMonthMinor }));
  const invoicedThisMonth = data.invoiced.amounts.filter((a) => a.thisMonthMinor !== 0n).map((a) => ({ currency: a.currency, minor: a.thisMonthMinor }));
  return (
    <section aria-labelledby="finance-heading" className="space-y-6">
      <h2 id="finance-heading" className="text-lg font-semibold text-slate-900">
        Finance
      </h2>
      <dl className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Stat
          id="awaiting-verification"
          label="Payments awaiting verification"
          value={formatCount(waiting.count)}
          link={{ href: "/admin/payments?status=pending_verification", label: "Verify payments" }}
        >
          {waiting.count === 0 || !waiting.oldestRecordedAt ? (
            "Remittances that customers record wait here until finance verifies or rejects them."
          ) : (
            <>
              <Amounts amounts={waiting.amounts} empty="" testId="finance-awaiting-amounts" />
              <span className="block">
                Oldest recorded <DateTime value={waiting.oldestRecordedAt} timeZone={clock.timeZone} /> ({daysWaiting(waitingDays(waiting.oldestRecordedAt, clock.now))})
              </span>
            </>
          )}
        </Stat>
        <Stat
          id="unmatched-lines"
          label="Unmatched bank lines"
          value={formatCount(data.bankLines.unmatched)}
          link={{ href: "/admin/payments/reconciliation?status=unmatched", label: "Match bank lines" }}
        >
          {data.bankLines.toConfirm > 0 ? (
            <Link href="/admin/payments/reconciliation?status=suggested" className={linkClass}>
              {formatCount(data.bankLines.toConfirm)} matched, to confirm
            </Link>
          ) : (
            "Imported statement lines that no invoice matched wait here for a decision."
          )}
        </Stat>
        <Stat
          id="collected"
          label={`Collected this month (${data.collected.thisMonth.from.slice(0, 7)})`}
          value={<Amounts amounts={collectedThisMonth} empty="Nothing yet" testId="finance-collected-this-month" />}
          link={{ href: "/admin/payments?status=verified", label: "View verified payments" }}
        >
          {data.collected.amounts.length === 0 ? (
            "Verified payments appear here by the date they were paid."
          ) : (
            <span data-testid="finance-collected-last-month">
              Last month (whole month):{" "}
              {data.collected.amounts.map((a, i) => (
                <span key={a.currency}>
                  {i > 0 && ", "}
                  {formatMoney(a.lastMonthMinor, a.currency)}
                </span>
              ))}
              . Verified payments by the date paid; a refunded or rejected payment does not count.
            </span>
          )}
          <ConvertedTotalLine total={converted?.collectedThisMonth} testId="finance-collected-this-month-converted" />
        </Stat>
        <Stat
          id="invoiced"
          label={`Invoiced this month (${data.invoiced.thisMonth.from.slice(0, 7)})`}
          value={<Amounts amounts={invoicedThisMonth} empty="Nothing yet" testId="finance-invoiced-this-month" />}
          link={{ href: "/admin/reports/revenue-by-month", label: "Open the revenue report" }}
        >
          {data.invoiced.amounts.length === 0 ? (
            "Invoices issued at final approval appear here by their issue date, less credit notes."
          ) : (
            <span data-testid="finance-invoiced-last-month">
              Last month (whole month):{" "}
              {data.invoiced.amounts.map((a, i) => (
                <span key={a.currency}>
                  {i > 0 && ", "}
                  {formatMoney(a.lastMonthMinor, a.currency)}
                </span>
              ))}
              . Invoices by issue date, less credit notes by theirs.
            </span>
          )}
          <ConvertedTotalLine total={converted?.invoicedThisMonth} testId="finance-invoiced-this-month-converted" />
        </Stat>
      </dl>
      <Section id="finance-ageing-heading" title="Receivables by ageing bucket" description={`Outstanding on issued invoices today (${data.today}), by days past the due date, per currency.`}>
        <Receivables rows={data.receivables} />
        <ConvertedTotalLine total={converted?.outstanding} testId="finance-outstanding-converted" />
      </Section>
      <Section id="finance-dso-heading" title="Days sales outstanding" description={`Outstanding today ÷ invoiced over the last ${data.dso.windowDays} days (credit notes subtracted) × ${data.dso.windowDays}, per currency.`}>
        <Dso dso={data.dso} />
        {converted && converted.invoicedWindow.currencies.some((c) => c !== converted.invoicedWindow.currency) && (
          <p className="text-sm text-slate-600">
            Invoiced, last {data.dso.windowDays} days: <ConvertedTotalLine total={converted.invoicedWindow} testId="finance-invoiced-window-converted" />
          </p>
        )}
      </Section>
      <Section
        id="finance-credit-heading"
        title="Credit-limit utilisation"
        description="Exposure (open invoices less verified payments, plus accepted orders not yet invoiced) against each company's credit limit, most used first."
      >
        <CreditUtilisation figure={data.creditUtilisation} />
      </Section>
    </section>
  );
}
