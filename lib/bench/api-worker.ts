// Order submit + accept over HTTP with 32 concurrent clients, in one production build (server.mjs
// after `next build`): the app's API (POST /api/v1/orders with an API key and an Idempotency-Key,
// then POST /api/v1/orders/{id}/accept {quotationVersion: 1}), once answering whole orders (the
// default) and once with `Prefer: return=minimal` (receipts, like the baseline's answers), against a
// bare route handler doing the same writes with raw SQL (lib/bench/api-raw.ts, served with
// BENCH_ROUTES=1). All sides run in the same server process, in alternating rounds that never
// overlap. Prints one JSON line.
// argv: clients, measured duration in ms per side, port.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import { Pool } from "undici";

const clients = Number(process.argv[2] ?? 32);
const durationMs = Number(process.argv[3] ?? 8000);
const port = Number(process.argv[4] ?? 3290);
const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { seedDemoData } = await import("@/lib/services/seed");
const { insertUser } = await import("@/lib/services/users");
const { createCompanyApiKey } = await import("@/lib/services/api-keys");
const { inventory, products } = await import("@/db/schema");

await runMigrations();
await seedDemoData();

// Each client: a company of its own (the acceptance locks the company row for its credit check) with
// a customer admin, the key's owner, and three products of its own: the write path is measured, not
// one hot row. Both sides use the same buyers and products; they never run at the same time.
type Client = { index: number; userId: string; companyId: string; key: string; lines: { productId: string; quantity: number }[] };
const stocked = await db.select({ id: products.id, multiple: products.orderMultiple, min: products.minOrderQuantity }).from(products).innerJoin(inventory, eq(inventory.productId, products.id)).orderBy(products.sku).limit(clients * 3);
if (stocked.length < clients * 3) throw new Error(`the seed has ${stocked.length} stocked products, ${clients * 3} needed`);
await db.execute(sql`update inventory set on_hand = 100000000`);
const quantity = (p: (typeof stocked)[number]) => Math.ceil(Math.max(p.min, p.multiple * 2) / p.multiple) * p.multiple;
const benchClients: Client[] = [];
for (let i = 0; i < clients; i++) {
  const [company] = await queryRows<{ id: string; currency: string }>(db, sql`insert into companies (name, currency, credit_limit_minor) values (${`Bench API ${i} ${randomUUID().slice(0, 6)}`}, 'EUR', 1000000000000) returning id, currency`);
  const user = await db.transaction((tx) =>
    insertUser(tx, { email: `bench-api-${i}-${randomUUID().slice(0, 6)}@bench.test`, name: `Bench API ${i}`, role: "customer_admin", companyId: company!.id, password: "bench-password-long-enough" }),
  );
  const actor = { id: user.id, email: user.email, name: user.name, role: user.role, companyId: company!.id };
  const created = await runMutation(createCompanyApiKey, { actor, request: newRequestContext(), idempotencyKey: null }, { name: "bench", scopes: ["orders:read", "orders:write"], lifetimeDays: "" });
  if (!created.ok) throw new Error(`key: ${JSON.stringify(created)}`);
  benchClients.push({ index: i, userId: user.id, companyId: company!.id, key: created.data.key, lines: stocked.slice(i * 3, i * 3 + 3).map((p) => ({ productId: p.id, quantity: quantity(p) })) });
}

// BENCH_LOG_STATEMENTS=1: PostgreSQL logs every statement of this database with its duration (its
// server log, lines tagged with the database's name), to see which of the app's statements cost more
// than the baseline's; set before the server connects, so every connection has it.
// BENCH_LOG_STATEMENTS=plan: also the planner's CPU time per statement (log_planner_stats: user and
// system seconds, so load on the machine does not inflate it as it does durations).
if (process.env.BENCH_LOG_STATEMENTS === "1" || process.env.BENCH_LOG_STATEMENTS === "plan") {
  await db.execute(sql`do $$ begin execute format('alter database %I set log_min_duration_statement = 0', current_database()); end $$`);
  if (process.env.BENCH_LOG_STATEMENTS === "plan") await db.execute(sql`do $$ begin execute format('alter database %I set log_planner_stats = on', current_database()); end $$`);
  const [name] = await queryRows<{ name: string }>(db, sql`select current_database() as name`);
  console.error(`statement log on for database ${name!.name}`);
}

// BENCH_PLAN_CACHE_MODE=force_generic_plan|force_custom_plan|auto: this database's plan_cache_mode (an experiment knob).
if (process.env.BENCH_PLAN_CACHE_MODE) {
  const mode = process.env.BENCH_PLAN_CACHE_MODE;
  if (!["auto", "force_generic_plan", "force_custom_plan"].includes(mode)) throw new Error(`BENCH_PLAN_CACHE_MODE: ${mode}?`);
  await db.execute(sql.raw(`do $$ begin execute format('alter database %I set plan_cache_mode = ${mode}', current_database()); end $$`));
}

