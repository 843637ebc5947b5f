import "server-only";
import type { DbOrTx } from "@/db/client";
import { takeNextSequenceValue } from "@/db/queries/document-numbers";

export type DocumentKind = "Q" | "INV" | "CN" | "DN" | "RET";

/** Q-2026-000042: six digits at least, more once past 999999 (the quotation insert writes the same in SQL). */
export function formatDocumentNumber(kind: DocumentKind, year: number, value: number): string {
  return `${kind}-${year}-${String(value).padStart(6, "0")}`;
}

/**
 * The next number of a gap-free series (Q-2026-000001 …), taken inside the issuing transaction:
 * the sequence row stays locked until that transaction ends, so concurrent issuers queue, and a
 * rollback returns the number. (A PostgreSQL SEQUENCE would leave gaps on rollback.)
 */
export async function nextDocumentNumber(tx: DbOrTx, kind: DocumentKind, year: number): Promise<string> {
  return formatDocumentNumber(kind, year, await takeNextSequenceValue(tx, kind, year));
}
