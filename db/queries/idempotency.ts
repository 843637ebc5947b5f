import "server-only";
import { sql } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";
import { insertAuditRowsSql } from "./audit";
import { insertOutboxEventsSql } from "./webhooks";

// Idempotency keys sit on every idempotent mutation's path: prepared statements, one round trip each.

const p = sql.placeholder;

/** Inserts the key row; an empty answer means another request holds (or completed) the key. */
export const claimIdempotencyKey = statement<{ key: string }, { scope: string; key: string; operation: string; fingerprint: string }>(
  "idempotency.claim",
  sql`insert into idempotency_keys (scope, key, operation, fingerprint) values (${p("scope")}, ${p("key")}, ${p("operation")}, ${p("fingerprint")})
      on conflict do nothing returning key`,
);

export const findIdempotencyKey = statement<{ operation: string; fingerprint: string; status: string; result: unknown }, { scope: string; key: string }>(
  "idempotency.find",
  sql`select operation, fingerprint, status, result from idempotency_keys where scope = ${p("scope")} and key = ${p("key")}`,
);

/**
 * Completes the key and writes the mutation's audit rows and outbox events (an empty array writes
 * none): one statement instead of several, at the end of the transaction where every statement
 * holds the row locks longer.
 */
export const completeIdempotencyKey = statement<never, { scope: string; key: string; result: string | null; completedAt: string; audit: string; events: string }>(
  "idempotency.complete",
  sql`with audit as (${insertAuditRowsSql(p("audit"))}), events as (${insertOutboxEventsSql(p("events"))})
      update idempotency_keys set status = 'completed', result = ${p("result")}::text::jsonb, completed_at = ${p("completedAt")}::text::timestamptz
      where scope = ${p("scope")} and key = ${p("key")}`,
);

/** How long this transaction waits for a row lock (a duplicate waiting on the key's first request). */
export async function setLockTimeout(tx: DbOrTx, ms: number): Promise<void> {
  await tx.execute(sql.raw(`SET LOCAL lock_timeout = '${Math.max(1, Math.floor(ms))}ms'`));
}

export async function resetLockTimeout(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`SET LOCAL lock_timeout TO DEFAULT`);
}
