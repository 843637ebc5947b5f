import "server-only";
import { and, count, eq, gt, min, sql } from "drizzle-orm";
import { loginAttempts } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/** Serialises sign-in attempts on one account (until the transaction ends), so parallel guesses cannot slip past the limit. */
export async function lockLoginsOf(tx: DbOrTx, email: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"login:" + email}))`);
}

export async function lastSuccessfulLoginAt(tx: DbOrTx, email: string): Promise<Date | null> {
  const [row] = await tx
    .select({ at: sql<Date | null>`max(${loginAttempts.attemptedAt})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, true)));
  return row?.at ? new Date(row.at) : null;
}

/** Failed attempts by account (email) or by IP after `since`, and when the first of them was. */
export async function failedLoginsSince(tx: DbOrTx, by: "email" | "ip", value: string, since: Date): Promise<{ n: number; first: Date | null }> {
  const [row] = await tx
    .select({ n: count(), first: min(loginAttempts.attemptedAt) })
    .from(loginAttempts)
    .where(and(eq(loginAttempts[by], value), eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since)));
  return { n: row?.n ?? 0, first: row?.first ? new Date(row.first) : null };
}

export async function insertLoginAttempt(tx: DbOrTx, attempt: { email: string; ip: string; succeeded: boolean; attemptedAt: Date }): Promise<void> {
  await tx.insert(loginAttempts).values(attempt);
}
