import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { simpleParser, type ParsedMail } from "mailparser";
import { pdfText } from "@/lib/testing/pdf-text";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before lib/env parses the configuration: mail goes to the in-process SMTP sink below on a port
// fixed now (the sink is stopped and restarted on it to play "SMTP down"); short retry delays and
// supervision so retries and a killed send's recovery happen within seconds.
const SMTP_PORT = vi.hoisted(() => {
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.APP_URL = "https://orders.example.test/";
  process.env.MAIL_RETRY_DELAY_SECONDS = "1";
  process.env.JOBS_SUPERVISE_INTERVAL_SECONDS = "1";
  return port;
});

import { db } from "@/db/client";
import { fanOut, outboxRows } from "@/lib/notifications/fan-out";
import { invoicedOrder, freshBuyer as freshBuyerOf } from "@/lib/testing/invoices";
import { actorByEmail, rows, setupTestDatabase, until } from "@/lib/testing/helpers";
import { closePdfPool } from "@/lib/pdf/render";
import { QUEUES, startJobQueue, stopJobQueue } from "./queue";
import { relayOutbox } from "./webhooks";
import { sendMail } from "./notifications";
import { startWorker, stopWorker } from "./worker";

setupTestDatabase();

type Got = { to: string; subject: string; messageId: string; text: string; html: string; attachments: { filename: string; content: Buffer; contentType: string }[] };

/** The SMTP sink: every accepted message, parsed. */
const received: Got[] = [];
let sink: SMTPServer | null = null;

