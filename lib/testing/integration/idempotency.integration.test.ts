import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { createCompany } from "@/lib/services/companies";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { withIdempotency } from "@/lib/services/idempotency";

setupTestDatabase();

const companyInput = (name: string, terms = "30") => ({ name, paymentTermsDays: terms, creditLimit: "1000.00", currency: "EUR", timeZone: "Europe/Berlin" });
const count = async (query: ReturnType<typeof sql>) => (await rows<{ n: number }>(query))[0]!.n;

describe("idempotency keys", () => {
  it("runs an operation once when one key is replayed 20 times concurrently, and returns 20 identical results", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const key = "replay-20-concurrent";
    const results = await Promise.all(
      Array.from({ length: 20 }, () => runMutation(createCompany, { actor: admin, request: request(), idempotencyKey: key }, companyInput("Replay Twenty GmbH"))),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // Identical as values (jsonb may order keys differently from the first response object).
    for (const r of results) expect(r).toEqual(results[0]);
    expect(results[0]).toMatchObject({ ok: true, data: { name: "Replay Twenty GmbH", active: true } });
    expect(await count(sql`select count(*)::int as n from companies where name = 'Replay Twenty GmbH'`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from audit_events where action = 'company.create' and diff->'after'->>'name' = 'Replay Twenty GmbH'`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from idempotency_keys where key = ${key} and status = 'completed'`)).toBe(1);
  });

  it("refuses the same key with different input and writes nothing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const key = "reused-key-0001";
    const first = await runMutation(createCompany, { actor: admin, request: request(), idempotencyKey: key }, companyInput("First Input AG"));
    expect(first.ok).toBe(true);
    const companiesBefore = await count(sql`select count(*)::int as n from companies`);
    const auditBefore = await count(sql`select count(*)::int as n from audit_events`);

    const second = await runMutation(createCompany, { actor: admin, request: request(), idempotencyKey: key }, companyInput("Other Input AG"));
    expect(second).toMatchObject({ ok: false, code: "idempotency_key_reused" });
    expect(await count(sql`select count(*)::int as n from companies`)).toBe(companiesBefore);
    expect(await count(sql`select count(*)::int as n from audit_events`)).toBe(auditBefore);
    expect(await count(sql`select count(*)::int as n from companies where name = 'Other Input AG'`)).toBe(0);
  });

  it("scopes keys by actor: another user's identical key is a separate operation", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const other = { ...admin, id: (await actorByEmail("sales@demo.test")).id };
    const key = "shared-key-between-actors";
    const a = await runMutation(createCompany, { actor: admin, request: request(), idempotencyKey: key }, companyInput("Scope A Ltd"));
    const b = await runMutation(createCompany, { actor: other, request: request(), idempotencyKey: key }, companyInput("Scope B Ltd"));
    expect(a.ok && b.ok).toBe(true);
  });

  it("tells a duplicate to retry later while the first is still running", async () => {
    if (!isPostgres()) return; // needs two connections
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const firstStarted = new Promise<void>((r) => (started = r));
    const first = db.transaction((tx) =>
      withIdempotency(tx, { scope: "test", key: "slow-op", operation: "slow", input: { a: 1 } }, async () => {
        started();
        await held;
        return { done: true };
      }),
    );
    await firstStarted;
    const duplicate = await db
      .transaction((tx) => withIdempotency(tx, { scope: "test", key: "slow-op", operation: "slow", input: { a: 1 }, waitMs: 200 }, async () => ({ done: "twice" })))
      .then(() => "ran", (e: { code?: string }) => e.code);
    expect(duplicate).toBe("idempotency_in_progress");
    release();
    expect(await first).toEqual({ data: { done: true }, replayed: false });
    const replay = await db.transaction((tx) => withIdempotency(tx, { scope: "test", key: "slow-op", operation: "slow", input: { a: 1 } }, async () => ({ done: "twice" })));
    expect(replay).toEqual({ data: { done: true }, replayed: true });
  });

  it("requires a key for an idempotent mutation", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(createCompany, { actor: admin, request: request() }, companyInput("No Key Ltd"));
    expect(result).toMatchObject({ ok: false, code: "validation_failed" });
  });
});
