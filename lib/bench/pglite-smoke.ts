// The job worker on embedded PGlite (the quick start's database): migrate (pg-boss schema included),
// one endpoint on a local receiver, one real mutation's events relayed and delivered. Prints one JSON line.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

process.env.WEBHOOK_ALLOW_HTTP_LOCALHOST = "true";
delete process.env.DATABASE_URL;
process.env.PGLITE_DIR ??= "memory://";
const { closeDb, db } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { insertEndpoint } = await import("@/db/queries/webhooks");
const { newWebhookSecret } = await import("@/lib/services/webhooks");
const { startWorker, stopWorker } = await import("@/lib/jobs/worker");
const { seedDemoData } = await import("@/lib/services/seed");
const { invoicedOrder } = await import("@/lib/testing/invoices");

const t0 = performance.now();
await runMigrations();
const migrated = performance.now();
await seedDemoData();
const received: string[] = [];
const server = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received.push(String(req.headers["webhook-id"]));
    res.writeHead(204).end();
  });
});
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
await insertEndpoint(db, { companyId: null, url, description: "smoke", eventTypes: ["invoice.issued", "quotation.issued", "order.status_changed"], secret: newWebhookSecret(), createdBy: null });
const w0 = performance.now();
await startWorker();
const started = performance.now();
const order = await invoicedOrder("9.00");
const committed = performance.now();
while (received.length < 5 && performance.now() - committed < 60_000) await new Promise((r) => setTimeout(r, 50));
const delivered = performance.now();
// The notifier (the outbox's second consumer) runs in the same process on the same connection.
const { queryRows } = await import("@/db/client");
const { sql } = await import("drizzle-orm");
const notifiedOf = async () =>
  (await queryRows<{ events: number; notified: number; notifications: number }>(db, sql`
    select count(*)::int as events, count(*) filter (where notified_at is not null)::int as notified,
      (select count(*)::int from notifications n where n.event_id = any(array_agg(e.id))) as notifications
    from outbox_events e where e.payload->>'orderId' = ${order.orderId}`))[0]!;
let notified = await notifiedOf();
while (notified.notified < notified.events && performance.now() - committed < 60_000) {
  await new Promise((r) => setTimeout(r, 100));
  notified = await notifiedOf();
}
await stopWorker();
server.close();
await closeDb();
console.log(JSON.stringify({ migrateMs: Math.round(migrated - t0), workerStartMs: Math.round(started - w0), received: received.length, distinct: new Set(received).size, commitToFifthDeliveryMs: Math.round(delivered - committed), ...notified }));
process.exit(0);
