import "server-only";
import type { Db } from "@/db/client";
import { chainAnchors, chainCount, chainRowsAfter, recordChainAnchors, type ChainAnchor } from "@/db/queries/audit-chain";
import { AUDIT_GENESIS_HASH, auditRowHash, type AuditChainBreak, type ExternalAnchor } from "@/lib/domain/audit-chain";

export type AuditVerification = {
  ok: boolean;
  /** Rows verified (every row of every chain up to its first break). */
  rows: number;
  chains: number;
  /** Chains holding at least one row. */
  chainsUsed: number;
  anchorsChecked: number;
  /** The first break of each broken chain, in chain order; the first one is the first broken row. */
  breaks: AuditChainBreak[];
  /** The verified chain heads (chain, last seq, last hash): what an anchor records. */
  heads: { chainId: number; chainSeq: string; hash: string }[];
  ms: number;
};

const MAX_SEQ = "9223372036854775807";

type Anchor = { seq: bigint; hash: string; source: string };


/**
 * Verifies every chain of the audit trail: sequence numbers from 1 without gaps, each row's prev_hash
 * equal to its predecessor's hash, each hash recomputed here from the row's content (not by the
 * database's functions), and every recorded anchor still present with its hash.
 * Reads in keyset batches inside one read-only repeatable-read transaction: a consistent snapshot,
 * memory bounded by the batch size whatever the trail's length.
 */
export async function verifyAuditChains(db: Db, options: { batchSize?: number; externalAnchors?: ExternalAnchor[] } = {}): Promise<AuditVerification> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 5000;
  return db.transaction(
    async (tx) => {
      const chains = await chainCount(tx);
      const breaks: AuditChainBreak[] = [];
      let rows = 0;
      let chainsUsed = 0;
      let anchorsChecked = 0;
      const verifiedHeads: AuditVerification["heads"] = [];

      // The chain being walked.
      let chain: { id: number; seq: bigint; hash: string; anchors: Anchor[]; next: number; broken: boolean } | null = null;
      const seen = new Set<number>();

      const finish = () => {
        if (!chain) return;
        const c = chain;
        chain = null;
        if (c.broken) return;
        // Anchors beyond the last row: the tail was cut after they were recorded.
        const pending = c.anchors.slice(c.next);
        if (pending.length > 0) {
          const a = pending[0]!;
          breaks.push({
            chainId: c.id,
            chainSeq: (c.seq + 1n).toString(),
            id: null,
            problem: "truncated",
            detail: `the chain ends at seq ${c.seq} but ${a.source} saw seq ${a.seq}: rows ${c.seq + 1n}–${a.seq} were removed`,
          });
          return;
        }
        if (c.seq > 0n) verifiedHeads.push({ chainId: c.id, chainSeq: c.seq.toString(), hash: c.hash });
      };

      const start = async (id: number) => {
        seen.add(id);
        const anchors: Anchor[] = [
          ...(await chainAnchors(tx, id)).map((a: ChainAnchor) => ({ seq: BigInt(a.chainSeq), hash: a.hash, source: `the anchor recorded at ${a.anchoredAt}` })),
          ...(options.externalAnchors ?? []).filter((a) => a.chainId === id).map((a) => ({ seq: BigInt(a.chainSeq), hash: a.hash, source: "the external anchor" })),
        ].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
        anchorsChecked += anchors.length;
        chain = { id, seq: 0n, hash: AUDIT_GENESIS_HASH, anchors, next: 0, broken: false };
      };

      let after = { chainId: -1, chainSeq: "0" };
      for (;;) {
        const batch = await chainRowsAfter(tx, after, batchSize);
        if (batch.length === 0) break;
        for (const row of batch) {
          const chainId = Number(row.chain_id);
          after = { chainId, chainSeq: row.chain_seq! };
          if (chain === null || (chain as { id: number }).id !== chainId) {
            finish();
            await start(chainId);
            chainsUsed++;
          }
          const c = chain!;
          if (c.broken) continue;
          const fail = (problem: AuditChainBreak["problem"], detail: string) => {
            breaks.push({ chainId, chainSeq: row.chain_seq!, id: row.id, problem, detail });
            c.broken = true;
            // Skip the rest of this chain: the next batch starts at the next chain.
            after = { chainId, chainSeq: MAX_SEQ };
          };
          const seq = BigInt(row.chain_seq!);
          if (chainId < 0 || chainId >= chains) fail("unknown_chain", `there is no chain ${chainId}: the row was not written by the chaining trigger`);
          else if (seq !== c.seq + 1n) fail("missing_rows", `expected seq ${c.seq + 1n} here: rows ${c.seq + 1n}–${seq - 1n} of this chain were removed`);
          else if (row.prev_hash !== c.hash) fail("prev_hash", `prev_hash ${row.prev_hash.slice(0, 16)}… is not the previous row's hash ${c.hash.slice(0, 16)}…`);
          else if (auditRowHash(row.prev_hash, row) !== row.hash) fail("content", "the row's content does not match its hash: it was changed after it was written");
          if (c.broken) break;
          // An anchor at this position must have seen this very hash.
          while (c.next < c.anchors.length && c.anchors[c.next]!.seq < seq) c.next++;
          while (c.next < c.anchors.length && c.anchors[c.next]!.seq === seq) {
            const a = c.anchors[c.next]!;
            if (a.hash !== row.hash) {
              fail("anchor", `the hash differs from ${a.source} for this position: the chain was rewritten from here or earlier`);
              break;
            }
            c.next++;
          }
          if (c.broken) break;
          c.seq = seq;
          c.hash = row.hash;
          rows++;
        }
      }
      finish();
      // Chains without a single row: no anchor may have seen one.
      for (let id = 0; id < chains; id++) {
        if (seen.has(id)) continue;
        await start(id);
        finish();
      }
      breaks.sort((a, b) => a.chainId - b.chainId);
      return {
        ok: breaks.length === 0,
        rows,
        chains,
        chainsUsed,
        anchorsChecked,
        breaks,
        heads: verifiedHeads,
        ms: performance.now() - started,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Records the heads a successful verification saw as anchors; returns how many were new. */
export async function anchorVerifiedHeads(db: Db, verification: AuditVerification): Promise<number> {
  if (!verification.ok || verification.heads.length === 0) return 0;
  return db.transaction((tx) => recordChainAnchors(tx, verification.heads));
}
