// One audit viewer measurement at one size, in its own process (the app's db handle is per process).
// Bulk-loads N audit events into the database at DATABASE_URL (one INSERT … SELECT over
// generate_series), then times the viewer's pages through the app's own path (resolveAuditFilter +
// listAuditEvents, reference lookup included), one round at a time as run.ts asks.
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";

const size = Number(process.argv[2]);
const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { listAuditEvents } = await import("@/db/queries/audit");
const { resolveAuditFilter } = await import("@/lib/services/audit-viewer");
const { parseAuditQuery } = await import("@/lib/domain/audit-filter");

await runMigrations();

// 20 staff users act; their events, like everything else, are spread evenly over one year, in id
// order (occurred_at is a transaction's start and ids follow it, as the app writes them). Each entity
// has 10 events at any size, so a History page holds the same rows at 1k and 1M and any growth in
// time is the index, not the result.
await db.execute(sql`
  insert into users (email, name, password_hash, role)
  select 'bench' || i || '@bench.test', 'Bench ' || i, 'x', (array['sales','finance','admin'])[1 + i % 3]::user_role
  from generate_series(1, 20) i`);
const loadStart = performance.now();
await db.execute(sql`
  with u as (select array_agg(id order by email) as ids from users where email like '%@bench.test'),
  p as (select ${size}::int as n)
  insert into audit_events (occurred_at, actor_type, actor_id, actor_role, action, entity_type, entity_id, diff, request_id, ip, user_agent, outcome)
  select
    timestamptz '2025-01-01 00:00:00+00' + (g::float8 / p.n) * interval '365 days',
    case when g % 50 = 0 then 'system'::audit_actor_type else 'user'::audit_actor_type end,
    case when g % 50 = 0 then null else u.ids[1 + g % 20] end,
    case when g % 50 = 0 then null else 'sales' end,
    (array['order.submit','order.approve','quotation.issue','invoice.issue','payment.verify','product.update','user.login','price_list.update'])[1 + g % 8],
    (array['order','order','quotation','invoice','payment','product','user','price_list'])[1 + g % 8],
    md5('entity' || (g % greatest(p.n / 10, 1)))::uuid::text,
    jsonb_build_object('after', jsonb_build_object('n', g)),
    'req-' || g, '203.0.113.' || (g % 250), 'bench', 
    case when g % 97 = 0 then 'denied'::audit_outcome else 'success'::audit_outcome end
  from generate_series(1, (select n from p)) g, u, p`);
const loadMs = performance.now() - loadStart;
await db.execute(sql`vacuum analyze audit_events`);

const [bounds] = await queryRows<{ min: string; max: string }>(db, sql`select min(id)::text as min, max(id)::text as max from audit_events`);
const middle = (BigInt(bounds!.min) + BigInt(bounds!.max)) / 2n;
const tz = "Europe/Berlin";
// Entity 0 (g divisible by n/10 ... its 10 events spread over the year); the seventh bench user.
const [entity] = await queryRows<{ type: string; id: string }>(db, sql`select entity_type as type, entity_id as id from audit_events where entity_id = md5('entity0')::uuid::text limit 1`);

async function page(params: Record<string, string>) {
  const parsed = parseAuditQuery(params);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const { filter } = await resolveAuditFilter(db, parsed.query, tz);
  return listAuditEvents(db, filter, { before: parsed.query.before, after: parsed.query.after });
}

const operations: Record<string, () => Promise<{ rows: unknown[] }>> = {
  "first page (no filter)": () => page({}),
  "middle page (deep cursor)": () => page({ before: String(middle) }),
  "newer from the middle": () => page({ after: String(middle) }),
  "actor filter": () => page({ actor: "bench7@bench.test" }),
  "actor, deep cursor": () => page({ actor: "bench7@bench.test", before: String(middle) }),
  "entity history (10 events)": () => page({ entityType: entity!.type, entityId: entity!.id }),
  "date range (one month, mid-year)": () => page({ from: "2025-06-01", to: "2025-06-30" }),
  "action + date range": () => page({ action: "payment.verify", from: "2025-06-01", to: "2025-06-30" }),
  "denied only": () => page({ outcome: "denied" }),
  "entity type": () => page({ entityType: "invoice" }),
};

// Driven by lib/bench/run.ts over stdin/stdout: "ready" once loaded, then one line of timings per
// "round" (each operation once), so the 1k and 1M workers are measured in alternating rounds and
// the machine's changing load falls on both sizes alike.
const rows: Record<string, number> = {};
for (const run of Object.values(operations)) for (let i = 0; i < 3; i++) await run(); // warm-up: plans and buffers
console.log(JSON.stringify({ ready: true, size, loadMs }));
const { createInterface } = await import("node:readline");
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "round") break;
  const times: Record<string, number> = {};
  for (const [name, run] of Object.entries(operations)) {
    const t = performance.now();
    const r = await run();
    times[name] = performance.now() - t;
    rows[name] = r.rows.length;
  }
  console.log(JSON.stringify({ times, rows }));
}
await closeDb();
