import "server-only";
import path from "node:path";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { db, dbMode, pgliteClient } from "@/db/client";
import { prepareAppRole, roleOfUrl } from "@/db/roles";
import { env } from "@/lib/env";
import { installJobQueue } from "@/lib/jobs/queue";

const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

/**
 * Applies the committed drizzle-kit migrations (the same bookkeeping table in both modes), then
 * installs or upgrades the job queue's schema (pg-boss, schema "pgboss") and its queues.
 * With DATABASE_OWNER_URL they run as the owner role, which then creates the app role (DATABASE_URL's)
 * if missing and grants it exactly its rights (db/roles.ts). Otherwise they run on the app's own connection.
 */
export async function runMigrations(): Promise<void> {
  const e = env();
  if (e.DATABASE_URL && e.DATABASE_OWNER_URL) {
    const owner = postgres(e.DATABASE_OWNER_URL, { max: 1, onnotice: () => {} });
    try {
      await migratePostgres(drizzlePostgres({ client: owner }), { migrationsFolder });
      await owner`select sales_rollups_set_time_zone(${e.SELLER_TIME_ZONE}), sales_rollups_set_currency(${e.DEFAULT_CURRENCY})`;
      await installJobQueue({ connectionString: e.DATABASE_OWNER_URL, max: 1 });
      await prepareAppRole(owner, e.DATABASE_URL);
    } finally {
      await owner.end({ timeout: 5 });
    }
  } else if (dbMode() === "postgres") {
    await migratePostgres(db as unknown as PostgresJsDatabase, { migrationsFolder });
    await db.execute(sellerCalendarStatement());
    await installJobQueue({ connectionString: e.DATABASE_URL!, max: 1 });
  } else {
    await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
    await db.execute(sellerCalendarStatement());
    await installJobQueue({ pglite: pgliteClient()! });
  }
}

/**
 * The sales rollups date months on the seller's calendar inside the database (migration 0020) and
 * convert booked amounts into the seller's base currency (migration 0034): the migrate step hands it
 * SELLER_TIME_ZONE and DEFAULT_CURRENCY, and the rollups are rebuilt when either changed.
 */
function sellerCalendarStatement() {
  return sql`select sales_rollups_set_time_zone(${env().SELLER_TIME_ZONE}), sales_rollups_set_currency(${env().DEFAULT_CURRENCY})`;
}

/** One line for the CLIs: which roles the database is used with. */
export function databaseRolesSummary(): string {
  const e = env();
  if (!e.DATABASE_URL) return `embedded PGlite at ${e.pgliteDir}, one database role (separate owner and app roles need PostgreSQL)`;
  if (e.DATABASE_OWNER_URL) {
    return `PostgreSQL: migrations as ${roleOfUrl(e.DATABASE_OWNER_URL).name} (DATABASE_OWNER_URL), the app as ${roleOfUrl(e.DATABASE_URL).name} (DATABASE_URL, least privilege)`;
  }
  return "PostgreSQL (DATABASE_URL) with one role: DATABASE_OWNER_URL is not set, so the app connects as the schema owner and could rewrite the audit trail (README, Deploy)";
}
