import "server-only";
import { cache } from "react";
import { db } from "@/db/client";
import { getCompany } from "@/db/queries/companies";
import type { Actor } from "@/lib/domain/actor";
import { dateIn, viewerTimeZone } from "@/lib/domain/dates";
import type { AnalyticsClock } from "@/lib/domain/periods";
import { env } from "@/lib/env";

// The rule itself (customers their company's zone, staff the seller's) is viewerTimeZone in
// lib/domain/dates.ts; this reads what it needs. Cached per request: a page and its components
// ask once.
const zoneFor = cache(async (role: Actor["role"], companyId: string | null): Promise<string> => {
  const company = companyId ? await getCompany(db, companyId) : null;
  return viewerTimeZone({ role }, { company: company?.timeZone, seller: env().SELLER_TIME_ZONE });
});

/** The time zone the signed-in viewer reads times in. */
export function getViewerTimeZone(actor: Actor): Promise<string> {
  return zoneFor(actor.role, actor.companyId);
}

/** The seller's zone: staff pages and the seller's own calendar ("today" for payments). */
function sellerTimeZone(): string {
  return env().SELLER_TIME_ZONE;
}

/**
 * The date (yyyy-mm-dd) on the seller's calendar, today unless `now` says otherwise: document numbers
 * and issue dates, "today" for payments and ageing, defaults of staff date fields, export file names.
 */
export function sellerToday(now: Date = new Date()): string {
  return dateIn(sellerTimeZone(), now);
}

/** The clock dashboards and reports read figures at: the seller's today, now, and the seller's zone. */
export function sellerClock(now: Date = new Date()): AnalyticsClock {
  return { today: sellerToday(now), now, timeZone: sellerTimeZone() };
}
