import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DataTable } from "@/components/charts/data-table";
import { hasData } from "@/components/charts/chart-math";
import { ReportChart } from "@/components/charts/report-chart";
import { FilterForm } from "@/components/lists/filter-form";
import { hrefWith, type SearchParams } from "@/components/lists/search-params";
import { buttonClasses, EmptyState, Input, PageHeader, Select } from "@/components/ui";
import { isReportName, runReport } from "@/db/queries/analytics/reports";
import { listCompanyOptions } from "@/db/queries/companies";
import { db } from "@/db/client";
import { parseReportQuery, reportQueryParams, type ReportParamProblem } from "@/lib/reports/params";
import { formatCell, ratesSentence, reportMeta, reportView } from "@/lib/reports/views";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { sellerClock } from "@/lib/time-zone";

type Props = { params: Promise<{ name: string }>; searchParams: Promise<SearchParams> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { name } = await params;
  return { title: isReportName(name) ? reportMeta[name].title : "Report not found" };
}

export default async function ReportPage({ params, searchParams }: Props) {
  await requirePermission("reports.read");
  const { name } = await params;
  if (!isReportName(name)) notFound();
  const meta = reportMeta[name];
  const clock = sellerClock();
  const raw = await searchParams;
  const { query, problems } = parseReportQuery(raw, clock.today);
  const companies = await listCompanyOptions(db);
  if (query.companyId && !companies.some((c) => c.id === query.companyId)) {
    problems.push({ field: "company", message: "No such company: showing every company." });
    query.companyId = null;
  }
  const result = await runReport(db, name, query, clock, env().DEFAULT_CURRENCY);
  const view = reportView(result);
  const currency = result.currency;
  const notices: string[] = [];
  if (query.currency && currency && query.currency !== currency) notices.push(`Nothing in ${query.currency} for these dates and company: showing ${currency}.`);
  const empty = view.rows.length === 0 || !hasData(view.chart.series);
  // In another currency than the base one, each converted column follows the table's own (issue 15).
  const conv = view.converted;
  const convertedColumns = conv?.perRow ? conv.columns.map((c) => ({ key: `${c.key}_converted`, label: `${c.label} in ${conv.currency}, converted`, numeric: true })) : [];
  const withoutRate = conv?.perRow && Object.values(conv.missing).some((n) => n > 0) ? [{ key: "without_rate", label: "Documents without a rate", numeric: true }] : [];
  const path = `/admin/reports/${name}`;
  const shown = { ...query, currency };
  const problemOf = (field: ReportParamProblem["field"]) => problems.filter((p) => p.field === field).map((p) => p.message);
  const rawValue = (field: string) => {
    const v = raw[field];
    return (Array.isArray(v) ? v[0] : v) ?? "";
  };
  const companyName = query.companyId ? companies.find((c) => c.id === query.companyId)?.name : null;
  const scope = `${query.period.from} to ${query.period.to}${companyName ? `, ${companyName}` : ", every company"}${meta.amounts && currency ? `, amounts in ${currency}` : ""}`;

  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/reports" className="font-medium text-brand-700 hover:underline">
          ← All reports
        </Link>
      </p>
      <PageHeader
        title={meta.title}
        description={meta.summary}
        actions={
          <a href={hrefWith(`/api/admin/reports/${name}/csv`, reportQueryParams(shown))} download className={buttonClasses("secondary")}>
            Export CSV
          </a>
        }
      />
      {/* Keyed by the query: the fields take their defaults only on mount. */}
      <FilterForm key={JSON.stringify(raw)} action={path} label="Report options" filtered={Object.keys(raw).length > 0} submitLabel="Show report" clearLabel="Reset" className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end">
        <Input label="From" name="from" type="date" defaultValue={problemOf("from").length ? rawValue("from") : query.period.from} error={problemOf("from")} />
        <Input label="To" name="to" type="date" defaultValue={problemOf("to").length ? rawValue("to") : query.period.to} error={problemOf("to")} />
        <Select label="Company" name="company" defaultValue={query.companyId ?? ""} error={problemOf("company")}>
          <option value="">Every company</option>
          {companies.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
        {meta.amounts && (
          <Select label="Currency" name="currency" defaultValue={currency ?? ""} error={problemOf("currency")} hint={result.currencies.length > 1 ? undefined : "Only currencies with figures are listed."}>
            {result.currencies.length === 0 && <option value="">No amounts yet</option>}
            {result.currencies.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        )}
      </FilterForm>
      {(problems.length > 0 || notices.length > 0) && (
        <div role="status" data-testid="report-notice" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          {problems.length > 0 && <p>Some options could not be used (see the fields above); the report shows the defaults for them instead.</p>}
          {notices.map((n) => (
            <p key={n}>{n}</p>
          ))}
        </div>
      )}
      <p className="mb-3 text-sm text-slate-700" data-testid="report-scope">
        {scope}
      </p>
      {empty ? (
        <EmptyState title="Nothing to report yet" description={meta.empty} />
      ) : (
        <div className="space-y-4">
          <ReportChart {...view.chart} emptyMessage={meta.empty} />
          <DataTable
            caption={`${meta.title}: ${scope}`}
            testId="report-row"
            stack
            columns={[...view.columns.map((c) => ({ key: c.key, label: c.label, numeric: c.kind !== "text", rowHeader: c.rowHeader })), ...convertedColumns, ...withoutRate]}
            rows={view.rows.map((r) => ({
              key: r.key,
              cells: {
                ...Object.fromEntries(view.columns.map((c) => [c.key, formatCell(r.cells[c.key] ?? null, c.kind, currency)])),
                ...(conv?.perRow ? Object.fromEntries(conv.columns.map((c) => [`${c.key}_converted`, formatCell(conv.cells[r.key]?.[c.key] ?? null, "money", conv.currency)])) : {}),
                ...(withoutRate.length ? { without_rate: formatCell(conv!.missing[r.key] ?? 0, "count", null) } : {}),
              },
            }))}
          />
          {conv && conv.totals.length > 0 && (
            <div className="text-sm text-slate-700" data-testid="report-converted">
              {conv.totals.map((t) => (
                <p key={t.key}>{t.text}</p>
              ))}
              {ratesSentence(conv) && <p className="text-slate-600">{ratesSentence(conv)}</p>}
            </div>
          )}
        </div>
      )}
    </>
  );
}
