import { createHash } from "node:crypto";

// The audit trail's hash chain (migration 0014). The database computes every hash in a BEFORE INSERT
// trigger; verification recomputes them here, from the rows' text forms, so it does not trust the
// database's own functions. The two definitions must agree (the integration tests check they do).
//
// Canonical content, version 1: the UTF-8 bytes of "audit-v1", then each field below, in this order,
// as its UTF-8 byte length in decimal, ":", and its bytes; a NULL field is "-". A length starts with a
// digit, so no field content (and no NULL) can pass for a different split of the fields.
// hash = SHA-256(prev_hash || content); a chain's first row has 32 zero bytes as prev_hash.

export const AUDIT_CANONICAL_TAG = "audit-v1";
export const AUDIT_GENESIS_HASH = "0".repeat(64);

/** The hashed fields in their canonical order, each in the text form the SQL of the trigger uses. */
export const AUDIT_CANONICAL_FIELDS = [
  "id", // bigint, decimal
  "chain_id",
  "chain_seq",
  "occurred_at", // UTC with microseconds: 2026-12-04T01:02:03.000456Z
  "actor_type",
  "actor_id", // uuid, lower case
  "actor_role",
  "action",
  "entity_type",
  "entity_id",
  "company_id",
  "diff", // jsonb's text form (keys ordered by jsonb, ", " and ": " separators)
  "request_id",
  "ip",
  "user_agent",
  "outcome",
] as const;

export type AuditCanonicalRow = Record<(typeof AUDIT_CANONICAL_FIELDS)[number], string | null>;

/** The canonical bytes of one row (see the header comment). */
export function canonicalAuditContent(row: AuditCanonicalRow): Buffer {
  const parts: Buffer[] = [Buffer.from(AUDIT_CANONICAL_TAG, "utf8")];
  for (const name of AUDIT_CANONICAL_FIELDS) {
    const value = row[name];
    if (value === null) {
      parts.push(Buffer.from("-", "utf8"));
    } else {
      const bytes = Buffer.from(value, "utf8");
      parts.push(Buffer.from(`${bytes.length}:`, "utf8"), bytes);
    }
  }
  return Buffer.concat(parts);
}

/** SHA-256(prev_hash || canonical content), as lower-case hex; prevHashHex is 64 hex digits. */
export function auditRowHash(prevHashHex: string, row: AuditCanonicalRow): string {
  return createHash("sha256").update(Buffer.from(prevHashHex, "hex")).update(canonicalAuditContent(row)).digest("hex");
}

/** The first row (or position) where a chain stops verifying. */
export type AuditChainBreak = {
  chainId: number;
  chainSeq: string;
  /** The row's id; null when the row is missing (a truncated tail). */
  id: string | null;
  problem: "content" | "prev_hash" | "missing_rows" | "anchor" | "truncated" | "unknown_chain";
  detail: string;
};

export function describeAuditChainBreak(b: AuditChainBreak): string {
  return `${b.id === null ? "missing row" : `row id ${b.id}`} (chain ${b.chainId}, seq ${b.chainSeq}): ${b.detail}`;
}

/** A chain head kept outside the database, as `npm run audit:verify` prints it. */
export type ExternalAnchor = { chainId: number; chainSeq: string; hash: string };

export function formatExternalAnchor(a: ExternalAnchor): string {
  return `head chain=${a.chainId} seq=${a.chainSeq} hash=${a.hash}`;
}

/** The `head chain=… seq=… hash=…` lines of a text (audit:verify's output kept somewhere); other lines are ignored. */
export function parseExternalAnchors(text: string): ExternalAnchor[] {
  return [...text.matchAll(/^head chain=(\d+) seq=(\d+) hash=([0-9a-f]{64})$/gm)].map((m) => ({ chainId: Number(m[1]), chainSeq: m[2]!, hash: m[3]! }));
}
