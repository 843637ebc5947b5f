import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import type { AuditCanonicalRow } from "@/lib/domain/audit-chain";

// Reads for verifying the audit hash chain (migration 0014). Anchors are read and written through
// SECURITY DEFINER functions, so a role that may only SELECT and INSERT audit_events can verify too.

export type ChainAnchor = { chainSeq: string; hash: string; anchoredAt: string };
export type ChainRow = AuditCanonicalRow & { prev_hash: string; hash: string };

/** How many chains the trigger spreads rows over (chain ids 0 .. n-1). */
export async function chainCount(tx: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(tx, sql`select audit_chain_count() as n`);
  return Number(row!.n);
}

/** The anchors recorded for one chain, by position. */
export async function chainAnchors(tx: DbOrTx, chainId: number): Promise<ChainAnchor[]> {
  const rows = await queryRows<{ chain_seq: string; hash: string; anchored_at: string }>(
    tx,
    sql`select chain_seq::text as chain_seq, encode(hash, 'hex') as hash,
          to_char(anchored_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as anchored_at
        from audit_chain_anchor_list(${chainId}::int)`,
  );
  return rows.map((r) => ({ chainSeq: String(r.chain_seq), hash: r.hash, anchoredAt: r.anchored_at }));
}

/**
 * The next `limit` rows after position (chainId, chainSeq), in chain order, each field in the exact
 * text form the trigger hashes (see lib/domain/audit-chain.ts). Keyset over the unique index on
 * (chain_id, chain_seq): each batch is one index range, however long the trail.
 */
export async function chainRowsAfter(tx: DbOrTx, after: { chainId: number; chainSeq: string }, limit: number): Promise<ChainRow[]> {
  return queryRows<ChainRow>(
    tx,
    sql`select id::text as id, chain_id::text as chain_id, chain_seq::text as chain_seq,
          to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as occurred_at,
          actor_type::text as actor_type, actor_id::text as actor_id, actor_role, action, entity_type, entity_id,
          company_id::text as company_id, diff::text as diff, request_id, ip, user_agent, outcome::text as outcome,
          encode(prev_hash, 'hex') as prev_hash, encode(hash, 'hex') as hash
        from audit_events e
        where (e.chain_id, e.chain_seq) > (${after.chainId}::smallint, ${after.chainSeq}::bigint)
        -- Qualified: a bare name would sort by the text output column of the same name.
        order by e.chain_id, e.chain_seq
        limit ${limit}`,
  );
}

/** Records anchors for verified chain heads; the database keeps only positions that exist with that hash. */
export async function recordChainAnchors(tx: DbOrTx, heads: { chainId: number; chainSeq: string; hash: string }[]): Promise<number> {
  const payload = JSON.stringify(heads.map((h) => ({ chain_id: h.chainId, chain_seq: h.chainSeq, hash: h.hash })));
  const [row] = await queryRows<{ n: number }>(tx, sql`select audit_chain_anchor(${payload}::text::jsonb) as n`);
  return Number(row?.n ?? 0);
}
