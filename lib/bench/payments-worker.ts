// Payment recording throughput: the app's own path (runMutation → recordManualPayment → db/client)
// against a baseline doing the same writes with raw postgres.js, both with N concurrent clients in
// this process, against the database at DATABASE_URL. Prints one JSON line.
// argv: clients, measured duration in ms per side (in alternating rounds), database URL.
// Also counts statements and round trips per payment on both sides, through a relay that reads the
// wire protocol. For the app side this file runs again as a child (argv: --profile-app companyId)
// with DATABASE_URL pointing at the relay, so db/client opens its ordinary handle through it.
import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { once } from "node:events";
import net from "node:net";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import postgres from "postgres";

const profileCompany = process.argv[2] === "--profile-app" ? process.argv[3] : undefined;
const { closeDb, db, queryRows } = await import("@/db/client");
const { env } = await import("@/lib/env");
const { runMigrations } = await import("@/lib/migrate");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { seedDemoData } = await import("@/lib/services/seed");
const { recordManualPayment } = await import("@/lib/services/payments");
const { sellerToday } = await import("@/lib/time-zone");

if (!profileCompany) {
  await runMigrations();
  await seedDemoData();
}
const [finance] = await queryRows<{ id: string; email: string; name: string }>(db, sql`select id, email, name from users where email = 'finance@demo.test'`);
const actor = { id: finance!.id, email: finance!.email, name: finance!.name, role: "finance" as const, companyId: null };
const scope = `user:${actor.id}`;
const paidOn = sellerToday();
const currency = env().DEFAULT_CURRENCY;
const amountMinor = 100n; // 1.00: the invoices below hold 10,000,000.00 each, so they never run out.
const profileWarmOps = 20; // opens the connections and prepares the statements
const profileOps = 200;
let seq = 0;

// The app: the finance form's post, through the one mutation path (parse, permission,
// idempotency key row, locks, allocation, audit row, stored result; the settlement check only
// runs for a payment that pays an invoice off, which the bench's totals never reach).
async function appOne(companyId: string): Promise<void> {
  const result = await runMutation(
    recordManualPayment,
    { actor, request: newRequestContext(), idempotencyKey: randomUUID() },
    { companyId, amount: "1.00", paidOn, reference: `BENCH-${process.pid}-${seq++}`, note: "" },
  );
  if (!result.ok) throw new Error(`app payment failed: ${JSON.stringify(result)}`);
}

if (profileCompany) {
  // Child: payments one after another; the parent zeroes its counters on "warm" and answers.
  for (let i = 0; i < profileWarmOps; i++) await appOne(profileCompany);
  console.log("warm");
  await once(createInterface({ input: process.stdin }), "line");
  for (let i = 0; i < profileOps; i++) await appOne(profileCompany);
  await closeDb();
  process.exit(0);
}

const clients = Number(process.argv[2] ?? 32);
const durationMs = Number(process.argv[3] ?? 8000);
const url = process.argv[4] ?? env().DATABASE_URL!;
const invoicesPerCompany = 3;
const invoiceTotal = 1_000_000_000n;
// The baseline's pool, as db/client opens its own (postgres.js prepares its tagged queries by default).
const clientOptions = { max: env().DATABASE_POOL_SIZE, onnotice: () => {}, connection: { lock_timeout: env().DATABASE_LOCK_TIMEOUT_MS } };

/**
 * One customer company per client with three large open invoices, each on its own order and
 * quotation (an invoice needs both; orders are inserted already approved, which no trigger
 * refuses: the state-machine trigger guards updates only). Setup, not measured.
 */
