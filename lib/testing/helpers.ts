import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { beforeAll } from "vitest";
import { db, dbMode, queryRows } from "@/db/client";
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
