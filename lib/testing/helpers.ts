import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { beforeAll } from "vitest";
import { db, dbMode, queryRows, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { env } from "@/lib/env";
import { runMigrations } from "@/lib/migrate";
import { newRequestContext } from "@/lib/mutation";
import { seedDemoData } from "@/lib/services/seed";
import type { Actor } from "@/lib/domain/actor";

let ready: Promise<void> | undefined;

/** Migrates (once per process) and seeds the demo data; call at the top of an integration file. */
export function setupTestDatabase(): void {
  beforeAll(async () => {
    ready ??= (async () => {
      await runMigrations();
      await seedDemoData();
    })();
    await ready;
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