async function benchCompanies(tag: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < clients; i++) {
    const suffix = `${tag}-${i}-${randomUUID().slice(0, 8)}`;
    const [row] = await queryRows<{ company_id: string; user_id: string }>(
      db,
      sql`with c as (insert into companies (name, currency) values (${`Bench payer ${suffix}`}, ${currency}) returning id),
             u as (insert into users (email, name, password_hash, role, company_id) select ${`payer-${suffix}@bench.test`}, 'Bench payer', 'x', 'buyer', id from c returning id, company_id)
          select company_id, id as user_id from u`,
    );
    for (let k = 0; k < invoicesPerCompany; k++) {
      await db.execute(sql`
        with o as (insert into orders (reference, company_id, buyer_id, status, currency, submitted_at, accepted_at, approved_at)
                   values (${`ORD-BENCH-${suffix}-${k}`}, ${row!.company_id}, ${row!.user_id}, 'approved', ${currency}, now(), now(), now()) returning id),
             q as (insert into quotations (order_id, number, version, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, seller, customer, terms)
                   select id, ${`QB-BENCH-${suffix}-${k}`}, 1, now() + interval '14 days', ${currency}, ${invoiceTotal.toString()}::bigint, 0, ${invoiceTotal.toString()}::bigint, 'line_half_up', '{}', '{}', '' from o returning id, order_id)
        insert into invoices (number, order_id, quotation_id, company_id, issue_date, due_date, currency, subtotal_minor, tax_minor, total_minor, rounding_method, seller, customer)
        select ${`INV-BENCH-${suffix}-${k}`}, order_id, id, ${row!.company_id}, current_date - ${invoicesPerCompany - k}::int, current_date + ${30 - (invoicesPerCompany - k)}::int, ${currency},
               ${invoiceTotal.toString()}::bigint, 0, ${invoiceTotal.toString()}::bigint, 'line_half_up', '{}', '{}' from q`);
    }
    out.push(row!.company_id);
  }
  return out;
}

// The baseline: the same rows written with raw postgres.js in one transaction, hand-ordered,
// no ORM, no validation; the outstanding and the settled check come from the one locking read.
function baselineOne(raw: postgres.Sql) {
  return async (companyId: string): Promise<void> => {
    const key = randomUUID();
    const reference = `BENCH-${process.pid}-${seq++}`;
    const print = createHmac("sha256", env().authSecret).update(`payment.manual\n${companyId}:${reference}`).digest("hex");
    await raw.begin(async (tx) => {
      await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${scope}, ${key}, 'payment.manual', ${print})`;
      const items = await tx<{ id: string; total_minor: string; allocated: string; paid: string }[]>`
        select i.id, i.total_minor::text, s.allocated::text, s.paid::text
        from invoices i cross join lateral (
          select coalesce(sum(a.amount_minor) filter (where p.status in ('pending_verification', 'verified')), 0) as allocated,
                 coalesce(sum(a.amount_minor) filter (where p.status = 'verified'), 0) as paid
          from payment_allocations a join payments p on p.id = a.payment_id where a.invoice_id = i.id) s
        where i.company_id = ${companyId} and i.status = 'open'
        order by i.due_date, i.number for update of i`;
      const target = items.find((i) => BigInt(i.total_minor) - BigInt(i.allocated) >= amountMinor);
      if (!target) throw new Error("bench invoices ran out: raise invoiceTotal");
      // Paying an invoice in full would also mark its order paid; the totals make that unreachable.
      if (BigInt(target.paid) + amountMinor >= BigInt(target.total_minor)) throw new Error("bench invoice paid in full: raise invoiceTotal");
      const [payment] = await tx<{ id: string }[]>`
        insert into payments (company_id, source, status, amount_minor, currency, paid_on, reference, note, recorded_by, decided_by, decided_at)
        values (${companyId}, 'manual', 'verified', ${amountMinor.toString()}, ${currency}, ${paidOn}, ${reference}, '', ${actor.id}, ${actor.id}, now()) returning id`;
      await tx`insert into payment_allocations (payment_id, invoice_id, amount_minor) values (${payment!.id}, ${target.id}, ${amountMinor.toString()})`;
      const diff = { after: { status: "verified", amountMinor: amountMinor.toString(), paidOn, reference, allocations: `${target.id}: ${amountMinor}` } };
      await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome)
        values ('user', ${actor.id}, 'finance', 'payment.manual', 'payment', ${payment!.id}, ${companyId}, ${tx.json(diff)}, ${randomUUID()}, 'success')`;
      await tx`update idempotency_keys set status = 'completed', result = ${tx.json({ paymentId: payment!.id, status: "verified" })}, completed_at = now()
        where scope = ${scope} and key = ${key}`;
    });
  };
}

type Sample = { latencies: number[]; wallMs: number; cpuMs: number };

