import "server-only";
import { sql } from "drizzle-orm";
import { documentSequences } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

export type DocumentKind = "Q" | "INV" | "CN";

/**
 * The next number of a gap-free series (Q-2026-000001 …), taken inside the issuing transaction:
 * the sequence row stays locked until that transaction ends, so concurrent issuers queue, and a
 * rollback returns the number. (A PostgreSQL SEQUENCE would leave gaps on rollback.)
 */
export async function nextDocumentNumber(tx: DbOrTx, kind: DocumentKind, year: number): Promise<string> {
  const [row] = await tx
    .insert(documentSequences)
    .values({ kind, year, lastValue: 1 })
    .onConflictDoUpdate({ target: [documentSequences.kind, documentSequences.year], set: { lastValue: sql`${documentSequences.lastValue} + 1` } })
    .returning({ value: documentSequences.lastValue });
  return `${kind}-${year}-${String(row!.value).padStart(6, "0")}`;
}
