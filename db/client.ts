import "server-only";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import type { ExtractTablesWithRelations, SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { env } from "@/lib/env";

export type Schema = typeof schema;
/** The database or a transaction: query functions take this first, so services can compose them. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Db | Tx;

type Handle = { db: Db; mode: "postgres" | "pglite"; close: () => Promise<void>; pglite?: PGlite };

// One handle per process (kept on globalThis so dev-mode reloads don't open a second PGlite
// on the same folder, which would lose writes: PGlite has no lock between instances).
const globalForDb = globalThis as unknown as { __dbHandle?: Handle };

/**
 * drizzle runs every unnamed query with `prepare: false`, and postgres.js then spends an extra round
 * trip asking the server for the parameter types before each one (18 round trips instead of 8 for a
 * recorded payment, measured by the payments bench). Fixed-shape statements are prepared instead,
 * once per connection. Statements with many parameters (bulk inserts, long IN lists) vary in shape
 * and stay unprepared, so a connection does not collect one prepared statement per row count;
 * connections are also recycled (postgres.js max_lifetime, 30–60 min), which bounds the rest.
 */
const PREPARE_MAX_PARAMS = 32;

function preparing(sql: postgres.Sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === "unsafe") {
        return (query: string, params?: unknown[], options?: postgres.UnsafeQueryOptions) =>
          target.unsafe(query, params as postgres.ParameterOrJSON<never>[], { ...options, prepare: options?.prepare || (params?.length ?? 0) <= PREPARE_MAX_PARAMS });
      }
      if (prop === "begin" || prop === "savepoint") {
        const original = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => {
          const fn = args.at(-1) as (inner: postgres.Sql) => unknown;
          return original.apply(target, [...args.slice(0, -1), (inner: postgres.Sql) => fn(preparing(inner))]);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

function open(): Handle {
  const e = env();
  if (e.DATABASE_URL) {
    const client = postgres(e.DATABASE_URL, {
      max: e.DATABASE_POOL_SIZE,
      onnotice: () => {},
      // A request waiting longer than this for a row lock fails fast (and may be retried) instead of
      // queueing without end; the idempotency key wait relies on it as well.
      // JIT off: the app's statements are short, and PostgreSQL's cost-based JIT compiled some
      // analytics statements for longer than they ran (the sales dashboard's ranking across
      // currencies at 100,000 orders: 13.8 s of JIT optimisation and emission for a 1.2 s query).
      connection: { lock_timeout: e.DATABASE_LOCK_TIMEOUT_MS, jit: "off" },
      // bigint columns arrive as strings; drizzle's bigint mode turns them into BigInt.
    });
    return {
      db: drizzlePostgres({ client: preparing(client), schema }) as unknown as Db,
      mode: "postgres",
      close: () => client.end({ timeout: 5 }),
    };
  }
  const dir = e.pgliteDir;
  if (!dir.startsWith("memory://")) mkdirSync(dir, { recursive: true });
  const client = new PGlite(dir, { extensions: { pg_trgm } });
  return {
    db: drizzlePglite({ client, schema }) as unknown as Db,
    mode: "pglite",
    close: () => client.close(),
    pglite: client,
  };
}

function handle(): Handle {
  globalForDb.__dbHandle ??= open();
  return globalForDb.__dbHandle;
}

/** The process-wide database (PostgreSQL when DATABASE_URL is set, else embedded PGlite). */
export const db: Db = new Proxy({} as Db, {
  get(_target, prop) {
    const real = handle().db as unknown as Record<PropertyKey, unknown>;
    const value = real[prop];
    return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(real) : value;
  },
});

/** Rows of a raw SQL statement on either driver (postgres.js returns an array, PGlite `{ rows }`). */
export async function queryRows<T>(executor: DbOrTx, query: SQL): Promise<T[]> {
  const result: unknown = await executor.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** The embedded database itself (the job queue drives it through pg-boss's PGlite adapter); null on PostgreSQL. */
export function pgliteClient(): PGlite | null {
  return handle().pglite ?? null;
}

export function dbMode(): Handle["mode"] {
  return handle().mode;
}

export async function closeDb(): Promise<void> {
  const h = globalForDb.__dbHandle;
  globalForDb.__dbHandle = undefined;
  if (h) await h.close();
}
