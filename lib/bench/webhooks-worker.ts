// Webhook delivery throughput: N events in the outbox, one endpoint on a local HTTP receiver in this
// process, the job worker started as the app starts it (its default batch sizes, unless BENCH_BATCH /
// BENCH_LOOPS say otherwise); measures the time from start until the receiver holds N distinct
// webhook-ids (relay, queue, signing, POST, attempt log: the whole path). Prints one JSON line.
// argv: events, database URL, notifications: "on" (the real configuration: the notifier fans the same
// events out meanwhile, on the same two cores) or "off" (the events count as notified already).
import { fork, type ChildProcess } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";

const events = Number(process.argv[2] ?? 5000);
const notifications = (process.argv[4] ?? "on") === "on";
process.env.WEBHOOK_ALLOW_HTTP_LOCALHOST = "true";
const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { insertEndpoint } = await import("@/db/queries/webhooks");
const { newWebhookSecret } = await import("@/lib/services/webhooks");
const { startWorker, stopWorker } = await import("@/lib/jobs/worker");

await runMigrations();
// The receiver runs in its own process (lib/bench/webhooks-receiver.ts); BENCH_RECEIVER=inline puts it
// in this one, as the bench did before (the worker then pays for the receiver's CPU too).
const inline = process.env.BENCH_RECEIVER === "inline";
let stopReceiver: () => void;
let requests = 0;
let distinct = 0;
let connections = 0;
let resolveAll: () => void;
const all = new Promise<void>((r) => (resolveAll = r));
let port: number;
let receiver: ChildProcess | null = null;
if (inline) {
  const seen = new Set<string>();
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    req.on("end", () => {
      seen.add(String(req.headers["webhook-id"]));
      distinct = seen.size;
      res.writeHead(204).end();
      if (seen.size >= events) resolveAll();
    });
  });
  server.on("connection", () => connections++);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
  stopReceiver = () => {
    server.closeAllConnections();
    server.close();
  };
} else {
  const child = fork(fileURLToPath(new URL("./webhooks-receiver.ts", import.meta.url)), [String(events)], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  receiver = child;
  port = await new Promise<number>((resolve) => {
    child.on("message", (m: { port?: number; done?: boolean; report?: boolean; requests?: number; distinct?: number; connections?: number }) => {
      if (m.port) resolve(m.port);
      if (m.requests !== undefined) ({ requests, distinct, connections } = { requests: m.requests, distinct: m.distinct!, connections: m.connections! });
      if (m.done) resolveAll();
    });
  });
  stopReceiver = () => child.disconnect();
}
const url = `http://127.0.0.1:${port}/hook`;
await insertEndpoint(db, { companyId: null, url, description: "bench", eventTypes: ["invoice.issued"], secret: newWebhookSecret(), createdBy: null });
await db.execute(sql`insert into outbox_events (type, payload, notified_at)
  select 'invoice.issued', jsonb_build_object('invoiceId', gen_random_uuid(), 'orderId', gen_random_uuid(), 'reference', 'ORD-' || g, 'number', 'INV-' || g, 'totalMinor', '1000', 'currency', 'EUR'),
    ${notifications ? null : new Date().toISOString()}::timestamptz
  from generate_series(1, ${events}) g`);

// A run that stalls (deliveries lost or stuck) fails instead of hanging the bench.
setTimeout(() => {
  console.error(`not all ${events} events arrived within 5 minutes (${distinct} when last reported)`);
  process.exit(1);
}, 300_000).unref();
const started = performance.now();
const cpu = process.cpuUsage();
const load = loadavg()[0]!;
await startWorker({
  ...(process.env.BENCH_BATCH ? { deliveryBatch: Number(process.env.BENCH_BATCH) } : {}),
  ...(process.env.BENCH_LOOPS ? { deliveryConcurrency: Number(process.env.BENCH_LOOPS) } : {}),
});
await all;
const seconds = (performance.now() - started) / 1000;
const used = process.cpuUsage(cpu);
const cpuMsPerEvent = (used.user + used.system) / 1000 / events;
// The last attempts are logged just after their responses: wait for the log to be complete too.
const logged = async () => (await queryRows<{ n: number; ok: number }>(db, sql`select count(*)::int as n, count(*) filter (where succeeded)::int as ok from webhook_deliveries`))[0]!;
let log = await logged();
while (log.n < events && performance.now() - started < seconds * 1000 + 30_000) {
  await new Promise((r) => setTimeout(r, 100));
  log = await logged();
}
const loggedSeconds = (performance.now() - started) / 1000;
// With notifications on: how far the notifier got meanwhile (it runs on, independently).
const [unnotified] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events where notified_at is null`);
await stopWorker();
if (receiver) {
  // The final counts (any repeat that arrived while the log completed).
  const final = new Promise<void>((r) => receiver!.once("message", () => r()));
  receiver.send({ report: true });
  await final;
}
stopReceiver();
await closeDb();
console.log(
  JSON.stringify({
    events, notifications, seconds, loggedSeconds, eventsPerSec: events / seconds, requests, distinct, connections, logged: log.n, loggedOk: log.ok,
    unnotified: unnotified!.n, cpuMsPerEvent, loadBefore: load, loadAfter: loadavg()[0]!,
  }),
);
process.exit(0);
