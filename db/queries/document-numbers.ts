import "server-only";
import { sql } from "drizzle-orm";
import { documentSequences } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/**
 * Takes the next value of a gap-free series: the sequence row stays locked until the transaction
 * ends, so concurrent issuers queue, and a rollback returns the value.
 */
export async function takeNextSequenceValue(tx: DbOrTx, kind: string, year: number): Promise<number> {
  const [row] = await tx
    .insert(documentSequences)
    .values({ kind, year, lastValue: 1 })
    .onConflictDoUpdate({ target: [documentSequences.kind, documentSequences.year], set: { lastValue: sql`${documentSequences.lastValue} + 1` } })
    .returning({ value: documentSequences.lastValue });
  return row!.value;
}
