import { createHash, randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { listApiKeys } from "@/db/queries/api-keys";
import { purgeFullBuckets } from "@/db/queries/rate-limit";
import { withApiKey } from "@/lib/api-v1/auth";
import { consumeRequest } from "@/lib/api-v1/rate-limit";
import type { Actor } from "@/lib/domain/actor";
import { parseApiKey } from "@/lib/domain/api-keys";
import { runMutation } from "@/lib/mutation";
import { createCompanyApiKey, createStaffApiKey, MAX_LIVE_KEYS, revokeApiKey, revokeCompanyApiKey, setApiKeyLimits } from "@/lib/services/api-keys";
import { verifyAuditChains } from "@/lib/services/audit-chain";
import { updateCartDetails } from "@/lib/services/orders/cart";
import { createUser, setUserActive } from "@/lib/services/users";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";

setupTestDatabase();

let counter = 0;
const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `api-keys-${counter++}-${randomUUID()}` });

async function companyKey(admin: Actor, input: Record<string, unknown> = {}) {
  const result = await runMutation(createCompanyApiKey, who(admin), { name: "ERP", scopes: ["catalog:read", "orders:read"], lifetimeDays: "90", ...input });
  if (!result.ok) throw new Error(`${result.code}: ${result.error}`);
  return result.data;
}

const get = (key: string | null, headers: Record<string, string> = {}) =>
  new Request("http://localhost/api/v1/me", { headers: { ...(key === null ? {} : { authorization: `Bearer ${key}` }), ...headers } });

async function problemOf(response: Response) {
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> };
}

