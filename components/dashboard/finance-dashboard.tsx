import { FinanceDashboardView } from "@/components/dashboard/finance-dashboard-view";
import { financeConvertedTotals } from "@/db/queries/analytics/converted";
import { financeDashboardData } from "@/db/queries/analytics/finance";
import type { AnalyticsClock } from "@/db/queries/analytics/ledger";
import { db } from "@/db/client";
import { can } from "@/lib/domain/permissions";
import { env } from "@/lib/env";
import { requireActor } from "@/lib/session";

/** The staff dashboard's Finance section (finance and admin): reads financeDashboardData at the clock and renders it. */
export async function FinanceDashboard({ clock }: { clock: AnalyticsClock }) {
  // The page composes sections by role; this one reads payments and receivables itself, so it checks too.
  const actor = await requireActor();
  if (!can(actor.role, "payments.manage") || !can(actor.role, "receivables.read")) return null;
  const [data, converted] = await Promise.all([financeDashboardData(db, clock), financeConvertedTotals(db, clock, env().DEFAULT_CURRENCY)]);
  return <FinanceDashboardView data={data} clock={clock} converted={converted} />;
}
