// The dashboard data functions the bench times, each called as its page calls it. A module that has
// not landed on this branch yet is left out (run.ts says which), so the bench runs on any branch.
import type { DbOrTx } from "@/db/client";
import type { AnalyticsClock } from "@/lib/domain/periods";

type Run = (db: DbOrTx) => Promise<unknown>;
type Fn = (...args: unknown[]) => Promise<unknown>;

/** The named export of a module, or null when the module or the export is not there. */
async function exported(module: string, name: string): Promise<Fn | null> {
  try {
    // A computed specifier: the type checker must not insist on modules other branches add.
    const m = (await import(/* turbopackIgnore: true */ `@/db/queries/analytics/${module}`)) as Record<string, unknown>;
    return typeof m[name] === "function" ? (m[name] as Fn) : null;
  } catch (e) {
    if ((e as { code?: string }).code === "ERR_MODULE_NOT_FOUND" || /Cannot find module/.test(String(e))) return null;
    throw e;
  }
}

export async function dashboardFunctions(clock: AnalyticsClock, largeCompanyId: string): Promise<Record<string, Run>> {
  const out: Record<string, Run> = {};
  const sales = await exported("sales", "salesDashboardData");
  const finance = await exported("finance", "financeDashboardData");
  const admin = await exported("stock", "adminDashboardData");
  const customer = await exported("customer", "customerDashboardData");
  // As the pages call them (components/dashboard): with the seller's currency, and the totals
  // converted at the documents' rates beside them (issue 15), so the bench times the whole page.
  const seller = "EUR";
  const bookedConverted = await exported("converted", "bookedConvertedTotals");
  const financeConverted = await exported("converted", "financeConvertedTotals");
  if (sales) out.sales = (db) => Promise.all([sales(db, clock, seller), bookedConverted ? bookedConverted(db, clock, seller) : null]);
  if (finance) out.finance = (db) => Promise.all([finance(db, clock), financeConverted ? financeConverted(db, clock, seller) : null]);
  if (admin) out.admin = (db) => admin(db, clock);
  if (customer) out.customer = (db) => customer(db, largeCompanyId, clock);
  return out;
}
