import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { db, queryRows, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { runMutation } from "@/lib/mutation";
import { claimIdempotencyKey, completeIdempotencyKey } from "@/db/queries/idempotency";
import { jsonParam } from "@/db/prepared";
import { auditRow, recordAuditMany } from "@/lib/services/audit";
import { anchorVerifiedHeads, verifyAuditChains } from "@/lib/services/audit-chain";
import { createUser } from "@/lib/services/users";
import { formatExternalAnchor, parseExternalAnchors } from "@/lib/domain/audit-chain";
import { env } from "@/lib/env";
import { pgErrorCode } from "@/lib/pg-error";
import { TEST_APP_ROLE } from "@/lib/testing/database-urls";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase, uniqueEmail, withOwner } from "@/lib/testing/helpers";

setupTestDatabase();

type Row = { id: string; chain_id: number; chain_seq: string };

// `db` is the app's least-privileged role (on PostgreSQL): everything the app does here, verification
// included, runs with its rights. Tampering runs as the owner, a superuser locally.

/** Runs statements as the owner with every ordinary trigger off: what an attacker with the owner's keys can do. */
async function tamper(...statements: ReturnType<typeof sql>[]) {
  await withOwner((owner) =>
    owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      for (const s of statements) await tx.execute(s);
    }),
  );
}

/** Puts deleted rows back exactly as they were (the chaining trigger, which fires even in replica mode, is lifted). */
async function restore(saved: Record<string, unknown>[]) {
  await withOwner((owner) =>
    owner.transaction(async (tx) => {
      await tx.execute(sql`alter table audit_events disable trigger audit_events_chain`);
      await tx.execute(sql`insert into audit_events select * from jsonb_populate_recordset(null::audit_events, ${JSON.stringify(saved)}::jsonb)`);
      await tx.execute(sql`alter table audit_events enable always trigger audit_events_chain`);
    }),
  );
}

/** A JSON aggregate read as the owner (postgres.js parses it, PGlite may hand back text). */
async function ownerJson<T>(query: ReturnType<typeof sql>): Promise<T> {
  const [row] = await withOwner((owner) => queryRows<{ saved: unknown }>(owner, query));
  return (typeof row!.saved === "string" ? JSON.parse(row!.saved) : row!.saved) as T;
}

const saveRows = (where: ReturnType<typeof sql>) =>
  ownerJson<Record<string, unknown>[]>(sql`select coalesce(jsonb_agg(to_jsonb(e) order by e.id), '[]') as saved from audit_events e where ${where}`);
const saveAnchors = () => ownerJson<unknown[]>(sql`select coalesce(jsonb_agg(to_jsonb(a)), '[]') as saved from audit_chain_anchors a`);

