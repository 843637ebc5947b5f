// Webhook delivery throughput: N events in the outbox, one endpoint on a local HTTP receiver in this
// process, the job worker started; measures the time from start until the receiver holds N distinct
// webhook-ids (relay, queue, signing, POST, attempt log: the whole path). Prints one JSON line.
// argv: events, database URL.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";

const events = Number(process.argv[2] ?? 5000);
process.env.WEBHOOK_ALLOW_HTTP_LOCALHOST = "true";
const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { insertEndpoint } = await import("@/db/queries/webhooks");
const { newWebhookSecret } = await import("@/lib/services/webhooks");
const { startWorker, stopWorker } = await import("@/lib/jobs/worker");

await runMigrations();
const seen = new Set<string>();
let requests = 0;
let resolveAll: () => void;
const all = new Promise<void>((r) => (resolveAll = r));
const server = createServer((req, res) => {
  requests++;
  req.resume();
  req.on("end", () => {
    seen.add(String(req.headers["webhook-id"]));
    res.writeHead(204).end();
    if (seen.size >= events) resolveAll();
  });
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
await insertEndpoint(db, { companyId: null, url, description: "bench", eventTypes: ["invoice.issued"], secret: newWebhookSecret(), createdBy: null });
await db.execute(sql`insert into outbox_events (type, payload)
  select 'invoice.issued', jsonb_build_object('invoiceId', gen_random_uuid(), 'orderId', gen_random_uuid(), 'reference', 'ORD-' || g, 'number', 'INV-' || g, 'totalMinor', '1000', 'currency', 'EUR')
  from generate_series(1, ${events}) g`);

// A run that stalls (deliveries lost or stuck) fails instead of hanging the bench.
setTimeout(() => {
  console.error(`only ${seen.size} of ${events} events arrived within 5 minutes`);
  process.exit(1);
}, 300_000).unref();
const started = performance.now();
await startWorker({ deliveryBatch: Number(process.env.BENCH_BATCH ?? 100), deliveryConcurrency: Number(process.env.BENCH_LOOPS ?? 4) });
await all;
const seconds = (performance.now() - started) / 1000;
// The last attempts are logged just after their responses: wait for the log to be complete too.
const logged = async () => (await queryRows<{ n: number; ok: number }>(db, sql`select count(*)::int as n, count(*) filter (where succeeded)::int as ok from webhook_deliveries`))[0]!;
let log = await logged();
while (log.n < events && performance.now() - started < seconds * 1000 + 30_000) {
  await new Promise((r) => setTimeout(r, 100));
  log = await logged();
}
const loggedSeconds = (performance.now() - started) / 1000;
await stopWorker();
server.closeAllConnections();
server.close();
await closeDb();
console.log(JSON.stringify({ events, seconds, loggedSeconds, eventsPerSec: events / seconds, requests, distinct: seen.size, logged: log.n, loggedOk: log.ok }));
process.exit(0);