/** A customer admin of a new company of their own (so limits and counts are this test's alone). */
async function newCustomerAdmin(): Promise<Actor> {
  const admin = await actorByEmail("admin@demo.test");
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency) values (${`Keys ${randomUUID()}`}, 'EUR') returning id`);
  const created = await runMutation(createUser, who(admin), { email: uniqueEmail("keys"), name: "Key Admin", role: "customer_admin", companyId: company!.id, password: "violet-harbour-93-kettle" });
  if (!created.ok) throw new Error(created.error);
  return actorByEmail(created.data.email);
}

describe("creating and listing keys", () => {
  it("a customer admin's key: shown once, stored as prefix + SHA-256 of the secret, acting as a buyer of the company, audited without the secret", async () => {
    const admin = await actorByEmail("approver@acme.test");
    const created = await companyKey(admin, { scopes: ["orders:read", "catalog:read", "orders:read"] });
    const parts = parseApiKey(created.key);
    expect(parts?.prefix).toBe(created.prefix);
    expect(created).toMatchObject({ role: "buyer", companyId: admin.companyId, createdBy: admin.id, scopes: ["catalog:read", "orders:read"], revokedAt: null, lastUsedAt: null });
    expect(created.expiresAt!.getTime() - created.createdAt.getTime()).toBe(90 * 86_400_000);
    const [row] = await rows<{ hash: string; scopes: string[] }>(sql`select encode(hash, 'hex') as hash, scopes from api_keys where id = ${created.id}`);
    expect(row!.hash).toBe(createHash("sha256").update(parts!.secret).digest("hex"));
    const [audit] = await rows<{ action: string; company_id: string; diff: Record<string, Record<string, unknown>>; actor_id: string }>(
      sql`select action, company_id, diff, actor_id from audit_events where entity_type = 'api_key' and entity_id = ${created.id}`,
    );
    expect(audit).toMatchObject({ action: "api_key.create", company_id: admin.companyId, actor_id: admin.id });
    expect(audit!.diff.after).toMatchObject({ name: "ERP", prefix: created.prefix, scopes: "catalog:read orders:read", role: "buyer" });
    expect(JSON.stringify(audit!.diff)).not.toContain(parts!.secret);
  });

  it("refuses a buyer, an empty scope list, an unknown scope and a staff role from a customer admin; an administrator makes a finance key with its own limits", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const refused = await runMutation(createCompanyApiKey, who(buyer), { name: "x", scopes: ["catalog:read"] });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    const admin = await actorByEmail("approver@acme.test");
    expect(await runMutation(createCompanyApiKey, who(admin), { name: "x", scopes: [] })).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { scopes: ["Choose at least one scope."] } });
    expect(await runMutation(createCompanyApiKey, who(admin), { name: "x", scopes: ["root"] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await runMutation(createCompanyApiKey, who(admin), { name: "", scopes: "catalog:read" })).toMatchObject({ ok: false, fieldErrors: { name: ["Name is required."] } });
    // The role field is not part of a customer key's input: it stays a buyer.
    const own = await companyKey(admin, { role: "admin" });
    expect(own.role).toBe("buyer");
    expect(await runMutation(createStaffApiKey, who(admin), { name: "x", scopes: ["catalog:read"], role: "admin" })).toMatchObject({ ok: false, code: "forbidden" });

    const staff = await actorByEmail("admin@demo.test");
    const made = await runMutation(createStaffApiKey, who(staff), { name: "Ledger sync", scopes: ["invoices:read", "payments:read"], role: "finance", lifetimeDays: "", rateLimitPerMinute: "120", rateLimitBurst: "10" });
    expect(made).toMatchObject({ ok: true, data: { role: "finance", companyId: null, expiresAt: null, rateLimitPerMinute: 120, rateLimitBurst: 10 } });
    expect(await runMutation(createStaffApiKey, who(staff), { name: "x", scopes: ["catalog:read"], role: "buyer" })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await runMutation(createStaffApiKey, who(staff), { name: "x", scopes: ["catalog:read"], role: "sales", rateLimitBurst: "0" })).toMatchObject({
      ok: false,
      fieldErrors: { rateLimitBurst: ["Burst: at least 1."] },
    });
  });

  it(`allows ${MAX_LIVE_KEYS} live keys per company; a revoked one frees a place`, async () => {
    const admin = await newCustomerAdmin();
    const keys = [];
    for (let i = 0; i < MAX_LIVE_KEYS; i++) keys.push(await companyKey(admin, { name: `k${i}` }));
    expect(await runMutation(createCompanyApiKey, who(admin), { name: "one too many", scopes: ["catalog:read"] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await runMutation(revokeCompanyApiKey, who(admin), { id: keys[0]!.id })).toMatchObject({ ok: true });
    expect((await companyKey(admin, { name: "after revoke" })).name).toBe("after revoke");
  });

  it("lists a company's keys to its admin, every key to an administrator, none to a buyer", async () => {
    const acmeAdmin = await actorByEmail("approver@acme.test");
    const other = await newCustomerAdmin();
    const mine = await companyKey(other, { name: "Other co" });
    const otherList = await listApiKeys(db, other);
    expect(otherList.map((k) => k.id)).toEqual([mine.id]);
    expect(otherList[0]).toMatchObject({ ownerEmail: other.email, companyName: expect.stringMatching(/^Keys /), revokedByName: null });
    expect(Object.keys(otherList[0]!)).not.toContain("hash");
    const acmeList = await listApiKeys(db, acmeAdmin);
    expect(acmeList.length).toBeGreaterThan(0);
    expect(acmeList.every((k) => k.companyId === acmeAdmin.companyId)).toBe(true);
    const all = await listApiKeys(db, await actorByEmail("admin@demo.test"));
    const [count] = await rows<{ n: number }>(sql`select count(*)::int as n from api_keys`);
    expect(all.length).toBe(Math.min(200, count!.n));
    expect(await listApiKeys(db, await actorByEmail("buyer@acme.test"))).toEqual([]);
    expect(await listApiKeys(db, await actorByEmail("finance@demo.test"))).toEqual([]);
  });

  it("a customer admin cannot revoke another company's key (not found, the attempt is audited); an administrator can; twice is a conflict", async () => {
    const acmeAdmin = await actorByEmail("approver@acme.test");
    const other = await newCustomerAdmin();
    const key = await companyKey(other);
    expect(await runMutation(revokeCompanyApiKey, who(acmeAdmin), { id: key.id })).toMatchObject({ ok: false, code: "not_found" });
    const [denied] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'api_key.revoke' and entity_id = ${key.id} and outcome = 'denied'`);
    expect(denied!.n).toBe(1);
    const staff = await actorByEmail("admin@demo.test");
    expect(await runMutation(revokeApiKey, who(staff), { id: key.id })).toMatchObject({ ok: true, data: { id: key.id } });
    expect(await runMutation(revokeApiKey, who(staff), { id: key.id })).toMatchObject({ ok: false, code: "conflict" });
    const [row] = await rows<{ revoked_by: string }>(sql`select revoked_by from api_keys where id = ${key.id}`);
    expect(row!.revoked_by).toBe(staff.id);
  });
});