async function auditCount() {
  const [row] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events`);
  return row!.n;
}

/** A chain with at least `min` rows, and its rows in order. */
async function chainWith(min: number): Promise<Row[]> {
  const [c] = await rows<{ chain_id: number }>(sql`select chain_id from audit_events group by chain_id having count(*) >= ${min} order by chain_id limit 1`);
  expect(c).toBeDefined();
  return rows<Row>(sql`select e.id::text as id, e.chain_id, e.chain_seq::text as chain_seq from audit_events e where e.chain_id = ${c!.chain_id} order by e.chain_seq`);
}

describe("hash-chained audit trail", () => {
  it("chains rows written by the real services in parallel transactions, one chain per transaction, and verifies them", async () => {
    const admin = await actorByEmail("admin@demo.test");
    // Transactions that are open at the same time: each writes one row, waits until all have, then two more.
    const open = isPostgres() ? 8 : 1;
    let arrived = 0;
    let release: () => void = () => {};
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    const requests = Array.from({ length: open }, () => request());
    const concurrent = requests.map((req) =>
      db.transaction(async (tx) => {
        await recordAuditMany(tx, { actor: admin, request: req }, [{ action: "test.chain", entityType: "test", entityId: "first" }]);
        if (++arrived === open) release();
        await allArrived;
        await recordAuditMany(tx, { actor: admin, request: req }, [
          { action: "test.chain", entityType: "test", entityId: "second", after: { note: "ünïcode ✓ \"quoted\"", n: 1.5 } },
          { action: "test.chain", entityType: "test", entityId: null, reason: "third" },
        ]);
      }),
    );
    // And real mutations, in parallel with them and with each other.
    const mutations = Array.from({ length: 6 }, (_, i) =>
      runMutation(createUser, { actor: admin, request: request(), idempotencyKey: `chain-user-${i}-${uniqueEmail().split("@")[0]}` }, {
        email: uniqueEmail("chain"),
        name: `Chain ${i}`,
        role: "sales",
        password: "violet-harbour-93-kettle",
      }),
    );
    const results = await Promise.all([...concurrent, ...mutations]);
    expect(results.slice(open).every((r) => (r as { ok: boolean }).ok)).toBe(true);

    // Each open transaction appended its three rows to one chain, consecutively; no two shared a chain.
    const written = await rows<{ request_id: string; chains: number; chain_id: number; seqs: string }>(sql`
      select request_id, count(distinct chain_id)::int as chains, min(chain_id)::int as chain_id,
             string_agg((chain_seq - min_seq)::text, ',' order by id) as seqs
        from (select *, min(chain_seq) over (partition by request_id) as min_seq from audit_events) e
       where request_id in ${sql`(${sql.join(requests.map((r) => sql`${r.requestId}`), sql`, `)})`}
       group by request_id`);
    expect(written).toHaveLength(open);
    for (const w of written) expect({ chains: w.chains, seqs: w.seqs }).toEqual({ chains: 1, seqs: "0,1,2" });
    expect(new Set(written.map((w) => w.chain_id)).size).toBe(open);

    const result = await verifyAuditChains(db);
    expect(result.breaks).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.rows).toBe(await auditCount());
    expect(result.chains).toBe(64);
    const [used] = await rows<{ n: number }>(sql`select count(distinct chain_id)::int as n from audit_events`);
    expect(result.chainsUsed).toBe(used!.n);
  });

  it("chains the rows the idempotency completion inserts in a CTE, several per statement, in parallel", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const reqs = Array.from({ length: 4 }, () => request());
    await Promise.all(
      reqs.map((req, i) =>
        db.transaction(async (tx) => {
          const key = `chain-cte-${i}-${req.requestId}`;
          expect(await claimIdempotencyKey(tx, { scope: "test:chain", key, operation: "test.chain", fingerprint: "x" })).toHaveLength(1);
          const audit = [1, 2, 3].map((n) => auditRow({ actor: admin, request: req }, { action: "test.cte", entityType: "test", entityId: String(n) }));
          await completeIdempotencyKey(tx, { scope: "test:chain", key, result: null, completedAt: new Date().toISOString(), audit: jsonParam(audit), events: "[]" });
        }),
      ),
    );
    const written = await rows<{ request_id: string; chains: number; entities: string; span: number }>(sql`
      select request_id, count(distinct chain_id)::int as chains, string_agg(entity_id, ',' order by chain_seq) as entities,
             (max(chain_seq) - min(chain_seq))::int as span
        from audit_events where action = 'test.cte' group by request_id`);
    expect(written.map(({ chains, entities, span }) => ({ chains, entities, span }))).toEqual(Array(4).fill({ chains: 1, entities: "1,2,3", span: 2 }));
    expect((await verifyAuditChains(db)).ok).toBe(true);
  });

  it("reads the trail in batches: the result is the same with a batch of 3 rows", async () => {
    const small = await verifyAuditChains(db, { batchSize: 3 });
    expect({ ok: small.ok, rows: small.rows }).toEqual({ ok: true, rows: await auditCount() });
  });

  it("ignores what an insert says about the chain columns", async () => {
    await db.execute(sql`insert into audit_events (actor_type, action, entity_type, outcome, chain_id, chain_seq, prev_hash, hash)
      values ('system', 'test.forged', 'test', 'success', 63, 1, '\\x00'::bytea, '\\x00'::bytea)`);
    const [row] = await rows<{ seq_ok: boolean; hash_len: number }>(
      sql`select chain_seq = (select max(chain_seq) from audit_events x where x.chain_id = e.chain_id) as seq_ok, octet_length(hash) as hash_len
            from audit_events e where action = 'test.forged'`,
    );
    expect(row).toEqual({ seq_ok: true, hash_len: 32 });
    expect((await verifyAuditChains(db)).ok).toBe(true);
  });

  it("names exactly the row whose content was changed as superuser", async () => {
    const chain = await chainWith(3);
    const target = chain[1]!;
    const [original] = await rows<{ diff: unknown }>(sql`select diff from audit_events where id = ${target.id}`);
    await tamper(sql`update audit_events set diff = '{"after": {"amountMinor": "1"}}'::jsonb where id = ${target.id}`);

    const result = await verifyAuditChains(db);
    expect(result.ok).toBe(false);
    expect(result.breaks).toHaveLength(1);
    expect(result.breaks[0]).toMatchObject({ id: target.id, chainId: target.chain_id, chainSeq: target.chain_seq, problem: "content" });

    await tamper(sql`update audit_events set diff = ${original!.diff === null ? null : JSON.stringify(original!.diff)}::jsonb where id = ${target.id}`);
    expect((await verifyAuditChains(db)).ok).toBe(true);
  });

  it("names the row after one deleted from the middle of a chain", async () => {
    const chain = await chainWith(3);
    const [victim, next] = [chain[1]!, chain[2]!];
    const saved = await saveRows(sql`id = ${victim.id}`);
    await tamper(sql`delete from audit_events where id = ${victim.id}`);

    const result = await verifyAuditChains(db);
    expect(result.breaks).toHaveLength(1);
    expect(result.breaks[0]).toMatchObject({ id: next.id, chainId: next.chain_id, chainSeq: next.chain_seq, problem: "missing_rows" });
    expect(result.breaks[0]!.detail).toContain(`rows ${victim.chain_seq}–${victim.chain_seq}`);

    await restore(saved);
    expect((await verifyAuditChains(db)).ok).toBe(true);
  });

  it("names the first removed position when a chain's tail is cut after an anchor, and cannot see a cut before one", async () => {
    const chain = await chainWith(3);
    const last = chain.at(-1)!;
    const cutFrom = chain.at(-2)!;
    const tail = await saveRows(sql`chain_id = ${last.chain_id} and chain_seq >= ${cutFrom.chain_seq}`);

    // Without an anchor, a clean cut of the tail leaves a shorter chain that is consistent: undetectable.
    await tamper(sql`delete from audit_events where chain_id = ${last.chain_id} and chain_seq >= ${cutFrom.chain_seq}`);
    expect((await verifyAuditChains(db)).ok).toBe(true);
    await restore(tail);

    const verified = await verifyAuditChains(db);
    expect(verified.ok).toBe(true);
    expect(verified.heads).toContainEqual({ chainId: last.chain_id, chainSeq: last.chain_seq, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(await anchorVerifiedHeads(db, verified)).toBe(verified.heads.length);
    expect(await anchorVerifiedHeads(db, verified)).toBe(0); // already anchored

    await tamper(sql`delete from audit_events where chain_id = ${last.chain_id} and chain_seq >= ${cutFrom.chain_seq}`);
    const result = await verifyAuditChains(db);
    expect(result.breaks).toHaveLength(1);
    expect(result.breaks[0]).toMatchObject({ id: null, chainId: last.chain_id, chainSeq: cutFrom.chain_seq, problem: "truncated" });
    expect(result.anchorsChecked).toBeGreaterThanOrEqual(verified.heads.length);

    await restore(tail);
    expect((await verifyAuditChains(db)).ok).toBe(true);
  });

  it("detects a chain recomputed from a changed row onwards, when an anchor saw the original", async () => {
    const chain = await chainWith(2);
    const target = chain.at(-1)!;
    // The anchors of the previous test cover this chain's last row. Rewrite it and recompute its hash
    // with the database's own function, as an owner covering their tracks would.
    const [original] = await rows<{ action: string; hash: string }>(sql`select action, encode(hash, 'hex') as hash from audit_events where id = ${target.id}`);
    await tamper(sql`update audit_events e set action = 'test.rewritten',
      hash = sha256(e.prev_hash || audit_chain_content(e.id, e.chain_id, e.chain_seq, e.occurred_at, e.actor_type::text, e.actor_id, e.actor_role,
        'test.rewritten', e.entity_type, e.entity_id, e.company_id, e.diff, e.request_id, e.ip, e.user_agent, e.outcome::text))
      where id = ${target.id}`);
    const result = await verifyAuditChains(db);
    expect(result.breaks[0]).toMatchObject({ id: target.id, chainId: target.chain_id, chainSeq: target.chain_seq, problem: "anchor" });
    // The database's hash and the verifier's agree on the rewritten content: only the anchor tells.
    expect(result.breaks).toHaveLength(1);

    // An owner who also empties the anchors table is no longer caught by the database's anchors...
    const anchors = await saveAnchors();
    const [anchor] = await withOwner((owner) =>
      queryRows<{ chain_seq: string; hash: string }>(
        owner,
        sql`select chain_seq::text as chain_seq, encode(hash, 'hex') as hash from audit_chain_anchors where chain_id = ${target.chain_id} order by chain_seq desc limit 1`,
      ),
    );
    await tamper(sql`delete from audit_chain_anchors`);
    expect((await verifyAuditChains(db)).ok).toBe(true);
    // ...but is by a copy of the heads kept elsewhere (what audit:verify printed when it anchored).
    const kept = parseExternalAnchors(formatExternalAnchor({ chainId: target.chain_id, chainSeq: anchor!.chain_seq, hash: anchor!.hash }));
    const withCopy = await verifyAuditChains(db, { externalAnchors: kept });
    expect(withCopy.breaks).toHaveLength(1);
    expect(withCopy.breaks[0]).toMatchObject({ id: target.id, chainId: target.chain_id, chainSeq: target.chain_seq, problem: "anchor" });
    expect(withCopy.breaks[0]!.detail).toContain("the external anchor");
    await withOwner((owner) => owner.execute(sql`insert into audit_chain_anchors select * from jsonb_populate_recordset(null::audit_chain_anchors, ${JSON.stringify(anchors)}::jsonb)`));

    await tamper(sql`update audit_events set action = ${original!.action}, hash = decode(${original!.hash}, 'hex') where id = ${target.id}`);
    expect((await verifyAuditChains(db)).ok).toBe(true);
  });
});

describe("migration 0014 on a trail written before it", () => {
  it("backfills existing rows into chain 0 in id order, and the chain verifies", async () => {
    const folder = path.join(process.cwd(), "db", "migrations");
    const before = mkdtempSync(path.join(tmpdir(), "migrations-0013-"));
    cpSync(folder, before, { recursive: true });
    const journalPath = path.join(before, "meta", "_journal.json");
    const journal = JSON.parse(readFileSync(journalPath, "utf8")) as { entries: { tag: string }[] };
    const upTo = journal.entries.findIndex((e) => e.tag.startsWith("0014_"));
    journal.entries = journal.entries.slice(0, upTo);
    writeFileSync(journalPath, JSON.stringify(journal));

    let other: Db;
    let close: () => Promise<void>;
    let migrate: (migrationsFolder: string) => Promise<void>;
    let dropDatabase: (() => Promise<void>) | null = null;
    if (isPostgres()) {
      const url = new URL(env().DATABASE_OWNER_URL!);
      const name = `${url.pathname.slice(1)}_backfill`;
      const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database "${name}"`);
      url.pathname = `/${name}`;
      const client = postgres(url.toString(), { max: 2, onnotice: () => {} });
      const d = drizzlePostgres({ client, schema });
      other = d as unknown as Db;
      migrate = (migrationsFolder) => migratePostgres(d, { migrationsFolder });
      close = () => client.end();
      dropDatabase = async () => {
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      };
    } else {
      const client = new PGlite("memory://", { extensions: { pg_trgm } });
      const d = drizzlePglite({ client, schema });
      other = d as unknown as Db;
      migrate = (migrationsFolder) => migratePglite(d, { migrationsFolder });
      close = () => client.close();
    }
    try {
      await migrate(before);
      await other.execute(sql`insert into audit_events (occurred_at, actor_type, action, entity_type, entity_id, diff, ip, outcome)
        select timestamptz '2026-01-01 12:00:00.123456+01' + n * interval '1 second', 'system', 'legacy.event', 'test', n::text,
               case when n % 2 = 0 then jsonb_build_object('after', jsonb_build_object('n', n, 'name', 'Zoë')) end,
               case when n % 3 = 0 then '198.51.100.' || n end, 'success'
          from generate_series(1, 25) n`);
      await migrate(folder);
      const backfilled = await queryRows<{ id: string; chain_id: number; chain_seq: string }>(
        other,
        sql`select e.id::text as id, e.chain_id, e.chain_seq::text as chain_seq from audit_events e order by e.id`,
      );
      expect(backfilled).toEqual(Array.from({ length: 25 }, (_, i) => ({ id: String(i + 1), chain_id: 0, chain_seq: String(i + 1) })));

      // New rows chain on after the migration, wherever they land.
      await other.execute(sql`insert into audit_events (actor_type, action, entity_type, outcome) values ('system', 'new.event', 'test', 'success')`);
      const result = await verifyAuditChains(other);
      expect(result.breaks).toEqual([]);
      expect({ ok: result.ok, rows: result.rows }).toEqual({ ok: true, rows: 26 });

      // The backfilled hashes are real: changing a legacy row is caught at that row.
      await other.transaction(async (tx) => {
        await tx.execute(sql`alter table audit_events disable trigger audit_events_no_update_delete`);
        await tx.execute(sql`update audit_events set entity_id = 'changed' where id = 7`);
        await tx.execute(sql`alter table audit_events enable trigger audit_events_no_update_delete`);
      });
      const broken = await verifyAuditChains(other);
      expect(broken.breaks[0]).toMatchObject({ id: "7", chainId: 0, chainSeq: "7", problem: "content" });
    } finally {
      await close();
      await dropDatabase?.();
      rmSync(before, { recursive: true, force: true });
    }
  });
});