/** Every client records payments back to back for `ms`; returns each operation's latency. */
async function round(set: string[], ms: number, one: (companyId: string) => Promise<void>): Promise<Sample> {
  const latencies: number[] = [];
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    set.map(async (companyId) => {
      while (performance.now() < end) {
        const t = performance.now();
        await one(companyId);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { latencies, wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function summary(samples: Sample[]) {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const ops = latencies.length;
  const wallMs = samples.reduce((s, x) => s + x.wallMs, 0);
  const cpuMs = samples.reduce((s, x) => s + x.cpuMs, 0);
  return { ops, opsPerSec: ops / (wallMs / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), nodeCpuMsPerOp: round2(cpuMs / ops) };
}

/**
 * A TCP relay to the server that counts the client's protocol messages by type. Each Sync (S),
 * Flush (H) or simple Query (Q) is a point where the client waits for the server: a round trip.
 * Each Execute (E) or simple Query runs a statement (postgres.js sends one statement per Query);
 * its text comes from the Query, or from the Parse (P) of the statement its Bind (B) names.
 */
async function countingRelay(target: URL) {
  const short = (query: string) => query.replace(/\s+/g, " ").trim().slice(0, 80);
  const counts = new Map<string, number>();
  const statements = new Map<string, number>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 5432), target.hostname);
    const parsed = new Map<string, string>(); // this connection's statement name → text
    let bound = "";
    let pending = Buffer.alloc(0);
    let startup = true;
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (startup) {
          if (pending.length < 8) break;
          const len = pending.readUInt32BE(0);
          if (pending.length < len) break;
          const code = pending.readUInt32BE(4);
          pending = pending.subarray(len);
          if (code !== 80877103 && code !== 80877104) startup = false; // SSL/GSS requests precede the startup message
          continue;
        }
        if (pending.length < 5) break;
        const len = pending.readUInt32BE(1);
        if (pending.length < len + 1) break;
        const type = String.fromCharCode(pending[0]!);
        const strings = pending.toString("utf8", 5, len + 1).split("\0"); // leading C strings of the body
        counts.set(type, (counts.get(type) ?? 0) + 1);
        if (type === "P") parsed.set(strings[0]!, short(strings[1]!));
        if (type === "B") bound = parsed.get(strings[1]!) ?? "";
        const text = type === "Q" ? short(strings[0]!) : type === "E" ? bound : undefined;
        if (text !== undefined) statements.set(text, (statements.get(text) ?? 0) + 1);
        pending = pending.subarray(len + 1);
      }
    });
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    client.on("error", () => upstream.destroy());
    upstream.on("error", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const relayUrl = new URL(target.toString());
  relayUrl.hostname = "127.0.0.1";
  relayUrl.port = String((server.address() as net.AddressInfo).port);
  const reset = () => {
    counts.clear();
    statements.clear();
  };
  const perPayment = () => {
    const per = (...types: string[]) => round2(types.reduce((s, t) => s + (counts.get(t) ?? 0), 0) / profileOps);
    return {
      statementsPerOp: per("E", "Q"),
      roundTripsPerOp: per("S", "H", "Q"),
      messagesPerOp: Object.fromEntries([...counts.keys()].sort().map((t) => [t, per(t)])),
      statements: [...statements].map(([text, n]) => ({ perOp: round2(n / profileOps), text })),
    };
  };
  return { url: relayUrl.toString(), reset, perPayment, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
type Relay = Awaited<ReturnType<typeof countingRelay>>;

/** The app's payments, from a child process whose db/client connects through the relay. */
async function profileApp(relay: Relay, companyId: string) {
  const child = spawn("npx", ["tsx", "--conditions=react-server", fileURLToPath(import.meta.url), "--profile-app", companyId], {
    env: { ...process.env, DATABASE_URL: relay.url },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = once(child, "close");
  for await (const line of createInterface({ input: child.stdout })) {
    if (line !== "warm") continue;
    relay.reset();
    child.stdin.write("go\n");
  }
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`app profile exited with ${code}`);
  return relay.perPayment();
}

/** The baseline's payments on one connection through the relay. */
async function profileBaseline(relay: Relay, companyId: string) {
  const client = postgres(relay.url, { ...clientOptions, max: 1 });
  const one = baselineOne(client);
  for (let i = 0; i < profileWarmOps; i++) await one(companyId);
  relay.reset();
  for (let i = 0; i < profileOps; i++) await one(companyId);
  await client.end({ timeout: 5 });
  return relay.perPayment();
}

const appClients = await benchCompanies("app");
const baseClients = await benchCompanies("raw");
const raw = postgres(url, clientOptions);
const rawOne = baselineOne(raw);
const written = { app: 0, baseline: 0 };
const sides = {
  app: async (companyId: string) => {
    await appOne(companyId);
    written.app++;
  },
  baseline: async (companyId: string) => {
    await rawOne(companyId);
    written.baseline++;
  },
};

// Warm both paths (JIT, prepared statements, pool connections), then run short rounds in the order
// app, baseline, baseline, app, twice, so that table growth and any other load on the machine
// weigh on both alike.
await round(appClients, 1000, sides.app);
await round(baseClients, 1000, sides.baseline);
// Statistics as autovacuum would keep them in a live database (it may be off on a bench server):
// without them the planner works from empty-table guesses for payments and allocations.
await db.execute(sql`analyze`);
const cycles = 2;
const slice = durationMs / (2 * cycles);
const samples: Record<keyof typeof sides, Sample[]> = { app: [], baseline: [] };
for (let i = 0; i < cycles; i++) {
  samples.app.push(await round(appClients, slice, sides.app));
  samples.baseline.push(await round(baseClients, slice, sides.baseline));
  samples.baseline.push(await round(baseClients, slice, sides.baseline));
  samples.app.push(await round(appClients, slice, sides.app));
}
const app = summary(samples.app);
const baseline = summary(samples.baseline);

// Profile, one client at a time, on a company of each side (its payments count as that side's).
const relay = await countingRelay(new URL(url));
const profile = { ops: profileOps, app: await profileApp(relay, appClients[0]!), baseline: await profileBaseline(relay, baseClients[0]!) };
await relay.close();
written.app += profileWarmOps + profileOps;
written.baseline += profileWarmOps + profileOps;

// Invariants, in SQL, over everything both sides wrote.
const idList = (set: string[]) => sql.join(set.map((id) => sql`${id}::uuid`), sql`, `);
const all = [...appClients, ...baseClients];
const count = async (q: ReturnType<typeof sql>) => (await queryRows<{ n: number }>(db, q))[0]?.n ?? -1;
const paymentsOf = (set: string[]) => count(sql`select count(*)::int as n from payments where company_id in (${idList(set)})`);
const total = written.app + written.baseline;
const invariants = {
  invoicesOverAllocated: await count(sql`select count(*)::int as n from invoices i where i.company_id in (${idList(all)})
    and (select coalesce(sum(a.amount_minor), 0) from payment_allocations a join payments p on p.id = a.payment_id
         where a.invoice_id = i.id and p.status in ('pending_verification', 'verified')) > i.total_minor`),
  paymentsNotAllocatedExactly: await count(sql`select count(*)::int as n from payments p where p.company_id in (${idList(all)})
    and p.amount_minor <> (select coalesce(sum(a.amount_minor), 0) from payment_allocations a where a.payment_id = p.id)`),
  appPaymentCountOff: Math.abs((await paymentsOf(appClients)) - written.app),
  baselinePaymentCountOff: Math.abs((await paymentsOf(baseClients)) - written.baseline),
  auditRowCountOff: Math.abs((await count(sql`select count(*)::int as n from audit_events where action = 'payment.manual' and company_id in (${idList(all)})`)) - total),
  idempotencyKeyCountOff: Math.abs((await count(sql`select count(*)::int as n from idempotency_keys where scope = ${scope} and operation = 'payment.manual' and status = 'completed'`)) - total),
  idempotencyKeysLeftInProgress: await count(sql`select count(*)::int as n from idempotency_keys where scope = ${scope} and status <> 'completed'`),
  ordersMarkedPaid: await count(sql`select count(*)::int as n from orders where company_id in (${idList(all)}) and paid_at is not null`),
};
const invariantViolations = Object.values(invariants).reduce((s, n) => s + n, 0);
await raw.end();
await closeDb();

console.log(JSON.stringify({ clients, durationMs, app, baseline, ratio: app.opsPerSec / baseline.opsPerSec, invariantViolations, invariants, profile }));
