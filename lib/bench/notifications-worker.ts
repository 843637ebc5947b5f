// Notification mail throughput (issue 13): N mails queued the way the outbox relay queues them
// (real events → relayOutbox → fanOut → mail_messages rows + one notification-send job each), then
// delivered by the app's job worker (startWorker → sendMail → nodemailer) over SMTP to a sink in this
// process. Then order placement (submit + accept through the app's services, as in orders-worker.ts)
// from C concurrent clients with no mail backlog vs. while a second batch of N mails drains: same
// database, same process, same clients. Prints one JSON line.
// argv: mails, clients, measured order-placement ms per round, database URL.
// BENCH_MAIL_DOCS: distinct PDF documents the attachment mails share (default 200).
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { SMTPServer } from "smtp-server";
import type { User } from "@/db/schema";

const MAILS = Number(process.argv[2] ?? 10_000);
const clients = Number(process.argv[3] ?? 32);
const roundMs = Number(process.argv[4] ?? 8000);
const url = new URL(process.argv[5]!);
/** One mail in five carries a PDF (quotation mails); the rest are approval mails, text only. */
const ATTACHMENT_EVERY = 5;
const attachmentMails = Math.floor(MAILS / ATTACHMENT_EVERY);
const docsPerBatch = Number(process.env.BENCH_MAIL_DOCS ?? 200);
const DRAIN_LIMIT_MS = Number(process.env.BENCH_DRAIN_LIMIT_MS ?? 180_000);

