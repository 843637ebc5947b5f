import { Card } from "@/components/ui";
import { db } from "@/db/client";
import { customerDashboardData } from "@/db/queries/analytics/customer";
import type { AnalyticsClock } from "@/db/queries/analytics/ledger";
import { CustomerApprovals } from "./customer-approvals";
import { CustomerOpenInvoices } from "./customer-open-invoices";
import { CustomerSpendByBuyer, CustomerSpendByCategory } from "./customer-spend-breakdown";
import { CustomerSpendByMonth, monthLabel } from "./customer-spend-by-month";

/**
 * The customer admin's view of their company: what waits for their approval, what is due, and
 * what the company spent over the last twelve months. `companyId` comes from the session.
 */
export async function CustomerDashboard({ companyId, clock, timeZone }: { companyId: string; clock: AnalyticsClock; timeZone: string }) {
  const data = await customerDashboardData(db, companyId, clock);
  const window = `${monthLabel(data.months[0]!)} to ${monthLabel(data.months[data.months.length - 1]!)}`;
  return (
    <div className="space-y-6" data-testid="customer-dashboard">
      <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
        <Card title="Orders awaiting your approval">
          <CustomerApprovals awaiting={data.awaitingApproval} timeZone={timeZone} />
        </Card>
        <Card title="Open invoices">
          <CustomerOpenInvoices open={data.openInvoices} />
        </Card>
      </div>
      {data.spendByMonth.length === 0 ? (
        <Card title="Spend">
          <p className="text-sm text-slate-600" data-testid="spend-empty">
            No invoices from {window}. Your company&apos;s spend by month, by buyer and by category appears here once the seller invoices
            an order.
          </p>
        </Card>
      ) : (
        <>
          <Card title="Spend by month">
            <p className="mb-3 text-sm text-slate-600">
              Invoiced minus credit notes, {window}, by the date on the document. Each currency is shown on its own.
            </p>
            <div className="space-y-4">
              {data.spendByMonth.map((series) => (
                <CustomerSpendByMonth key={series.currency} series={series} />
              ))}
            </div>
          </Card>
          <div className="grid grid-cols-[minmax(0,1fr)] gap-6 lg:grid-cols-2">
            <Card title="Spend by buyer">
              {data.spendByBuyer.length === 0 ? (
                <p className="text-sm text-slate-600">Credit notes cancel out every buyer&apos;s invoices in this period.</p>
              ) : (
                <CustomerSpendByBuyer rows={data.spendByBuyer} />
              )}
            </Card>
            <Card title="Spend by category">
              {data.spendByCategory.length === 0 ? (
                <p className="text-sm text-slate-600">Credit notes cancel out every category&apos;s invoices in this period.</p>
              ) : (
                <CustomerSpendByCategory rows={data.spendByCategory} />
              )}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
