import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { db, dbMode, queryRows, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { env } from "@/lib/env";
import { QUEUES } from "@/lib/jobs/queue";
import { runMigrations } from "@/lib/migrate";
import { newRequestContext } from "@/lib/mutation";
import { seedDemoData } from "@/lib/services/seed";
import type { Actor } from "@/lib/domain/actor";

let ready: Promise<void> | undefined;

/**
 * Migrates (once per process) and seeds the demo data; call at the top of an integration file.
 * When the file ends, the webhook endpoints it registered are switched off and their queued
 * deliveries dropped: the files share one database and run one after another, and a later file's
 * worker would otherwise spend its time retrying this file's deliveries to receivers that are gone
 * (1,200 of them after the outbox test, in front of the later file's own).
 */
export function setupTestDatabase(): void {
  let startedAt: string | null = null;
  beforeAll(async () => {
    ready ??= (async () => {
      await runMigrations();
      await seedDemoData();
    })();
    await ready;
    startedAt = (await rows<{ now: string }>(sql`select now()::text as now`))[0]!.now;
  });
  afterAll(async () => {
    if (startedAt === null) return;
    await rows(sql`
      with mine as (select id from webhook_endpoints where created_at >= ${startedAt}::timestamptz),
      off as (
        update webhook_endpoints set enabled = false, disabled_at = coalesce(disabled_at, now()), disabled_reason = coalesce(disabled_reason, 'The test file that registered it has finished.')
        where id in (select id from mine) returning id
      )
      delete from pgboss.job where name = ${QUEUES.deliver} and state in ('created', 'retry') and data->>'endpointId' in (select id::text from mine)`);
  });
}

export const isPostgres = () => dbMode() === "postgres";

/**
 * Runs `fn` on a connection as the schema owner (a superuser locally), for the few tests that must
 * bypass the app role's rights on purpose (tampering as an attacker with owner access would). `db` is
 * the least-privileged app role. On PGlite there is one role, so `fn` gets `db`.
 */
export async function withOwner<T>(fn: (owner: Db) => Promise<T>): Promise<T> {
  const url = env().DATABASE_OWNER_URL;
  if (!url) return fn(db);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(drizzle({ client, schema }) as unknown as Db);
  } finally {
    await client.end({ timeout: 5 });
  }
}

export async function actorByEmail(email: string): Promise<Actor> {
  const [row] = await rows<{ id: string; email: string; name: string; role: Actor["role"]; company_id: string | null }>(
    sql`select id, email, name, role, company_id from users where lower(email) = ${email.toLowerCase()}`,
  );
  if (!row) throw new Error(`no user ${email}`);
  return { id: row.id, email: row.email, name: row.name, role: row.role, companyId: row.company_id };
}

/** Rows of a raw SQL query, whichever driver is behind db (postgres.js returns an array, PGlite {rows}). */
export function rows<T>(query: ReturnType<typeof sql>): Promise<T[]> {
  return queryRows<T>(db, query);
}

export const request = () => newRequestContext({ ip: "203.0.113.7", userAgent: "vitest" });
export const uniqueEmail = (prefix = "user") => `${prefix}-${randomUUID().slice(0, 8)}@example.test`;

/**
 * Polls `probe` until `ok` holds (every 200 ms), for work another process or a job worker does;
 * fails naming `what` and the last value after `timeoutMs` (an upper bound: it costs nothing when fast).
 */
export async function until<T>(what: string, probe: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs = 45_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A customer company buying in `currency` with one buyer (a fixture of the multi-currency tests). */
export async function buyerIn(currency: string, companyName: string, creditLimitMinor = 100000000n): Promise<Actor & { companyId: string }> {
  const suffix = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`${companyName} ${suffix}`}, ${currency}, ${creditLimitMinor.toString()}) returning id`);
  const email = uniqueEmail(`buyer-${currency.toLowerCase()}`);
  await rows(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, ${`${companyName} buyer`}, 'x', 'buyer', ${company!.id})`);
  return (await actorByEmail(email)) as Actor & { companyId: string };
}

/** Older data: an order's quotations and invoices without the exchange rate they used (documents are immutable, so as the owner with triggers off). */
export async function forgetRate(orderId: string): Promise<void> {
  await withOwner((owner) =>
    owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update invoices set fx_base = null, fx_quote = null, fx_rate = null, fx_rate_date = null, fx_source = null where order_id = ${orderId}`);
      await tx.execute(sql`update quotations set fx_base = null, fx_quote = null, fx_rate = null, fx_rate_date = null, fx_source = null where order_id = ${orderId}`);
      // The rollups converted the documents when they were written; data older than the rates was
      // converted (or not) by the migrations' rebuilds (0034, 0035), which this repeats.
      await tx.execute(sql`select sales_rollups_rebuild(), receivable_balances_rebuild(), converted_entries_rebuild()`);
    }),
  );
}
