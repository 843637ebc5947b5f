// The API rate limiter's cost per request, in its own process (the app's db handle is per process).
// Times three paths through the app's own code, each `requests` times per client:
//   lookup   — the key by prefix and the constant-time check only (what /api/v1 would cost without limits);
//   limiter  — the one-statement GCRA upsert of the key's and the IP's buckets alone (consumeRequest);
//   withApiKey — both, as every /api/v1 request runs them.
// Clients: 1 (latency) and 16 on ONE key (every request queues on the same bucket row: the worst case);
// "limiter (own key)" gives each client its own key, to tell the row lock from the cost of a write.
import { performance } from "node:perf_hooks";

const { closeDb, db } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { seedDemoData } = await import("@/lib/services/seed");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { createStaffApiKey } = await import("@/lib/services/api-keys");
const { withApiKey } = await import("@/lib/api-v1/auth");
const { consumeRequest } = await import("@/lib/api-v1/rate-limit");
const { apiKeyByPrefix } = await import("@/db/queries/api-keys");
const { parseApiKey } = await import("@/lib/domain/api-keys");
const { createHash, randomUUID, timingSafeEqual } = await import("node:crypto");
const { sql } = await import("drizzle-orm");

await runMigrations();
await seedDemoData();
const [admin] = (await db.execute(sql`select id, email, name, role, company_id from users where email = 'admin@demo.test'`)) as unknown as {
  id: string;
  email: string;
  name: string;
  role: "admin";
}[];
const created = await runMutation(
  createStaffApiKey,
  { actor: { id: admin!.id, email: admin!.email, name: admin!.name, role: "admin", companyId: null }, request: newRequestContext(), idempotencyKey: null },
  // Limits far above what the bench sends: every request is allowed, so each pays the full upsert.
  { name: "bench", scopes: ["catalog:read"], role: "sales", lifetimeDays: "", rateLimitPerMinute: "100000", rateLimitBurst: "10000" },
);
if (!created.ok) throw new Error(created.error);
const key = created.data.key;
const parts = parseApiKey(key)!;

const ownKeys = Array.from({ length: 16 }, () => randomUUID());
const paths: Record<string, (client: number) => Promise<unknown>> = {
  lookup: async () => {
    const [row] = await apiKeyByPrefix(db, { prefix: parts.prefix, now: new Date().toISOString() });
    const given = createHash("sha256").update(parts.secret).digest();
    if (!row || !timingSafeEqual(Buffer.from(row.hash), given)) throw new Error("lookup failed");
  },
  limiter: (client) => consumeRequest({ key: { id: created.data.id, policy: { perMinute: 100_000, burst: 10_000 } }, ip: `198.51.100.${client + 1}` }),
  // The same upsert, each client on a key of its own: no two requests wait for the same bucket row.
  "limiter (own key)": (client) => consumeRequest({ key: { id: ownKeys[client]!, policy: { perMinute: 100_000, burst: 10_000 } }, ip: `198.51.100.${client + 1}` }),
  withApiKey: async (client) => {
    const r = await withApiKey(new Request("http://bench/api/v1/me", { headers: { authorization: `Bearer ${key}`, "x-forwarded-for": `198.51.100.${client + 1}` } }), "catalog:read");
    if (!r.ok) throw new Error(`refused: ${r.response.status} ${await r.response.text()}`);
  },
};

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const requests = Number(process.argv[2] ?? 2000);
const results: Record<string, { clients: number; p50: number; p95: number; perSecond: number }> = {};
for (const clients of [1, 16]) {
  for (const [name, fn] of Object.entries(paths)) {
    for (let i = 0; i < 100; i++) await fn(0); // warm: prepared statements, pool connections
    const times: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let i = 0; i < Math.ceil(requests / clients); i++) {
          const t = performance.now();
          await fn(c);
          times.push(performance.now() - t);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    results[`${name} ×${clients}`] = { clients, p50: quantile(times, 0.5), p95: quantile(times, 0.95), perSecond: times.length / seconds };
  }
}
await closeDb();
console.log(JSON.stringify(results));
