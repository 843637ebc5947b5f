import "server-only";
import { sql, type SQL } from "drizzle-orm";
import type { LedgerFilter } from "@/db/queries/analytics/ledger";

// What is due today, read from the receivables rollup (receivable_balances, migration 0017): one row
// per open, uncredited invoice whose verified payments leave something outstanding, kept by triggers
// in the documents' own transactions. It is the ledger's outstandingAsOf(today) (payments are never
// dated after today: notAfterToday in lib/services/payments.ts) and companyOutstandingVerifiedSql, without summing every allocation ever made:
// at 100,000 orders the ageing buckets take ~5 ms from here against ~940 ms from outstandingAsOf
// (lib/bench/analytics-*.ts). Tested against the ledger in receivable-balances.integration.test.ts.

/** Relation: invoice_id, company_id, currency, due_date, outstanding_minor (> 0), as of today. */
export function openReceivables(filter: LedgerFilter = {}): SQL {
  const parts: SQL[] = [];
  if (filter.companyId) parts.push(sql`and r.company_id = ${filter.companyId}::uuid`);
  if (filter.currency) parts.push(sql`and r.currency = ${filter.currency}`);
  return sql`select r.invoice_id, r.company_id, r.currency::text as currency, r.due_date, r.outstanding_minor
    from receivable_balances r where true ${sql.join(parts, sql` `)}`;
}