// ---- the SMTP sink: counts each Message-ID it accepts and whether the message carried a PDF ----
const received = new Map<string, number>();
let receivedTotal = 0;
let receivedWithPdf = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  size: 50 * 1024 * 1024,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on("data", (c: Buffer) => chunks.push(c));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks);
      const headerEnd = raw.indexOf("\r\n\r\n");
      const headers = raw.subarray(0, headerEnd < 0 ? raw.length : headerEnd).toString("latin1").replace(/\r\n[ \t]+/g, " ");
      const id = /^message-id:\s*(\S+)/im.exec(headers)?.[1] ?? "";
      received.set(id, (received.get(id) ?? 0) + 1);
      receivedTotal++;
      if (raw.includes("application/pdf")) receivedWithPdf++;
      callback();
    });
  },
});
await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
// Before lib/env parses the configuration.
process.env.SMTP_URL = `smtp://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;

const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { seedDemoData } = await import("@/lib/services/seed");
const { insertUser } = await import("@/lib/services/users");
const { submitCart, acceptQuotation } = await import("@/lib/services/orders/quotations");
const { companies, inventory, products } = await import("@/db/schema");
const { orderReference } = await import("@/lib/services/orders/common");
const { startJobQueue, stopJobQueue } = await import("@/lib/jobs/queue");
const { relayOutbox } = await import("@/lib/jobs/webhooks");
const { startWorker, stopWorker } = await import("@/lib/jobs/worker");
const { closePdfPool } = await import("@/lib/pdf/render");
const { documentPdf } = await import("@/lib/services/documents");

await runMigrations();
await seedDemoData();
const acme = (await db.select().from(companies).where(eq(companies.name, "Acme Industrial Supply")))[0]!;
const stocked = await db.select({ id: products.id, multiple: products.orderMultiple }).from(products).innerJoin(inventory, eq(inventory.productId, products.id)).orderBy(products.sku).limit(clients * 3);
await db.execute(sql`update inventory set on_hand = 100000000`);

type Buyer = User & { index: number };
async function makeBuyers(side: string, n: number): Promise<Buyer[]> {
  const out: Buyer[] = [];
  for (let i = 0; i < n; i++) {
    const [company] = await queryRows<{ id: string }>(db, sql`insert into companies (name, currency, credit_limit_minor) values (${`Bench ${side} ${i} ${randomUUID().slice(0, 6)}`}, ${acme.currency}, 1000000000000) returning id`);
    const user = await db.transaction((tx) =>
      insertUser(tx, { email: `bench-${side}-${i}-${randomUUID().slice(0, 6)}@bench.test`, name: `Bench ${side} ${i}`, role: "buyer", companyId: company!.id, password: "bench-password-long-enough" }),
    );
    out.push({ ...user, index: i });
  }
  return out;
}

const setup = postgres(url.toString(), { max: 8, onnotice: () => {} });
async function fillCart(buyer: Buyer) {
  await setup.begin(async (tx) => {
    const [cart] = await tx<{ id: string }[]>`select id from orders where buyer_id = ${buyer.id} and status = 'draft'`;
    const orderId =
      cart?.id ??
      (await tx<{ id: string }[]>`insert into orders (reference, company_id, buyer_id, currency) values (${orderReference()}, ${buyer.companyId}, ${buyer.id}, ${acme.currency}) returning id`)[0]!.id;
    for (const p of stocked.slice(buyer.index * 3, buyer.index * 3 + 3)) {
      await tx`insert into cart_lines (order_id, product_id, quantity) values (${orderId}, ${p.id}, ${p.multiple * 2}) on conflict do nothing`;
    }
  });
}

/** One order placed as a buyer's two form posts place it: submit the cart, accept the quotation. */
async function placeOrder(buyer: Buyer) {
  const actor = { id: buyer.id, email: buyer.email, name: buyer.name, role: buyer.role, companyId: buyer.companyId };
  const submitted = await runMutation(submitCart, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, {});
  if (!submitted.ok) throw new Error(JSON.stringify(submitted));
  const accepted = await runMutation(acceptQuotation, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, { orderId: submitted.data.orderId });
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
}

// ---- the documents the attachment mails carry: real orders, submitted and accepted ----
// Each yields a quotation.issued event (one mail to the buyer, the quotation PDF attached) and an
// order.status_changed event (approval needed: one mail to each sales user, text only). A batch's
// events are copies of these real events (payloads unchanged), so the relay and fan-out do exactly
// what they do for the originals; the originals themselves are marked relayed (setup, not mail).
const STAFF = { id: "00000000-0000-0000-0000-000000000000", email: "bench@orderly.local", name: "Bench", role: "admin" as const, companyId: null };
const docBuyers = await makeBuyers("doc", Math.min(clients, 16));
async function documents(n: number): Promise<void> {
  let next = 0;
  await Promise.all(
    docBuyers.map(async (buyer) => {
      while (next < n) {
        next++;
        await fillCart(buyer);
        await placeOrder(buyer);
      }
    }),
  );
}
const [{ sales }] = (await queryRows<{ sales: number }>(db, sql`select count(*)::int as sales from users where role = 'sales' and active`)) as [{ sales: number }];
if ((MAILS - attachmentMails) % sales !== 0) throw new Error(`${MAILS - attachmentMails} approval mails do not divide among ${sales} sales users`);

/**
 * The documents and the real events every batch copies: D orders placed through the app, their
 * quotations' PDFs rendered once each through the app's document cache (as the buyer's first
 * download renders them), so a drain measures sending and this its cost apart; the originals' own
 * events are marked relayed (setup, not mail).
 */
async function prepare() {
  await documents(docsPerBatch);
  await db.execute(sql`update outbox_events set relayed_at = coalesce(relayed_at, now()), notified_at = coalesce(notified_at, now()) where relayed_at is null or notified_at is null`);
  const quoted = await queryRows<{ id: string; quotation_id: string }>(db, sql`select id, payload->>'quotationId' as quotation_id from outbox_events where type = 'quotation.issued' order by occurred_at`);
  const awaiting = await queryRows<{ id: string }>(db, sql`select id from outbox_events where type = 'order.status_changed' and payload->>'status' = 'awaiting_seller_approval' order by occurred_at`);
  if (quoted.length !== docsPerBatch || awaiting.length !== docsPerBatch) throw new Error(`expected ${docsPerBatch} events of each kind, got ${quoted.length} and ${awaiting.length}`);
  const renderStarted = performance.now();
  let nextDoc = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (nextDoc < quoted.length) {
        const doc = await documentPdf(STAFF, "quotation", quoted[nextDoc++]!.quotation_id);
        if (!doc || doc.cached) throw new Error("a bench quotation was not rendered fresh");
      }
    }),
  );
  return { quoted, awaiting, renderMs: performance.now() - renderStarted };
}
const prepared = await prepare();

/** Outbox events for one batch of MAILS mails; answers when they are queued (mail rows + send jobs). */
async function queueBatch(batch: number): Promise<{ events: number; mails: number; docs: number; relayMs: number; renderMs: number }> {
  const { quoted, awaiting, renderMs } = prepared;
  const copies = async (ids: { id: string }[], n: number) =>
    db.execute(sql`insert into outbox_events (type, company_id, payload, occurred_at)
      select e.type, e.company_id, e.payload || jsonb_build_object('benchBatch', ${batch}::int), e.occurred_at
      from generate_series(0, ${n - 1}) g join lateral (select * from outbox_events where id = (${`{${ids.map((r) => r.id).join(",")}}`}::uuid[])[g % ${ids.length} + 1]) e on true`);
  await copies(quoted, attachmentMails);
  await copies(awaiting, (MAILS - attachmentMails) / sales);
  // Relayed by hand with a sender-only queue: the mails wait, queued, until a worker starts.
  const started = performance.now();
  const boss = await startJobQueue({ worker: false });
  const relayed = await relayOutbox(boss);
  await stopJobQueue();
  const relayMs = performance.now() - started;
  const [queued] = await queryRows<{ n: number; pdf: number }>(
    db,
    sql`select count(*)::int as n, count(*) filter (where jsonb_array_length(m.attachments) > 0)::int as pdf
        from mail_messages m join outbox_events e on e.id = m.event_id where (e.payload->>'benchBatch')::int = ${batch} and m.status = 'queued'`,
  );
  if (queued!.n !== MAILS || queued!.pdf !== attachmentMails) throw new Error(`batch ${batch}: ${JSON.stringify(queued)} queued, expected ${MAILS} with ${attachmentMails} attachments`);
  return { events: relayed.events, mails: relayed.mails, docs: docsPerBatch, relayMs, renderMs };
}

type BatchState = { sent: number; queued: number; failed: number; other: number };
async function batchState(batch: number): Promise<BatchState> {
  const [s] = await queryRows<BatchState>(
    db,
    sql`select count(*) filter (where m.status = 'sent')::int as sent, count(*) filter (where m.status = 'queued')::int as queued,
          count(*) filter (where m.status = 'failed')::int as failed, count(*) filter (where m.status not in ('sent', 'queued', 'failed'))::int as other
        from mail_messages m join outbox_events e on e.id = m.event_id where (e.payload->>'benchBatch')::int = ${batch}`,
  );
  return s!;
}

/** Waits until every mail of the batch is sent (or the limit passes); the seconds from `since`. */
async function drained(batch: number, since: number): Promise<{ seconds: number; complete: boolean; state: BatchState }> {
  for (;;) {
    const state = await batchState(batch);
    const seconds = (performance.now() - since) / 1000;
    if (state.sent === MAILS) return { seconds, complete: true, state };
    if (performance.now() - since > DRAIN_LIMIT_MS) return { seconds, complete: false, state };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the sink received of a batch: each Message-ID once? */
async function sinkCheck(batch: number) {
  const ids = await queryRows<{ message_id: string }>(
    db,
    sql`select m.message_id from mail_messages m join outbox_events e on e.id = m.event_id where (e.payload->>'benchBatch')::int = ${batch}`,
  );
  let once = 0;
  let duplicated = 0;
  let missing = 0;
  for (const { message_id } of ids) {
    const n = received.get(message_id) ?? 0;
    if (n === 1) once++;
    else if (n === 0) missing++;
    else duplicated++;
  }
  return { once, duplicated, missing };
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
type Round = { latencies: number[]; busy: number };
async function round(buyers: Buyer[], ms: number): Promise<Round> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  let busy = 0;
  await Promise.all(
    buyers.map(async (buyer) => {
      while (performance.now() < end) {
        await fillCart(buyer);
        const t = performance.now();
        await placeOrder(buyer);
        latencies.push(performance.now() - t);
        busy += performance.now() - t;
      }
    }),
  );
  return { latencies, busy };
}
function summary(rounds: Round[]) {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((s, r) => s + r.busy, 0) / 1000 / clients;
  return { ops: latencies.length, opsPerSec: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

// A run that stalls fails instead of hanging the bench.
setTimeout(() => {
  console.error("notifications bench: no result within 20 minutes");
  process.exit(1);
}, 20 * 60_000).unref();

// ---- 1. N queued mails, drained by the worker alone ----
const q1 = await queueBatch(1);
const sinkBefore1 = receivedTotal;
const profiler = process.env.BENCH_PROFILE ? new (await import("node:inspector/promises")).Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.start");
}
const t1 = performance.now();
const cpu1 = process.cpuUsage();
await startWorker();
const d1 = await drained(1, t1);
const cpu = process.cpuUsage(cpu1);
if (profiler) {
  const { profile } = await profiler.post("Profiler.stop");
  (await import("node:fs")).writeFileSync(process.env.BENCH_PROFILE!, JSON.stringify(profile));
}
const drain = { ...q1, cpuMsPerMail: (cpu.user + cpu.system) / 1000 / MAILS, seconds: d1.seconds, complete: d1.complete, state: d1.state, mailsPerSec: d1.state.sent / d1.seconds, sink: await sinkCheck(1), sinkReceived: receivedTotal - sinkBefore1, sinkWithPdf: receivedWithPdf };

if (process.env.BENCH_SKIP_ORDERS) {
  console.log(JSON.stringify({ drain }));
  process.exit(0);
}

// ---- 2. Order placement with no mail backlog vs. while a second batch drains ----
// The order clients' buyers opted out of quotation mails: each order still sends the mandatory
// approval mail to sales (the same light mail traffic in every round); the backlog is the difference.
const orderBuyers = await makeBuyers("order", clients);
await db.execute(sql`insert into notification_preferences (user_id, kind, email) select id, 'quotation_issued', false from users where email like 'bench-order-%'`);
await round(orderBuyers, 1500); // warm-up: JIT, pool connections, prepared statements
const idle: Round[] = [await round(orderBuyers, roundMs)];
await stopWorker();
const q2 = await queueBatch(2);
const t2 = performance.now();
await startWorker();
// The measured round starts once the worker is sending (its start and first fetch are not the drain).
let before2 = await batchState(2);
while (before2.sent === 0) {
  await new Promise((r) => setTimeout(r, 50));
  before2 = await batchState(2);
}
const busyRound = await round(orderBuyers, roundMs);
const during = await batchState(2);
const d2 = await drained(2, t2);
idle.push(await round(orderBuyers, roundMs));
const idleSummary = summary(idle);
const busySummary = summary([busyRound]);
await stopWorker();
const [inv] = await queryRows<{ bad: number }>(db, sql`select count(*)::int as bad from inventory where on_hand < reserved`);
console.log(
  JSON.stringify({
    mails: MAILS,
    attachmentMails,
    clients,
    drain,
    orders: {
      idle: idleSummary,
      busy: busySummary,
      ratio: busySummary.opsPerSec / idleSummary.opsPerSec,
      // Mails of the second batch sent while the busy round ran (it overlapped the drain if queued > 0 at its end).
      sentDuringBusy: during.sent - before2.sent,
      queuedAfterBusy: during.queued,
      drain2: { ...q2, seconds: d2.seconds, complete: d2.complete, state: d2.state, sink: await sinkCheck(2) },
      invariantViolations: inv?.bad ?? -1,
    },
  }),
);
await setup.end();
await closePdfPool();
await closeDb();
sink.close();
process.exit(0);
