// One analytics measurement at one size, in its own process (the app's db handle is per process).
// Loads N orders of history (lib/bench/analytics-data.ts) into the migrated database at
// DATABASE_URL, then, driven by lib/bench/run.ts over stdin/stdout like the audit worker, answers:
//   "round"   → one line of timings: each dashboard data function once, then each candidate figure;
//   "explain" → EXPLAIN (ANALYZE, BUFFERS) of every candidate figure on stderr, then a JSON line.
import { performance } from "node:perf_hooks";
import { drizzle } from "drizzle-orm/postgres-js";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";

const size = Number(process.argv[2]);
const { closeDb, db, queryRows } = await import("@/db/client");
const { env } = await import("@/lib/env");
const { runMigrations } = await import("@/lib/migrate");
const { benchClock, loadAnalyticsData } = await import("./analytics-data");
const { candidateFigures } = await import("./analytics-candidates");
const { dashboardFunctions } = await import("./analytics-dashboards");

await runMigrations();
// Temporary tables live on one connection: the load gets one of its own. With "reuse" (by hand, while
// tuning indexes) a database that already holds the data is measured as it is.
const [existing] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from orders`);
let load = { ms: 0, phases: {} as Record<string, number>, counts: {} as Record<string, number> };
if (!(process.argv[3] === "reuse" && existing!.n > 0)) {
  const loader = postgres(env().DATABASE_URL!, { max: 1, onnotice: () => {} });
  load = await loadAnalyticsData(drizzle({ client: loader }), size, benchClock);
  await loader.end();
}

// The large customer: the company with the most orders (company 0 of the generator, 500 a year at any size).
const [large] = await queryRows<{ id: string; orders: number }>(db, sql`select company_id as id, count(*)::int as orders from orders group by company_id order by count(*) desc, company_id limit 1`);
const figures = candidateFigures(benchClock, large!.id);
const dashboards = await dashboardFunctions(benchClock, large!.id);

const operations: Record<string, () => Promise<unknown>> = {};
for (const [name, run] of Object.entries(dashboards)) operations[`dashboard: ${name}`] = () => run(db);
for (const [name, f] of Object.entries(figures)) operations[`${f.dashboard}: ${name}`] = () => db.execute(f.query);

for (const run of Object.values(operations)) for (let i = 0; i < 3; i++) await run(); // warm-up: plans and buffers
console.log(JSON.stringify({ ready: true, size, load, largeCustomerOrders: large!.orders, dashboards: Object.keys(dashboards) }));

const { createInterface } = await import("node:readline");
for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === "round") {
    const times: Record<string, number> = {};
    for (const [name, run] of Object.entries(operations)) {
      const t = performance.now();
      await run();
      times[name] = performance.now() - t;
    }
    console.log(JSON.stringify({ times }));
  } else if (command === "explain") {
    for (const [name, f] of Object.entries(figures)) {
      const rows = await queryRows<{ "QUERY PLAN": string }>(db, sql`explain (analyze, buffers) ${f.query as SQL}`);
      // To stderr, which run.ts passes through (stdout carries the JSON lines).
      console.error(`--- ${f.dashboard}: ${name} (${size} orders)`);
      for (const r of rows) console.error(r["QUERY PLAN"]);
    }
    console.log(JSON.stringify({ explained: true }));
  } else break;
}
await closeDb();
