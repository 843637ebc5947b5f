import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { insertEndpoint, markEventsNotified, tryLockOutboxConsumer } from "@/db/queries/webhooks";
import { fanOutIsolated, outboxRows } from "@/lib/notifications/fan-out";
import { newWebhookSecret } from "@/lib/services/webhooks";
import { freshBuyer, invoicedOrder } from "@/lib/testing/invoices";
import { isPostgres, rows, setupTestDatabase, until } from "@/lib/testing/helpers";
import { enqueueMails } from "./notifications";
import { notifyOutbox } from "./notify";
import { QUEUES, startJobQueue, stopJobQueue } from "./queue";
import { relayOutbox, relayWebhooks } from "./webhooks";

// The outbox's two consumers (webhook relay: relayed_at; notifier: notified_at) run side by side
// without waiting for each other, and each hands every event off exactly once, however many of
// them run at once. Real parallel transactions on PostgreSQL (PGlite has one connection: its
// transactions never overlap).

setupTestDatabase();

let boss: PgBoss;
beforeAll(async () => {
  // Other files' events are left alone (marking them handed off would take them from those files'
  // workers, which test files running beside this one wait for); the assertions count this file's.
  boss = await startJobQueue({ worker: false });
});
afterAll(async () => {
  await stopJobQueue();
});

const state = async (ids: string[]) =>
  (
    await rows<{ relayed: number; notified: number }>(sql`
      select count(*) filter (where relayed_at is not null)::int as relayed, count(*) filter (where notified_at is not null)::int as notified
      from outbox_events where id = any(${`{${ids.join(",")}}`}::uuid[])`)
  )[0]!;

describe.runIf(isPostgres())("two independent consumers of the outbox", () => {
  it("relays an order's webhooks while a notifier batch of the same events is being written, then the notifier commits its own", async () => {
    const buyer = await freshBuyer(null, { company: "Split", name: "Sam Split" });
    const endpoint = await insertEndpoint(db, {
      companyId: buyer.companyId,
      url: "https://erp.example.com/split",
      description: "split",
      eventTypes: ["invoice.issued", "order.status_changed", "quotation.issued"],
      secret: newWebhookSecret(),
      createdBy: null,
    });
    // A notifier batch in flight: it holds the notifier (the workers of the test files running
    // beside this one wait), fans the order's events out (the foreign keys of their notifications and
    // mails hold KEY SHARE locks on the events' rows until it commits) and does not commit yet.
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let holding!: () => void;
    const holds = new Promise<void>((r) => (holding = r));
    let orderEvents!: (ids: string[]) => void;
    const created = new Promise<string[]>((r) => (orderEvents = r));
    let fannedOut!: () => void;
    const inFlight = new Promise<void>((r) => (fannedOut = r));
    const notifier = db.transaction(async (tx) => {
      await until("the notifier's lock", () => tryLockOutboxConsumer(tx, "notify"), (ok) => ok);
      holding();
      const ids = await created;
      const mailIds = await fanOutIsolated(tx, await outboxRows(tx, ids));
      fannedOut();
      await gate;
      await enqueueMails(boss, tx, mailIds);
      await markEventsNotified(tx, ids);
      return mailIds;
    });
    await holds;
    const order = await invoicedOrder("12.00", { buyer });
    const ids = (await rows<{ id: string }>(sql`select id from outbox_events where payload->>'orderId' = ${order.orderId} order by occurred_at, id`)).map((r) => r.id);
    expect(ids).toHaveLength(5);
    orderEvents(ids);
    await inFlight;

    // The relay (this one, or a worker of another test file) claims all five meanwhile: it neither
    // waits for the notifier nor skips its rows.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      relayWebhooks(boss, { wait: true }),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("the relay waited for the notifier")), 15_000))),
    ]).finally(() => clearTimeout(timer));
    expect(await state(ids)).toEqual({ relayed: 5, notified: 0 });
    const deliveries = await rows<{ event_id: string }>(sql`
      select data->>'eventId' as event_id from pgboss.job where name = ${QUEUES.deliver} and data->>'endpointId' = ${endpoint.id} order by 1`);
    expect(deliveries.map((d) => d.event_id)).toEqual([...ids].sort());

    release();
    const mailIds = await notifier;
    expect(await state(ids)).toEqual({ relayed: 5, notified: 5 });
    // The buyer's quotation, approval and invoice mails at least, and one send job for each mail written.
    const mails = await rows<{ id: string; kind: string }>(sql`select id, kind from mail_messages where event_id = any(${`{${ids.join(",")}}`}::uuid[]) and recipient = ${buyer.email} order by kind`);
    expect(mails.map((m) => m.kind)).toEqual(["invoice_issued", "order_approved", "quotation_issued"]);
    const [all] = await rows<{ n: number }>(sql`select count(*)::int as n from mail_messages where event_id = any(${`{${ids.join(",")}}`}::uuid[])`);
    expect(mailIds).toHaveLength(all!.n);
    const [sendJobs] = await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.sendMail} and data->>'mailId' = any(${`{${mailIds.join(",")}}`}::text[])`);
    expect(sendJobs!.n).toBe(all!.n);

    // Each marker moved once: a further run hands none of them off again.
    await relayOutbox(boss);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.deliver} and data->>'endpointId' = ${endpoint.id}`))[0]!.n).toBe(5);
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from mail_messages where event_id = any(${`{${ids.join(",")}}`}::uuid[])`))[0]!.n).toBe(all!.n);
  });

  it("three relays and two notifiers started at once hand each of 1,200 events off once to each consumer", async () => {
    const buyer = await freshBuyer(null, { company: "Parallel", name: "Pat Parallel" });
    const endpoint = await insertEndpoint(db, {
      companyId: buyer.companyId,
      url: "https://erp.example.com/parallel",
      description: "parallel",
      eventTypes: ["invoice.issued"],
      secret: newWebhookSecret(),
      createdBy: null,
    });
    const ids = (
      await rows<{ id: string }>(sql`
        insert into outbox_events (type, company_id, payload)
        select 'invoice.issued', ${buyer.companyId}::uuid, jsonb_build_object('orderId', gen_random_uuid(), 'number', 'INV-P-' || g, 'reference', 'P-' || g)
        from generate_series(1, 1200) g returning id`)
    ).map((r) => r.id);

    // Each waits for its turn at the lock; the workers of the test files running beside this one may take part.
    await Promise.all([relayWebhooks(boss, { wait: true }), relayWebhooks(boss, { wait: true }), relayWebhooks(boss, { wait: true }), notifyOutbox(boss, { wait: true }), notifyOutbox(boss, { wait: true })]);
    expect(await state(ids)).toEqual({ relayed: 1200, notified: 1200 });
    const [jobs] = await rows<{ n: number; events: number }>(sql`
      select count(*)::int as n, count(distinct data->>'eventId')::int as events from pgboss.job where name = ${QUEUES.deliver} and data->>'endpointId' = ${endpoint.id}`);
    expect(jobs).toEqual({ n: 1200, events: 1200 });
  });
});