async function startSink() {
  sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    // "Down" means down: close() drops the pooled transport's open connections at once (default: after 30 s).
    closeTimeout: 100,
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail: ParsedMail) => {
          const to = Array.isArray(mail.to) ? mail.to.map((t) => t.text).join(", ") : (mail.to?.text ?? "");
          received.push({
            to,
            subject: mail.subject ?? "",
            messageId: mail.messageId ?? "",
            text: mail.text ?? "",
            html: typeof mail.html === "string" ? mail.html : "",
            attachments: mail.attachments.map((a) => ({ filename: a.filename ?? "", content: a.content, contentType: a.contentType })),
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => sink!.listen(SMTP_PORT, "127.0.0.1", resolve));
  expect((sink.server.address() as AddressInfo).port).toBe(SMTP_PORT);
}

async function stopSink() {
  const s = sink;
  sink = null;
  if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
}

const freshBuyer = (ap: string | null) => freshBuyerOf(ap, { company: "Notified", name: "Nora Notified" });

const reference = async (orderId: string) => (await rows<{ reference: string }>(sql`select reference from orders where id = ${orderId}`))[0]!.reference;
const mailsOf = async (orderId: string) =>
  rows<{ kind: string; recipient: string; status: string; attempts: number; message_id: string; last_error: string | null }>(sql`
    select m.kind, m.recipient, m.status::text as status, m.attempts, m.message_id, m.last_error from mail_messages m join outbox_events e on e.id = m.event_id
    where e.payload->>'orderId' = ${orderId} order by m.kind, m.recipient`);
const activeSales = async () => (await rows<{ email: string }>(sql`select email from users where role = 'sales' and active order by email`)).map((r) => r.email);

beforeAll(async () => {
  // The test files before this one (one database per run) left thousands of events no worker
  // relayed (workloads, brute-force tests): fanned out, their mails would queue ahead of this
  // file's and time it out. They are not this file's to send.
  await rows(sql`update outbox_events set relayed_at = coalesce(relayed_at, now()), notified_at = coalesce(notified_at, now()) where relayed_at is null or notified_at is null`);
  await rows(sql`update mail_messages set status = 'failed', last_error = 'left by an earlier test file' where status = 'queued'`);
  // And the send jobs another file's worker enqueued for them: thousands, ahead of this file's.
  const boss = await startJobQueue({ worker: false });
  await boss.deleteQueuedJobs(QUEUES.sendMail);
  await stopJobQueue();
  await startSink();
});
afterAll(async () => {
  await stopWorker();
  await stopSink();
  await closePdfPool();
});

describe("notifications: outbox → fan-out → SMTP", () => {
  beforeAll(async () => {
    await startWorker();
  });

  it("mails the buyer the quotation and invoice PDFs, sales the approval, AP the invoice, each linking straight to the order; in-app rows for the users", async () => {
    const ap = `ap-${Date.now()}@example.test`;
    const buyer = await freshBuyer(ap);
    const order = await invoicedOrder("123.45", { buyer });
    const ref = await reference(order.orderId);
    const sales = await activeSales();
    expect(sales.length).toBeGreaterThanOrEqual(1);
    const expected = 1 /* quotation */ + sales.length /* approval */ + 1 /* approved */ + 2; /* invoice: buyer + AP */
    const ours = () => received.filter((m) => m.subject.includes(ref));
    await until("our mails", () => ours().length, (n) => n >= expected).catch(async (e: Error) => {
      throw new Error(`${e.message}; log: ${JSON.stringify(await mailsOf(order.orderId))}`);
    });
    await new Promise((r) => setTimeout(r, 1000)); // nothing more may arrive
    const got = ours();
    expect(got.length).toBe(expected);
    expect(new Set(got.map((m) => m.messageId)).size).toBe(expected);

    const link = `https://orders.example.test/orders/${order.orderId}`;
    const toBuyer = got.filter((m) => m.to === buyer.email).map((m) => m.subject).sort();
    expect(toBuyer).toEqual([`Invoice ${order.invoice.number} for order ${ref}`, `Order ${ref} approved`, expect.stringMatching(new RegExp(`^Quotation Q-\\d{4}-\\d+ for order ${ref}$`))].sort());
    for (const m of got.filter((g) => g.to === buyer.email)) {
      expect(m.text).toContain(link);
      expect(m.html).toContain(`href="${link}"`);
      expect(m.text).toContain("Hello Nora Notified,");
    }
    const invoiceMail = got.find((m) => m.to === buyer.email && m.subject.startsWith("Invoice"))!;
    expect(invoiceMail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${order.invoice.number}.pdf`, "application/pdf"]]);
    const invoiceText = await pdfText(invoiceMail.attachments[0]!.content);
    expect(invoiceText).toContain(order.invoice.number);
    expect(invoiceText).toContain("Total €123.45");
    // Printed in groups of four, as on the invoice page.
    expect(invoiceText).toContain(order.invoice.payment_reference.replace(/(.{4})(?=.)/g, "$1 "));
    const quotationMail = got.find((m) => m.to === buyer.email && m.subject.startsWith("Quotation"))!;
    expect(quotationMail.attachments).toHaveLength(1);
    expect(await pdfText(quotationMail.attachments[0]!.content)).toContain("123.45");
    expect(quotationMail.text).toContain("€123.45");

    const toAp = got.filter((m) => m.to === ap);
    expect(toAp.map((m) => m.subject)).toEqual([`Invoice ${order.invoice.number} for order ${ref}`]);
    expect(toAp[0]!.attachments.map((a) => a.filename)).toEqual([`${order.invoice.number}.pdf`]);
    expect(toAp[0]!.text).toContain(link);

    const approvals = got.filter((m) => m.subject === `Order ${ref} waits for your approval`);
    expect(approvals.map((m) => m.to).sort()).toEqual(sales);
    for (const m of approvals) expect(m.text).toContain(`https://orders.example.test/admin/orders/${order.orderId}`);

    // The log: every mail sent once, the Message-ID the sink saw is the stored one.
    const log = await mailsOf(order.orderId);
    expect(log.map((l) => `${l.kind} ${l.status} ${l.attempts}`).sort()).toEqual(
      [
        "approval_needed",
        ...sales.slice(1).map(() => "approval_needed"),
        "invoice_issued",
        "invoice_issued",
        "order_approved",
        "quotation_issued",
      ]
        .map((k) => `${k} sent 1`)
        .sort(),
    );
    expect(log.map((l) => l.message_id).sort()).toEqual(got.map((m) => m.messageId).sort());

    // In the app: the buyer's three, linking to the portal's order page; sales's one each, to the admin's.
    const inApp = await rows<{ kind: string; link: string; read_at: Date | null }>(sql`
      select n.kind, n.link, n.read_at from notifications n join outbox_events e on e.id = n.event_id
      where n.user_id = ${buyer.id} and e.payload->>'orderId' = ${order.orderId} order by n.kind`);
    expect(inApp).toEqual([
      { kind: "invoice_issued", link: `/orders/${order.orderId}`, read_at: null },
      { kind: "order_approved", link: `/orders/${order.orderId}`, read_at: null },
      { kind: "quotation_issued", link: `/orders/${order.orderId}`, read_at: null },
    ]);
    const [staffInApp] = await rows<{ n: number }>(sql`
      select count(*)::int as n from notifications n join outbox_events e on e.id = n.event_id
      where n.kind = 'approval_needed' and n.link = ${`/admin/orders/${order.orderId}`} and e.payload->>'orderId' = ${order.orderId}`);
    expect(staffInApp!.n).toBe(sales.length);

    // A second fan-out of the same events (a relay re-run) writes nothing.
    const eventIds = (await rows<{ id: string }>(sql`select id from outbox_events where payload->>'orderId' = ${order.orderId}`)).map((r) => r.id);
    expect(eventIds).toHaveLength(5);
    const again = await db.transaction(async (tx) => fanOut(tx, await outboxRows(tx, eventIds)));
    expect(again).toEqual([]);
    expect((await mailsOf(order.orderId)).length).toBe(expected);
    const [n] = await rows<{ n: number }>(sql`select count(*)::int as n from notifications where event_id = any(${`{${eventIds.join(",")}}`}::uuid[])`);
    expect(n!.n).toBe(3 + sales.length);
  });

  it("opens the approvals stage by stage: sales when the order is accepted, finance once sales has approved a large order", async () => {
    const buyer = await freshBuyer(null);
    // 15,000.00 is above the finance threshold: the sales approval leaves the finance one outstanding (no invoice yet).
    const order = await invoicedOrder("15000.00", { buyer });
    expect(order.invoice).toBeUndefined();
    const ref = await reference(order.orderId);
    const sales = await activeSales();
    const finance = (await rows<{ email: string }>(sql`select email from users where role = 'finance' and active order by email`)).map((r) => r.email);
    const approvals = () => received.filter((m) => m.subject === `Order ${ref} waits for your approval`);
    await until("approval mails", () => approvals().length, (n) => n >= sales.length + finance.length);
    await new Promise((r) => setTimeout(r, 1000));
    expect(approvals().map((m) => m.to).sort()).toEqual([...sales, ...finance].sort());
    const kinds = await rows<{ kind: string; n: number }>(sql`
      select m.kind, count(*)::int as n from mail_messages m join outbox_events e on e.id = m.event_id
      where e.payload->>'orderId' = ${order.orderId} group by m.kind order by m.kind`);
    expect(kinds).toEqual([
      { kind: "approval_needed", n: sales.length + finance.length },
      { kind: "quotation_issued", n: 1 },
    ]);
  });

  it("honours preferences: a buyer who turned invoice mails off gets none (AP still does, in-app still there); approval mails cannot be turned off", async () => {
    const ap = `ap-pref-${Date.now()}@example.test`;
    const buyer = await freshBuyer(ap);
    const sales = await actorByEmail("sales@demo.test");
    await rows(sql`insert into notification_preferences (user_id, kind, email) values (${buyer.id}, 'invoice_issued', false), (${buyer.id}, 'quotation_issued', false), (${sales.id}, 'approval_needed', false)`);
    const order = await invoicedOrder("9.99", { buyer });
    const ref = await reference(order.orderId);
    const salesCount = (await activeSales()).length;
    const ours = () => received.filter((m) => m.subject.includes(ref));
    await until("our mails", () => ours().length, (n) => n >= 2 + salesCount);
    await new Promise((r) => setTimeout(r, 1000));
    const got = ours();
    expect(got.filter((m) => m.to === buyer.email).map((m) => m.subject)).toEqual([`Order ${ref} approved`]);
    expect(got.filter((m) => m.to === ap).map((m) => m.subject)).toEqual([`Invoice ${order.invoice.number} for order ${ref}`]);
    expect(got.filter((m) => m.to === "sales@demo.test").map((m) => m.subject)).toEqual([`Order ${ref} waits for your approval`]);
    expect(got.length).toBe(2 + salesCount);
    const [inApp] = await rows<{ n: number }>(sql`select count(*)::int as n from notifications n join outbox_events e on e.id = n.event_id where n.user_id = ${buyer.id} and e.payload->>'orderId' = ${order.orderId}`);
    expect(inApp!.n).toBe(3);
  });

  it("SMTP down: the mails wait, are retried with backoff, and all arrive once it is back", async () => {
    await stopSink();
    const buyer = await freshBuyer(null);
    const order = await invoicedOrder("5.00", { buyer });
    const ref = await reference(order.orderId);
    const salesCount = (await activeSales()).length;
    const total = 3 + salesCount;
    // The sink comes back whatever happens here: the next test needs it.
    try {
      await waitWhileDown(order.orderId, ref, total);
    } finally {
      if (!sink) await startSink();
    }
    await until("all sent", () => mailsOf(order.orderId), (l) => l.every((m) => m.status === "sent"), 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    const got = received.filter((m) => m.subject.includes(ref));
    expect(got.length).toBe(total);
    expect(new Set(got.map((m) => m.messageId)).size).toBe(total);
  }, 180_000);
});

/** Every mail of the order has been tried at least twice and failed, with the connection error kept; none arrived. */
async function waitWhileDown(orderId: string, ref: string, total: number) {
  const failing = await until("two failed attempts each", () => mailsOf(orderId), (l) => l.length === total && l.every((m) => m.attempts >= 2), 90_000);
  for (const m of failing) {
    expect(m.status).toBe("queued");
    expect(m.last_error).toMatch(/ECONNREFUSED/);
  }
  expect(received.filter((m) => m.subject.includes(ref))).toHaveLength(0);
}

describe("a worker killed between sending and marking", () => {
  it("sends the mail again once, with the same Message-ID", async () => {
  await stopWorker();
  // A sender-only queue: the relay runs here by hand and nothing consumes the send jobs yet.
  const boss = await startJobQueue({ worker: false });
  const buyer = await freshBuyer(null);
  const order = await invoicedOrder("4.20", { buyer });
  await relayOutbox(boss);
  const [mail] = await rows<{ id: string; message_id: string }>(sql`
    select m.id, m.message_id from mail_messages m join outbox_events e on e.id = m.event_id
    where m.kind = 'invoice_issued' and e.payload->>'orderId' = ${order.orderId}`);
  // The "killed" worker: the SMTP server took the mail, then the process died before the mark.
  await expect(sendMail({ id: "killed", data: { mailId: mail!.id }, retryCount: 0, retryLimit: 12 }, { afterSend: () => { throw new Error("killed"); } })).rejects.toThrow("killed");
  expect(received.filter((m) => m.messageId === mail!.message_id)).toHaveLength(1);
  const [still] = await rows<{ status: string }>(sql`select status::text as status from mail_messages where id = ${mail!.id}`);
  expect(still!.status).toBe("queued");

  // A worker comes up and runs the (still queued) job: the second copy carries the same Message-ID.
  await stopJobQueue();
  await startWorker();
  await until("marked sent", () => rows<{ status: string }>(sql`select status::text as status from mail_messages where id = ${mail!.id}`), (r) => r[0]!.status === "sent");
  await new Promise((r) => setTimeout(r, 1500));
  const copies = received.filter((m) => m.messageId === mail!.message_id);
  expect(copies).toHaveLength(2);
  expect(copies.map((c) => c.to)).toEqual([buyer.email, buyer.email]);
  // And a further run of the job (a duplicate) sends nothing.
  expect(await sendMail({ id: "again", data: { mailId: mail!.id }, retryCount: 0, retryLimit: 12 })).toEqual({ status: "already sent" });
  expect(received.filter((m) => m.messageId === mail!.message_id)).toHaveLength(2);
  });
});