describe("npm run audit:verify", () => {
  it.runIf(isPostgres())("prints OK with counts and the heads, and exits 1 naming the first broken row when a kept head disagrees", async () => {
    const run = (...args: string[]) =>
      spawnSync("npx", ["tsx", "--conditions=react-server", "lib/cli/audit-verify.ts", ...args], { env: process.env, encoding: "utf8" });
    const ok = run("--no-anchor");
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(new RegExp(`^OK: audit trail verified: ${await auditCount()} rows in \\d+ of 64 chains, \\d+ anchors checked, \\d+ ms\\.$`, "m"));
    const heads = parseExternalAnchors(ok.stdout);
    expect(heads.length).toBeGreaterThan(0);

    // A copy of the heads kept elsewhere, one of them not what the database holds.
    const dir = mkdtempSync(path.join(tmpdir(), "audit-heads-"));
    const file = path.join(dir, "heads.txt");
    const [first, ...rest] = heads;
    writeFileSync(file, [formatExternalAnchor({ ...first!, hash: "ee".repeat(32) }), ...rest.map(formatExternalAnchor)].join("\n"));
    try {
      const broken = run("--no-anchor", "--anchors", file);
      expect(broken.status).toBe(1);
      const [row] = await rows<{ id: string }>(sql`select id::text as id from audit_events where chain_id = ${first!.chainId} and chain_seq = ${first!.chainSeq}`);
      expect(broken.stderr).toContain(`First broken: row id ${row!.id} (chain ${first!.chainId}, seq ${first!.chainSeq}): the hash differs from the external anchor`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("the chain needs no rights beyond INSERT and SELECT on audit_events", () => {
  it.runIf(isPostgres())("the app's role appends, verifies and anchors, but cannot read or write the chain's bookkeeping", async () => {
    const [who] = await rows<{ me: string; anchors: boolean; insert: boolean; update: boolean }>(sql`
      select current_user as me, has_table_privilege('audit_chain_anchors', 'select') as anchors,
             has_table_privilege('audit_events', 'insert') as insert, has_table_privilege('audit_events', 'update') as update`);
    expect(who).toEqual({ me: TEST_APP_ROLE, anchors: false, insert: true, update: false });
    const denied = await db.execute(sql`select count(*) from audit_chain_anchors`).then(
      () => null,
      (e: unknown) => pgErrorCode(e),
    );
    expect(denied).toBe("42501");
    // The earlier tests ran every append, verification and anchor through this same role.
    const result = await verifyAuditChains(db);
    expect(result.ok).toBe(true);
    expect(result.anchorsChecked).toBeGreaterThan(0);
  });
});