// The production server, with the bench routes on and limits far above what the bench sends (every
// request pays the limiter's full upsert but none is refused). No in-process job worker: the outbox
// rows both sides write wait for a relay, so neither side pays for deliveries during the rounds.
// BENCH_CPU_PROFILE=<dir>: the server writes a V8 CPU profile there when it exits (where the time goes).
const profileArgs = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
const server = spawn("node", [...profileArgs, "server.mjs"], {
  env: {
    ...process.env,
    PORT: String(port),
    NODE_ENV: "production",
    BENCH_ROUTES: "1",
    JOBS_IN_PROCESS: "false",
    API_RATE_LIMIT_PER_MINUTE: "100000",
    API_RATE_LIMIT_BURST: "10000",
    API_IP_RATE_LIMIT_PER_MINUTE: "1000000",
    API_IP_RATE_LIMIT_BURST: "100000",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const origin = `http://127.0.0.1:${port}`;
const pool = new Pool(origin, { connections: clients, keepAliveTimeout: 30_000 });
try {
  for (let i = 0; ; i++) {
    const up = await fetch(`${origin}/api/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 600 || server.exitCode !== null) throw new Error(`the server on port ${port} did not start (exit ${server.exitCode}); is there a production build (npx next build)?`);
    await new Promise((r) => setTimeout(r, 200));
  }

  async function post(path: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
    const res = await pool.request({ path, method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", "idempotency-key": randomUUID(), ...headers } });
    const text = await res.body.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: kept as text for the error message */
    }
    return { status: res.statusCode, body: parsed };
  }

  /** The created order's id in a 201 answer: `id` (the contract's Order), or `order.id`/`orderId`. */
  function orderIdOf(body: unknown): string {
    const b = body as { id?: string; orderId?: string; order?: { id?: string } };
    const id = b.id ?? b.order?.id ?? b.orderId;
    if (!id) throw new Error(`no order id in ${JSON.stringify(body).slice(0, 300)}`);
    return id;
  }

  const sides = {
    async app(c: Client) {
      const auth = { authorization: `Bearer ${c.key}` };
      const created = await post("/api/v1/orders", { lines: c.lines }, auth);
      if (created.status !== 201) throw new Error(`POST /api/v1/orders: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
      const accepted = await post(`/api/v1/orders/${orderIdOf(created.body)}/accept`, { quotationVersion: 1 }, auth);
      if (accepted.status !== 200) throw new Error(`POST /api/v1/orders/{id}/accept: ${accepted.status} ${JSON.stringify(accepted.body).slice(0, 300)}`);
      return orderIdOf(created.body);
    },
    // The same with `Prefer: return=minimal`: the answers are receipts built from what the
    // mutations returned, as the raw route's are (no read back of the whole order).
    async minimal(c: Client) {
      const auth = { authorization: `Bearer ${c.key}`, prefer: "return=minimal" };
      const created = await post("/api/v1/orders", { lines: c.lines }, auth);
      if (created.status !== 201) throw new Error(`POST /api/v1/orders (minimal): ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
      const accepted = await post(`/api/v1/orders/${orderIdOf(created.body)}/accept`, { quotationVersion: 1 }, auth);
      if (accepted.status !== 200) throw new Error(`POST /api/v1/orders/{id}/accept (minimal): ${accepted.status} ${JSON.stringify(accepted.body).slice(0, 300)}`);
      return orderIdOf(created.body);
    },
    async raw(c: Client) {
      const created = await post("/api/bench/orders", { buyerId: c.userId, companyId: c.companyId, lines: c.lines }, {});
      if (created.status !== 201) throw new Error(`POST /api/bench/orders: ${created.status} ${JSON.stringify(created.body).slice(0, 300)}`);
      const accepted = await post(`/api/bench/orders/${orderIdOf(created.body)}/accept`, { buyerId: c.userId, quotationVersion: 1 }, {});
      if (accepted.status !== 200) throw new Error(`POST /api/bench/orders/{id}/accept: ${accepted.status} ${JSON.stringify(accepted.body).slice(0, 300)}`);
      return orderIdOf(created.body);
    },
  };

  // Is the API's order creation on this branch? (It is written on another branch; before the merge only the baseline runs.)
  const probe = await post("/api/v1/orders", { lines: benchClients[0]!.lines }, { authorization: `Bearer ${benchClients[0]!.key}` });
  const appAvailable = probe.status !== 404 && probe.status !== 405;
  // BENCH_API_ONLY=app|minimal|raw: run one side only (with BENCH_CPU_PROFILE: one side's profile; no ratio then).
  type SideName = keyof typeof sides;
  const only = process.env.BENCH_API_ONLY;
  const sideNames: SideName[] = only === "app" || only === "raw" || only === "minimal" ? [only] : appAvailable ? ["app", "minimal", "raw"] : ["raw"];

  // CPU time (ms) of the server process and of this database's PostgreSQL backends, from /proc
  // (Linux; null elsewhere): what an operation costs the machine, which on a machine loaded by
  // others predicts throughput better than a wall-clock rate does.
  const { readFileSync } = await import("node:fs");
  const ticks = (pid: number): number => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
    } catch {
      return 0;
    }
  };
  async function cpuNow(): Promise<{ server: number; db: Map<number, number> } | null> {
    if (!server.pid || process.platform !== "linux") return null;
    const backends = await queryRows<{ pid: number }>(db, sql`select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
    return { server: ticks(server.pid), db: new Map(backends.map((b) => [b.pid, ticks(b.pid)])) };
  }
  function cpuSince(before: Awaited<ReturnType<typeof cpuNow>>, after: Awaited<ReturnType<typeof cpuNow>>) {
    if (!before || !after) return null;
    let dbMs = 0;
    for (const [pid, t] of after.db) dbMs += t - (before.db.get(pid) ?? 0);
    return { serverMs: after.server - before.server, dbMs };
  }

  type Round = { latencies: number[]; ms: number; lastOrder: string; cpu: { serverMs: number; dbMs: number } | null };
  async function round(side: SideName, ms: number): Promise<Round> {
    const latencies: number[] = [];
    let lastOrder = "";
    const cpuBefore = await cpuNow();
    const started = performance.now();
    const end = started + ms;
    await Promise.all(
      benchClients.map(async (c) => {
        while (performance.now() < end) {
          const t = performance.now();
          lastOrder = await sides[side](c);
          latencies.push(performance.now() - t);
        }
      }),
    );
    const elapsed = performance.now() - started;
    return { latencies, ms: elapsed, lastOrder, cpu: cpuSince(cpuBefore, await cpuNow()) };
  }
  const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  function summary(rounds: Round[]) {
    const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
    const seconds = rounds.reduce((s, r) => s + r.ms, 0) / 1000;
    const cpu = rounds.every((r) => r.cpu) ? rounds.reduce((c, r) => ({ serverMs: c.serverMs + r.cpu!.serverMs, dbMs: c.dbMs + r.cpu!.dbMs }), { serverMs: 0, dbMs: 0 }) : null;
    return {
      ops: latencies.length,
      opsPerSec: latencies.length / seconds,
      p50: pct(latencies, 50),
      p99: pct(latencies, 99),
      cpuMsPerOp: cpu ? { server: cpu.serverMs / latencies.length, db: cpu.dbMs / latencies.length } : null,
    };
  }

  // Warm both (JIT, route compilation caches, pools, prepared statements); then app, raw, raw, app, twice.
  for (const s of sideNames) await round(s, 1500);
  const rounds: Record<SideName, Round[]> = { app: [], minimal: [], raw: [] };
  // Each side runs durationMs in all, in four slices: forward, backward, forward, backward (app,
  // minimal, raw, raw, minimal, app …), so a drift of the machine's load falls on every side alike.
  const cycles = 4;
  const slice = durationMs / cycles;
  for (let i = 0; i < cycles; i++) {
    const order = i % 2 === 0 ? sideNames : [...sideNames].reverse();
    for (const s of order) rounds[s].push(await round(s, slice));
  }

  // The rows one submit + accept wrote on each side, counted from the database: the comparison is
  // only honest if these match.
  async function rowsOf(orderId: string) {
    const [r] = await queryRows<Record<string, number>>(
      db,
      sql`select
        (select count(*)::int from quotations where order_id = ${orderId}) as quotations,
        (select count(*)::int from quotation_lines ql join quotations q on q.id = ql.quotation_id where q.order_id = ${orderId}) as quotation_lines,
        (select count(*)::int from order_events where order_id = ${orderId}) as order_events,
        (select count(*)::int from audit_events where entity_id::text = ${orderId}::text or entity_id::text in (select id::text from quotations where order_id = ${orderId})) as audit_events,
        (select count(*)::int from outbox_events where payload->>'orderId' = ${orderId}::text) as outbox_events,
        (select count(*)::int from stock_movements where reference_type = 'order' and reference_id = ${orderId}::text) as stock_movements,
        (select count(*)::int from idempotency_keys where result->>'orderId' = ${orderId}::text) as idempotency_keys`,
    );
    return r;
  }
  const raw = summary(rounds.raw.length ? rounds.raw : rounds.app.length ? rounds.app : rounds.minimal);
  const app = appAvailable && rounds.app.length ? summary(rounds.app) : null;
  const minimal = appAvailable && rounds.minimal.length ? summary(rounds.minimal) : null;
  const [inv] = await queryRows<{ bad: number }>(db, sql`select count(*)::int as bad from inventory where on_hand < reserved`);
  console.log(
    JSON.stringify({
      clients,
      appAvailable,
      probe: appAvailable ? null : { status: probe.status, body: probe.body },
      app,
      raw,
      minimal,
      ratio: app ? app.opsPerSec / raw.opsPerSec : null,
      ratioMinimal: minimal ? minimal.opsPerSec / raw.opsPerSec : null,
      rows: {
        raw: rounds.raw.length ? await rowsOf(rounds.raw.at(-1)!.lastOrder) : {},
        app: app ? await rowsOf(rounds.app.at(-1)!.lastOrder) : null,
        minimal: minimal ? await rowsOf(rounds.minimal.at(-1)!.lastOrder) : null,
      },
      invariantViolations: inv?.bad ?? -1,
    }),
  );
} finally {
  await pool.close();
  server.kill("SIGTERM");
  await new Promise((r) => server.once("exit", r));
  await closeDb();
}
