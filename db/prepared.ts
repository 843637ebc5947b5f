import "server-only";
import { getTableColumns, sql, type InferSelectModel, type SQL, type Table } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { DbOrTx } from "@/db/client";

// Statements of the hot write paths (submit, accept, idempotency keys, audit rows), written as SQL:
// - rendered once, at module load; drizzle's builders render their SQL on every call (about 0.1 ms
//   of CPU per statement, profiled in the orders bench);
// - several writes can be one statement (data-modifying CTEs), and rows travel as one JSON
//   parameter, so the text is the same for any number of rows;
// - always run as named prepared statements (db/client.ts prepares drizzle's queries only up to
//   32 parameters): prepared once per connection, then one round trip each.
// Parameters are named placeholders, `sql.placeholder("orderId")`.

const dialect = new PgDialect();

export type Statement<Row, Params extends Record<string, unknown>> = (executor: DbOrTx, params: Params) => Promise<Row[]>;

export function statement<Row, Params extends Record<string, unknown>>(name: string, text: SQL): Statement<Row, Params> {
  const query = dialect.sqlToQuery(text);
  return async (executor, params) => {
    const result: unknown = await executor._.session.prepareQuery(query, undefined, name, false).execute(params);
    // postgres.js answers with the rows, PGlite with { rows }.
    return (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
  };
}

/**
 * A table's columns for a hand-written select list (`alias."column" as "prefixcolumn"`) and the
 * mapping of such a row back to the table's row type, with drizzle's own column decoders (Dates,
 * bigints, JSON), so a raw statement returns exactly what `select().from(table)` would.
 */
export function tableRow<T extends Table>(table: T, alias: string, prefix = "") {
  const columns = Object.entries(getTableColumns(table));
  return {
    list: sql.raw(columns.map(([, c]) => `${alias}."${c.name}" as "${prefix}${c.name}"`).join(", ")),
    map(row: Record<string, unknown>): InferSelectModel<T> {
      const out: Record<string, unknown> = {};
      for (const [key, column] of columns) {
        const value = row[prefix + column.name];
        out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
      }
      return out as InferSelectModel<T>;
    },
  };
}

/** Rows as one JSON text parameter (read with jsonb_to_recordset): one statement text for any count. */
export function jsonParam(rows: readonly Record<string, unknown>[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

/**
 * Independent statements of one transaction, sent together: postgres.js writes them back to back on
 * the transaction's connection (one round trip instead of one each) and the server still runs them
 * one after another, each with a snapshot taken when it starts, so a read sent behind a row lock
 * sees everything that committed before that lock was granted. Start each statement in the
 * argument list (not before), and only when nothing in it depends on an earlier one's answer.
 * If several fail, the first in argument order is thrown: the later ones then failed only because
 * the transaction was aborted.
 */
export async function together<T extends unknown[]>(...work: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(work);
  const failed = settled.find((s) => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as T;
}
