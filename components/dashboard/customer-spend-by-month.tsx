import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { MonthlySpend } from "@/db/queries/analytics/customer";
import { formatMoney } from "@/lib/domain/money";

const monthFormat = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });

/** "2026-03" → "Mar 2026". */
export function monthLabel(month: string): string {
  return monthFormat.format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * One currency's spend per month as a table, each row with a bar scaled to the largest month
 * (a month where credit notes exceed invoices shows its negative amount and no bar). The table is
 * the accessible form of the series; a chart of the same `series` can sit beside or replace the bars.
 */
export function CustomerSpendByMonth({ series }: { series: MonthlySpend }) {
  const max = series.months.reduce((m, r) => (r.minor > m ? r.minor : m), 0n);
  const share = (minor: bigint) => (max > 0n && minor > 0n ? Number((minor * 1000n) / max) / 10 : 0);
  return (
    <Table caption={`Spend by month in ${series.currency}`} data-testid={`spend-by-month-${series.currency}`}>
      <THead>
        <tr>
          <TH>Month</TH>
          <TH className="text-right">Spend ({series.currency})</TH>
          <TH className="w-1/2">
            <span className="sr-only">Relative to the largest month</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {series.months.map((r) => (
          <TR key={r.month} data-testid={`spend-month-${r.month}`}>
            <th scope="row" className="px-4 py-3 text-left font-medium whitespace-nowrap text-slate-800">
              {monthLabel(r.month)}
            </th>
            <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.minor, series.currency)}</TD>
            <TD aria-hidden="true" className="align-middle">
              {/* SVG attributes, not a style attribute: the page's CSP (style-src with a nonce) refuses inline styles. */}
              <svg viewBox="0 0 100 10" preserveAspectRatio="none" className="block h-3 w-full min-w-16">
                <rect width={share(r.minor)} height="10" rx="1" className="fill-brand-600" />
              </svg>
            </TD>
          </TR>
        ))}
      </TBody>
      <tfoot className="border-t border-slate-200 bg-slate-50">
        <tr>
          <th scope="row" className="px-4 py-3 text-left font-semibold text-slate-900">
            Total
          </th>
          <TD className="text-right font-semibold whitespace-nowrap tabular-nums" data-testid={`spend-total-${series.currency}`}>
            {formatMoney(series.total, series.currency)}
          </TD>
          <TD />
        </tr>
      </tfoot>
    </Table>
  );
}
