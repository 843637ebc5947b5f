import Link from "next/link";
import { formatCount } from "@/components/lists/format";
import { Badge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { CustomerDashboardData } from "@/db/queries/analytics/customer";
import { formatMoney } from "@/lib/domain/money";

const linkClass = "font-medium text-brand-700 hover:underline";

/** Invoices with something left to pay, earliest due first; overdue ones flagged. */
export function CustomerOpenInvoices({ open }: { open: CustomerDashboardData["openInvoices"] }) {
  if (open.count === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="open-invoices-empty">
        Nothing is due. An invoice is listed here from the day it is issued until it is paid in full.
      </p>
    );
  }
  return (
    <>
      <p className="mb-3 text-sm text-slate-700" data-testid="open-invoices-summary">
        {formatCount(open.count)} open {open.count === 1 ? "invoice" : "invoices"}, {open.outstanding.map((a) => formatMoney(a.minor, a.currency)).join(" + ")}{" "}
        outstanding
        {open.overdueCount > 0 && (
          <>
            , of which {formatCount(open.overdueCount)} overdue ({open.overdue.map((a) => formatMoney(a.minor, a.currency)).join(" + ")})
          </>
        )}
        .
      </p>
      <Table caption="Open invoices, earliest due first">
        <THead>
          <tr>
            <TH>Invoice</TH>
            <TH>Due</TH>
            <TH className="text-right">Outstanding</TH>
          </tr>
        </THead>
        <TBody>
          {open.items.map((i) => (
            <TR key={i.invoiceId} data-testid={`open-invoice-${i.number}`}>
              <TD className="whitespace-nowrap">
                <Link href={`/invoices#invoice-${encodeURIComponent(i.number)}`} className={linkClass}>
                  {i.number}
                </Link>
              </TD>
              <TD>
                <span className="block whitespace-nowrap">{i.dueDate}</span>
                {i.overdue && (
                  <Badge tone="danger" className="mt-1">
                    Overdue
                  </Badge>
                )}
              </TD>
              <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(i.outstandingMinor, i.currency)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <p className="mt-3 text-sm">
        <Link href="/invoices" className={linkClass}>
          {open.count > open.items.length ? `View all ${formatCount(open.count)} open invoices` : "View invoices"}
        </Link>
      </p>
    </>
  );
}