describe("per-key limits", () => {
  it("an administrator sets a customer key's own limit (audited, used from the next request) and clears it back to the defaults; a customer admin cannot", async () => {
    const customerAdmin = await newCustomerAdmin();
    const key = await companyKey(customerAdmin);
    const staff = await actorByEmail("admin@demo.test");
    expect(await runMutation(setApiKeyLimits, who(customerAdmin), { id: key.id, rateLimitPerMinute: "100000", rateLimitBurst: "10000" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(setApiKeyLimits, who(staff), { id: key.id, rateLimitPerMinute: "6", rateLimitBurst: "2" })).toMatchObject({ ok: true, data: { rateLimitPerMinute: 6, rateLimitBurst: 2 } });
    const limited = await withApiKey(get(key.key), null);
    if (!limited.ok) throw new Error("refused");
    expect(limited.headers["ratelimit-policy"]).toBe('"key";q=2;w=20');
    const [audit] = await rows<{ diff: unknown }>(sql`select diff from audit_events where action = 'api_key.set_limits' and entity_id = ${key.id}`);
    expect(audit!.diff).toEqual({ before: { rateLimitPerMinute: null, rateLimitBurst: null }, after: { rateLimitPerMinute: 6, rateLimitBurst: 2 } });
    expect(await runMutation(setApiKeyLimits, who(staff), { id: key.id, rateLimitPerMinute: "", rateLimitBurst: "" })).toMatchObject({ ok: true });
    const back = await withApiKey(get(key.key), null);
    if (!back.ok) throw new Error("refused");
    expect(back.headers["ratelimit-policy"]).toBe('"key";q=60;w=6');
    expect(await runMutation(setApiKeyLimits, who(staff), { id: randomUUID(), rateLimitPerMinute: "1", rateLimitBurst: "" })).toMatchObject({ ok: false, code: "not_found" });
  });
});

describe("withApiKey", () => {
  it("answers a valid key with its owner acting as a buyer of the company, and the rate limit headers", async () => {
    const admin = await actorByEmail("approver@acme.test");
    const key = await companyKey(admin);
    const caller = await withApiKey(get(key.key), "catalog:read");
    if (!caller.ok) throw new Error(await caller.response.text());
    expect(caller.actor).toEqual({ id: admin.id, email: admin.email, name: admin.name, role: "buyer", companyId: admin.companyId, apiKeyId: key.id, apiKeyPrefix: key.prefix });
    expect(caller.key).toMatchObject({ id: key.id, scopes: ["catalog:read", "orders:read"], policy: { perMinute: 600, burst: 60 } });
    // No client IP in a bare Request (no trusted peer): the key's bucket only.
    expect(caller.headers).toEqual({ "ratelimit-policy": '"key";q=60;w=6', ratelimit: '"key";r=59;t=1' });
  });

  it("401 for a missing, malformed, unknown or wrong key; 403 for a missing scope; all problem+json with a stable code", async () => {
    const key = await companyKey(await actorByEmail("approver@acme.test"));
    const missing = await withApiKey(get(null), "catalog:read");
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    expect(missing.response.headers.get("www-authenticate")).toBe('Bearer realm="api"');
    expect(await problemOf(missing.response)).toEqual({
      status: 401,
      type: "application/problem+json; charset=utf-8",
      body: { type: "urn:orderly:problem:unauthenticated", title: "Authentication required", status: 401, detail: expect.any(String), code: "unauthenticated" },
    });
    const parts = parseApiKey(key.key)!;
    const wrongSecret = `ok_${parts.prefix}_${"A".repeat(43)}`;
    const unknownPrefix = `ok_${"Z".repeat(12)}_${parts.secret}`;
    for (const [text, header] of [
      ["basic", "Basic Zm9vOmJhcg=="],
      ["not a key", "Bearer sk_live_123"],
      ["wrong secret", `Bearer ${wrongSecret}`],
      ["unknown prefix", `Bearer ${unknownPrefix}`],
    ] as const) {
      const refused = await withApiKey(new Request("http://localhost/api/v1/me", { headers: { authorization: header } }), null);
      if (refused.ok) throw new Error(`${text} was accepted`);
      expect((await problemOf(refused.response)).body, text).toMatchObject({ status: 401, code: "invalid_api_key" });
      expect(refused.response.headers.get("www-authenticate")).toBe('Bearer realm="api", error="invalid_token"');
    }
    const scoped = await withApiKey(get(key.key), "orders:write");
    if (scoped.ok) throw new Error("scope not checked");
    expect((await problemOf(scoped.response)).body).toMatchObject({ status: 403, code: "insufficient_scope", requiredScope: "orders:write" });
    expect(scoped.response.headers.get("ratelimit")).toMatch(/^"key";r=\d+;t=\d+$/);
  });

  it("401 once the key is revoked, expired, or its owner deactivated", async () => {
    const admin = await newCustomerAdmin();
    const staff = await actorByEmail("admin@demo.test");
    const [a, b, c] = [await companyKey(admin), await companyKey(admin), await companyKey(admin)];
    for (const k of [a, b, c]) expect((await withApiKey(get(k.key), null)).ok).toBe(true);
    await runMutation(revokeCompanyApiKey, who(admin), { id: a.id });
    await rows(sql`update api_keys set created_at = now() - interval '2 days', expires_at = now() - interval '1 second' where id = ${b.id}`);
    const codeOf = async (k: { key: string }) => {
      const r = await withApiKey(get(k.key), null);
      return r.ok ? "ok" : ((await r.response.json()) as { code: string }).code;
    };
    expect([await codeOf(a), await codeOf(b), await codeOf(c)]).toEqual(["api_key_revoked", "api_key_expired", "ok"]);
    expect(await runMutation(setUserActive, who(staff), { id: admin.id, active: "false" })).toMatchObject({ ok: true });
    expect(await codeOf(c)).toBe("api_key_inactive");
  });

  it("moves last_used_at on first use, then at most once a minute", async () => {
    const key = await companyKey(await newCustomerAdmin());
    const lastUsed = async () => (await rows<{ t: string | null }>(sql`select last_used_at::text as t from api_keys where id = ${key.id}`))[0]!.t;
    expect(await lastUsed()).toBeNull();
    await withApiKey(get(key.key), null);
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await withApiKey(get(key.key), null);
    expect(await lastUsed()).toBe(first);
    await rows(sql`update api_keys set last_used_at = last_used_at - interval '61 seconds' where id = ${key.id}`);
    const backdated = await lastUsed();
    await withApiKey(get(key.key), null);
    expect(await lastUsed()).not.toBe(backdated);
  });

  it("a change made through a key is attributed to the key and its owner, and the audit chain still verifies", async () => {
    const admin = await newCustomerAdmin();
    const key = await companyKey(admin, { scopes: ["orders:write"] });
    const caller = await withApiKey(get(key.key), "orders:write");
    if (!caller.ok) throw new Error("refused");
    const done = await runMutation(updateCartDetails, { actor: caller.actor, request: caller.request }, { poNumber: "PO-KEY-1", notes: "" });
    expect(done.ok).toBe(true);
    const [row] = await rows<{ actor_id: string; actor_role: string; company_id: string; diff: { apiKey: unknown; after: unknown } }>(
      sql`select actor_id, actor_role, company_id, diff from audit_events where action = 'cart.update_details' and request_id = ${caller.request.requestId}`,
    );
    expect(row).toMatchObject({ actor_id: admin.id, actor_role: "buyer", company_id: admin.companyId });
    expect(row!.diff.apiKey).toEqual({ id: key.id, prefix: key.prefix });
    // A refused attempt through a key names it too.
    const refused = await runMutation(createCompanyApiKey, { actor: caller.actor, request: caller.request }, { name: "x", scopes: ["catalog:read"] });
    expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    const [denied] = await rows<{ diff: { apiKey: unknown } }>(sql`select diff from audit_events where outcome = 'denied' and request_id = ${caller.request.requestId}`);
    expect(denied!.diff.apiKey).toEqual({ id: key.id, prefix: key.prefix });
    const verification = await verifyAuditChains(db);
    expect(verification.breaks).toEqual([]);
  });
});

describe("GCRA in PostgreSQL, with a pinned clock", () => {
  const t0 = new Date("2026-12-04T10:00:00.000Z");
  const at = (ms: number) => new Date(t0.getTime() + ms);
  const policy = { perMinute: 60, burst: 3 }; // one a second, three at once

  async function spend(id: string, ms: number) {
    const d = await consumeRequest({ key: { id, policy }, ip: null, now: at(ms) });
    return `${d.allowed ? "ok" : `429 retry ${d.retryAfter}`} ${d.headers.ratelimit}`;
  }

  it("allows the burst at once, refuses the next, refills one per period; refused requests cost nothing", async () => {
    const id = randomUUID();
    expect([await spend(id, 0), await spend(id, 0), await spend(id, 0), await spend(id, 0), await spend(id, 10)]).toEqual([
      'ok "key";r=2;t=1',
      'ok "key";r=1;t=2',
      'ok "key";r=0;t=3',
      '429 retry 1 "key";r=0;t=3',
      '429 retry 1 "key";r=0;t=3',
    ]);
    // One period later exactly one more (the refused ones did not push the TAT).
    expect([await spend(id, 1000), await spend(id, 1000)]).toEqual(['ok "key";r=0;t=3', '429 retry 1 "key";r=0;t=3']);
    // 0.5 s after that: still refused, the next slot frees in 0.5 s (Retry-After rounds up to 1).
    expect(await spend(id, 1500)).toBe('429 retry 1 "key";r=0;t=3');
    // Idle for a minute: a full burst again, and never more than the burst.
    expect([await spend(id, 61_000), await spend(id, 61_000), await spend(id, 61_000), await spend(id, 61_000)]).toEqual([
      'ok "key";r=2;t=1',
      'ok "key";r=1;t=2',
      'ok "key";r=0;t=3',
      '429 retry 1 "key";r=0;t=3',
    ]);
    const [row] = await rows<{ tat: string; allowed: boolean }>(sql`select tat, allowed from rate_limit_buckets where bucket = ${`key:${id}`}`);
    expect(new Date(row!.tat).toISOString()).toBe(at(64_000).toISOString());
    expect(row!.allowed).toBe(false);
  });

  it("a slow rate: 6 per minute, burst 1, waits 10 s between requests and says so", async () => {
    const id = randomUUID();
    const slow = { perMinute: 6, burst: 1 };
    const d = async (ms: number) => {
      const r = await consumeRequest({ key: { id, policy: slow }, ip: null, now: at(ms) });
      return [r.allowed, r.retryAfter, r.headers["ratelimit-policy"]];
    };
    expect(await d(0)).toEqual([true, null, '"key";q=1;w=10']);
    expect(await d(2_500)).toEqual([false, 8, '"key";q=1;w=10']);
    expect(await d(9_999)).toEqual([false, 1, '"key";q=1;w=10']);
    expect(await d(10_000)).toEqual([true, null, '"key";q=1;w=10']);
  });

  it("a changed policy carries the used share of the burst over: a raised limit lets requests through at once", async () => {
    const id = randomUUID();
    const slow = { perMinute: 6, burst: 2 }; // 10 s apart, capacity 20 s
    const fast = { perMinute: 60, burst: 10 }; // 1 s apart, capacity 10 s
    const spendWith = async (p: typeof policy, ms: number) => {
      const d = await consumeRequest({ key: { id, policy: p }, ip: null, now: at(ms) });
      return `${d.allowed ? "ok" : `429 retry ${d.retryAfter}`} ${d.headers.ratelimit}`;
    };
    expect([await spendWith(slow, 0), await spendWith(slow, 0), await spendWith(slow, 0)]).toEqual(['ok "key";r=1;t=10', 'ok "key";r=0;t=20', '429 retry 10 "key";r=0;t=20']);
    // The whole slow burst used (20 s of 20) is the whole fast burst used (10 s of 10): refused, one second to wait.
    expect(await spendWith(fast, 0)).toBe('429 retry 1 "key";r=0;t=10');
    // Two slow requests, then 10 s later: half the slow capacity in use → half the fast one (5 s ahead): allowed, 4 more at once.
    const id2 = randomUUID();
    await consumeRequest({ key: { id: id2, policy: slow }, ip: null, now: at(0) });
    await consumeRequest({ key: { id: id2, policy: slow }, ip: null, now: at(0) });
    const d = await consumeRequest({ key: { id: id2, policy: fast }, ip: null, now: at(10_000) });
    expect([d.allowed, d.headers.ratelimit]).toEqual([true, '"key";r=4;t=6']);
  });

  it("npm run jobs deletes the buckets that have refilled (the same as no row), and keeps the others", async () => {
    const [full, busy] = [randomUUID(), randomUUID()];
    const far = new Date("2099-01-01T00:00:00Z");
    await consumeRequest({ key: { id: full, policy }, ip: null, now: new Date("2000-01-01T00:00:00Z") });
    await consumeRequest({ key: { id: busy, policy }, ip: null, now: far });
    await purgeFullBuckets(db, new Date("2050-01-01T00:00:00Z"));
    const left = await rows<{ bucket: string }>(sql`select bucket from rate_limit_buckets where bucket in (${`key:${full}`}, ${`key:${busy}`})`);
    expect(left.map((r) => r.bucket)).toEqual([`key:${busy}`]);
  });

  it("counts the client IP's bucket beside the key's, in the same statement; the stricter one refuses", async () => {
    const id = randomUUID();
    const ip = `192.0.2.${1 + (Date.now() % 250)}`;
    await rows(sql`delete from rate_limit_buckets where bucket = ${`ip:${ip}`}`);
    // The IP's default policy: 1200 a minute (50 ms apart), burst 120; the key's: burst 3.
    const first = await consumeRequest({ key: { id, policy }, ip, now: t0 });
    expect(first.headers).toEqual({ "ratelimit-policy": '"key";q=3;w=3, "ip";q=120;w=6', ratelimit: '"key";r=2;t=1, "ip";r=119;t=1' });
    // Another key from the same IP uses up the IP's burst.
    const other = randomUUID();
    let allowed = 0;
    for (let i = 0; i < 130; i++) if ((await consumeRequest({ key: { id: other, policy: { perMinute: 100_000, burst: 10_000 } }, ip, now: t0 })).allowed) allowed++;
    expect(allowed).toBe(119);
    const refused = await consumeRequest({ key: { id, policy }, ip, now: t0 });
    expect(refused).toMatchObject({ allowed: false, retryAfter: 1 });
    // The buckets decide independently in the one upsert: the key's allowed this request (and spent one) though the IP's refused it.
    expect(refused.headers.ratelimit).toBe('"key";r=1;t=2, "ip";r=0;t=6');
  });
});

describe("GET /api/v1/catalog/products and /api/v1/me", async () => {
  const { GET: products } = await import("@/app/api/v1/catalog/products/route");
  const { GET: me } = await import("@/app/api/v1/me/route");
  const { createProduct } = await import("@/lib/services/products");
  const { receiveStock } = await import("@/lib/services/inventory");
  const { createPriceList, setPriceListAssignment, upsertPriceListEntry } = await import("@/lib/services/price-lists");

  const ok = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
    if (!r.ok) throw new Error(r.error);
    return r.data;
  };
  const call = async (handler: (r: Request) => Promise<Response>, key: string, query = "") => {
    const res = await handler(new Request(`http://localhost/api/v1/x${query}`, { headers: { authorization: `Bearer ${key}` } }));
    return { status: res.status, type: res.headers.get("content-type"), limit: res.headers.get("ratelimit"), body: (await res.json()) as Record<string, unknown> & { data: Record<string, unknown>[]; nextCursor: string | null } };
  };

  async function world() {
    const staff = await actorByEmail("admin@demo.test");
    const customerAdmin = await newCustomerAdmin();
    const tag = randomUUID().slice(0, 8).toUpperCase();
    const category = `API ${tag}`;
    const ids: string[] = [];
    for (const [i, price] of ["10.00", "20.00", "30.00"].entries()) {
      const p = ok(await runMutation(createProduct, who(staff), { sku: `API-${tag}-${i + 1}`, name: `Api product ${i + 1}`, category, basePrice: price, taxRate: "19" }));
      ids.push(p.id);
    }
    ok(await runMutation(receiveStock, who(staff), { productId: ids[0], quantity: "500", reason: "" }));
    const list = ok(await runMutation(createPriceList, who(staff), { name: `Api list ${tag}`, currency: "EUR", validFrom: "2020-01-01", validTo: "" }));
    ok(await runMutation(upsertPriceListEntry, who(staff), { priceListId: list.id, sku: `API-${tag}-2`, unitPrice: "15.00", tiers: "" }));
    ok(await runMutation(setPriceListAssignment, who(staff), { priceListId: list.id, companyId: customerAdmin.companyId, assigned: "true" }));
    const customerKey = (await companyKey(customerAdmin, { scopes: ["catalog:read"] })).key;
    const staffKey = ok(await runMutation(createStaffApiKey, who(staff), { name: "Staff reader", scopes: ["catalog:read"], role: "sales" })).key;
    return { tag, category, list, customerAdmin, customerKey, staffKey };
  }

  it("pages a customer's catalogue with its contract prices and live availability, by cursor", async () => {
    const w = await world();
    const first = await call(products, w.customerKey, `?category=${encodeURIComponent(w.category)}&sort=sku&limit=2`);
    expect(first.status).toBe(200);
    expect(first.limit).toBe('"key";r=59;t=1');
    expect(first.body.data.map((p) => [p.sku, p.price, p.availability])).toEqual([
      [`API-${w.tag}-1`, { amount: "10.00", amountMinor: "1000", currency: "EUR", rule: "base", priceList: null }, { status: "in_stock", available: 500 }],
      [`API-${w.tag}-2`, { amount: "15.00", amountMinor: "1500", currency: "EUR", rule: "contract", priceList: w.list.name }, { status: "out", available: 0 }],
    ]);
    expect(first.body).toMatchObject({ priceList: w.list.name, fuzzy: false, capped: false, nextCursor: expect.any(String) });
    const second = await call(products, w.customerKey, `?category=${encodeURIComponent(w.category)}&sort=sku&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data.map((p) => [p.sku, (p.price as { amount: string }).amount])).toEqual([[`API-${w.tag}-3`, "30.00"]]);
    expect(second.body.nextCursor).toBeNull();
    // The same cursor with another page size is refused, not mixed.
    const mixed = await call(products, w.customerKey, `?category=${encodeURIComponent(w.category)}&sort=sku&limit=3&cursor=${first.body.nextCursor}`);
    expect([mixed.status, mixed.type, mixed.body.code]).toEqual([400, "application/problem+json; charset=utf-8", "validation_failed"]);
    // Search finds by SKU prefix.
    const search = await call(products, w.customerKey, `?q=${encodeURIComponent(`API-${w.tag}-3`)}`);
    expect(search.body.data.map((p) => p.sku)).toEqual([`API-${w.tag}-3`]);
  });

  it("a staff key sees list prices, or a company's with ?company", async () => {
    const w = await world();
    const q = `?category=${encodeURIComponent(w.category)}&sort=price_desc`;
    const list = await call(products, w.staffKey, q);
    expect(list.body.data.map((p) => (p.price as { amount: string }).amount)).toEqual(["30.00", "20.00", "10.00"]);
    const priced = await call(products, w.staffKey, `${q}&company=${w.customerAdmin.companyId}`);
    expect(priced.body.data.map((p) => (p.price as { amount: string }).amount)).toEqual(["30.00", "15.00", "10.00"]);
    const unknown = await call(products, w.staffKey, `${q}&company=${randomUUID()}`);
    expect([unknown.status, unknown.body.code]).toEqual([400, "validation_failed"]);
  });

  it("answers bad queries with 400 problems, never 500", async () => {
    const w = await world();
    for (const query of ["?limit=0", "?limit=101", "?limit=abc", "?sort=cheapest", "?inStock=maybe", "?foo=1", "?q=a&q=b", "?q=%00bolt", "?cursor=!!", `?company=${w.customerAdmin.companyId}`, `?q=${"x".repeat(201)}`]) {
      const r = await call(products, w.customerKey, query);
      expect([r.status, r.type, r.body.code], query).toEqual([400, "application/problem+json; charset=utf-8", "validation_failed"]);
    }
  });

  it("needs catalog:read; /me answers any valid key with who it acts as", async () => {
    const admin = await newCustomerAdmin();
    const key = await companyKey(admin, { name: "Orders only", scopes: ["orders:read"] });
    const refused = await call(products, key.key);
    expect([refused.status, refused.body.code]).toEqual([403, "insufficient_scope"]);
    const who = await call(me, key.key);
    expect(who.status).toBe(200);
    expect(who.body).toEqual({
      key: { id: key.id, name: "Orders only", prefix: key.prefix, scopes: ["orders:read"], expiresAt: key.expiresAt!.toISOString() },
      actsAs: { userId: admin.id, name: admin.name, email: admin.email, role: "buyer", company: { id: admin.companyId, name: expect.stringMatching(/^Keys /), currency: "EUR", shipToAddresses: [] } },
      rateLimits: { key: { perMinute: 600, burst: 60 }, ip: { perMinute: 1200, burst: 120 } },
    });
  });
});
