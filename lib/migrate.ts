import "server-only";
import path from "node:path";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { db, dbMode } from "@/db/client";

const migrationsFolder = path.join(/* turbopackIgnore: true */ process.cwd(), "db", "migrations");

/** Applies the committed drizzle-kit migrations; the same bookkeeping table in both modes. */
export async function runMigrations(): Promise<void> {
  if (dbMode() === "postgres") {
    await migratePostgres(db as unknown as PostgresJsDatabase, { migrationsFolder });
  } else {
    await migratePglite(db as unknown as PgliteDatabase, { migrationsFolder });
  }
}
