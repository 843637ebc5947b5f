import "server-only";
import { count, eq, gte, sql } from "drizzle-orm";
import { auditEvents, companies, users } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

export type DashboardCounts = {
  activeUsers: number;
  companies: number;
  activeCompanies: number;
  auditEvents24h: number;
  deniedAttempts24h: number;
};

/** Staff only (admin.access): platform-wide counts for the dashboard cards. */
export async function getDashboardCounts(db: DbOrTx, now: Date = new Date()): Promise<DashboardCounts> {
  const since = new Date(now.getTime() - 24 * 60 * 60 * 1000);
  const [userRow] = await db.select({ n: count() }).from(users).where(eq(users.active, true));
  const [companyRow] = await db
    .select({ n: count(), active: sql<number>`count(*) filter (where ${companies.active})`.mapWith(Number) })
    .from(companies);
  // One pass over the last day's rows (audit_events_occurred_at_idx) for both audit figures.
  const [auditRow] = await db
    .select({ n: count(), denied: sql<number>`count(*) filter (where ${auditEvents.outcome} = 'denied')`.mapWith(Number) })
    .from(auditEvents)
    .where(gte(auditEvents.occurredAt, since));
  return {
    activeUsers: userRow?.n ?? 0,
    companies: companyRow?.n ?? 0,
    activeCompanies: companyRow?.active ?? 0,
    auditEvents24h: auditRow?.n ?? 0,
    deniedAttempts24h: auditRow?.denied ?? 0,
  };
}
