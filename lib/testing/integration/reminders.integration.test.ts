import { sql } from "drizzle-orm";
import { pdfText } from "@/lib/testing/pdf-text";
import { afterAll, describe, expect, it, vi } from "vitest";

// Before lib/env parses the configuration: the links in the mails are made from APP_URL.
vi.hoisted(() => {
  process.env.APP_URL = "https://orders.example.test/";
  // No SMTP server: the mails of the worker test are kept in the local mailbox ("stored").
  delete process.env.SMTP_URL;
  process.env.MAIL_LOCAL_MAILBOX = "true";
});

import { db } from "@/db/client";
import type { MailAttachmentRef } from "@/db/schema";
import { addDays } from "@/lib/domain/dates";
import { formatMoney } from "@/lib/domain/money";
import { attachmentsOf } from "@/lib/jobs/notifications";
import { runMutation } from "@/lib/mutation";
import { fanOut, outboxRows } from "@/lib/notifications/fan-out";
import { closePdfPool } from "@/lib/pdf/render";
import { QUEUES } from "@/lib/jobs/queue";
import { startWorker, stopWorker } from "@/lib/jobs/worker";
import { adjustStock, receiveStock } from "@/lib/services/inventory";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { addToCart } from "@/lib/services/orders/cart";
import { reviseQuotation, submitCart } from "@/lib/services/orders/quotations";
import { recordManualPayment } from "@/lib/services/payments";
import { createProduct } from "@/lib/services/products";
import { invoicedOrder, testKey, type InvoicedOrder, freshBuyer as freshBuyerOf } from "@/lib/testing/invoices";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { insertStagedReminder } from "@/db/queries/reminders";
import { runReminders, sendDunningReminders, sendLowStockAlerts, sendQuotationExpiryReminders } from "@/lib/services/reminders";

setupTestDatabase();
afterAll(async () => {
  await stopWorker();
  await closePdfPool();
});

const APP = "https://orders.example.test";

const freshBuyer = (ap: string | null) => freshBuyerOf(ap, { company: "Reminded", name: "Rita Reminded" });

const dueDateOf = async (invoiceId: string) => (await rows<{ due_date: string; issue_date: string }>(sql`select due_date::text, issue_date::text from invoices where id = ${invoiceId}`))[0]!;

/** The reminder events of one subject, in order, with their payloads. */
const eventsOf = (type: string, key: string, id: string) =>
  rows<{ id: string; company_id: string | null; payload: Record<string, unknown> }>(
    sql`select id, company_id, payload from outbox_events where type = ${type} and payload->>${key} = ${id} order by occurred_at, (payload->>'stage')::int`,
  );

/** The low-stock digests (one per reminders run) that list a product. */
const digestsOf = (productId: string) =>
  rows<{ id: string; company_id: string | null; payload: Record<string, unknown> }>(
    sql`select id, company_id, payload from outbox_events where type = 'product.low_stock_digest'
        and payload->'products' @> ${JSON.stringify([{ productId }])}::jsonb order by occurred_at`,
  );

const remindersOf = (kind: string, subjectId: string) =>
  rows<{ stage: number; event_id: string; closed: boolean }>(sql`select stage, event_id, closed_at is not null as closed from reminders where kind = ${kind} and subject_id = ${subjectId} order by stage`);

const auditsOf = (action: string, entityId: string) =>
  rows<{ actor_type: string; n: number }>(sql`select actor_type::text as actor_type, count(*)::int as n from audit_events where action = ${action} and entity_id = ${entityId} group by actor_type`);

/** The relay's fan-out of the given events, in one transaction, as the outbox relay runs it. */
async function fanOutEvents(ids: string[]): Promise<number> {
  return (await db.transaction(async (tx) => fanOut(tx, await outboxRows(tx, ids)))).length;
}

const mailsOfEvents = (ids: string[]) =>
  rows<{ event_id: string; kind: string; recipient: string; subject: string; text: string; attachments: MailAttachmentRef[] }>(
    sql`select m.event_id, m.kind, m.recipient, m.subject, m.text, m.attachments from mail_messages m join outbox_events e on e.id = m.event_id
        where m.event_id = any(${`{${ids.join(",")}}`}::uuid[]) order by e.occurred_at, m.recipient`,
  );

describe("dunning", () => {
  it("reminds at due + 1, 7 and 21 days on the date passed in, once per stage however often it runs; buyer and AP get each mail, the last with the statement of account", async () => {
    const ap = `ap-${Date.now()}@example.test`;
    const buyer = await freshBuyer(ap);
    const order = await invoicedOrder("100.00", { buyer });
    const inv = order.invoice;
    const { due_date: due, issue_date: issued } = await dueDateOf(inv.id);

    const stagesAfter = async (today: string) => {
      await sendDunningReminders(db, today);
      return (await remindersOf("invoice_overdue", inv.id)).map((r) => r.stage);
    };
    expect(await stagesAfter(due)).toEqual([]);
    expect(await stagesAfter(addDays(due, 1))).toEqual([1]);
    // The same day again (twice): nothing more.
    expect(await stagesAfter(addDays(due, 1))).toEqual([1]);
    expect(await stagesAfter(addDays(due, 1))).toEqual([1]);
    expect(await stagesAfter(addDays(due, 6))).toEqual([1]);
    expect(await stagesAfter(addDays(due, 7))).toEqual([1, 2]);
    expect(await stagesAfter(addDays(due, 7))).toEqual([1, 2]);
    expect(await stagesAfter(addDays(due, 20))).toEqual([1, 2]);
    expect(await stagesAfter(addDays(due, 21))).toEqual([1, 2, 3]);
    expect(await stagesAfter(addDays(due, 21))).toEqual([1, 2, 3]);
    expect(await stagesAfter(addDays(due, 60))).toEqual([1, 2, 3]);

    // One event per stage, each the reminder's own (same id), with the documented payload.
    const events = await eventsOf("invoice.overdue", "invoiceId", inv.id);
    expect(events.map((e) => e.id)).toEqual((await remindersOf("invoice_overdue", inv.id)).map((r) => r.event_id));
    const ref = (await rows<{ reference: string }>(sql`select reference from orders where id = ${order.orderId}`))[0]!.reference;
    expect(events.map((e) => e.payload)).toEqual(
      [1, 7, 21].map((days, i) => ({
        invoiceId: inv.id,
        number: inv.number,
        orderId: order.orderId,
        reference: ref,
        stage: i + 1,
        daysPastDue: days,
        balanceMinor: "10000",
        currency: "EUR",
        dueDate: due,
        asOf: addDays(due, days),
      })),
    );
    expect(events.every((e) => e.company_id === buyer.companyId)).toBe(true);
    expect(await auditsOf("reminder.invoice_overdue", inv.id)).toEqual([{ actor_type: "system", n: 3 }]);

    // The relay's fan-out, twice: the buyer and the AP address get one mail per stage, no more.
    const ids = events.map((e) => e.id);
    expect(await fanOutEvents(ids)).toBe(6);
    expect(await fanOutEvents(ids)).toBe(0);
    const mails = await mailsOfEvents(ids);
    expect(mails.map((m) => [m.kind, m.recipient])).toEqual(
      [1, 2, 3].flatMap(() => [
        ["invoice_overdue", ap],
        ["invoice_overdue", buyer.email],
      ]),
    );
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from mail_messages where event_id = any(${`{${ids.join(",")}}`}::uuid[])`))[0]!.n).toBe(6);
    const amount = formatMoney(10000n, "EUR");
    for (const [i, m] of mails.entries()) {
      const stage = Math.floor(i / 2) + 1;
      expect(m.subject).toBe(`${stage === 3 ? "Final reminder" : "Reminder"}: invoice ${inv.number} for order ${ref} is overdue`);
      expect(m.text).toContain(`Invoice ${inv.number} for order ${ref}`);
      expect(m.text).toContain(`was due on ${due} and is ${[1, 7, 21][stage - 1]} ${stage === 1 ? "day" : "days"} overdue. Amount still due: ${amount}.`);
      expect(m.text).toContain(`${APP}/orders/${order.orderId}`);
      expect(m.attachments).toEqual(stage === 3 ? [{ kind: "statement", id: buyer.companyId, asOf: addDays(due, 21), filename: `statement-of-account-${addDays(due, 21)}.pdf` }] : []);
    }
    // In the app: the buyer has one notification per stage, linking to the order.
    const inApp = await rows<{ link: string; n: number }>(sql`select link, count(*)::int as n from notifications where user_id = ${buyer.id} and kind = 'invoice_overdue' group by link`);
    expect(inApp).toEqual([{ link: `/orders/${order.orderId}`, n: 3 }]);

    // The statement attached to the last reminder: the company's open items as of that day (21 days past due).
    const [attached] = await attachmentsOf(mails[mails.length - 1]!.attachments);
    expect(attached!.contentType).toBe("application/pdf");
    expect(attached!.filename).toBe(`statement-of-account-${addDays(due, 21)}.pdf`);
    const text = await pdfText(attached!.content);
    expect(text).toContain("Statement of account");
    expect(text).toContain(`Statement date ${addDays(due, 21)}`);
    expect(text).toContain(order.companyName);
    expect(text).toContain(`${inv.number} ${issued} ${due} €100.00 €0.00 €0.00 €100.00 21`);
  });

  it("sends only the highest stage reached to an invoice first seen 10 days overdue, then carries on from there", async () => {
    const order = await invoicedOrder("50.00");
    const { due_date: due } = await dueDateOf(order.invoice.id);
    await sendDunningReminders(db, addDays(due, 10));
    await sendDunningReminders(db, addDays(due, 10));
    expect(await remindersOf("invoice_overdue", order.invoice.id)).toMatchObject([{ stage: 2 }]);
    const [event] = await eventsOf("invoice.overdue", "invoiceId", order.invoice.id);
    expect(event!.payload).toMatchObject({ stage: 2, daysPastDue: 10, balanceMinor: "5000" });
    await sendDunningReminders(db, addDays(due, 11));
    expect((await remindersOf("invoice_overdue", order.invoice.id)).map((r) => r.stage)).toEqual([2]);
    // After downtime from day 11 to day 30: the last stage only.
    await sendDunningReminders(db, addDays(due, 30));
    expect((await remindersOf("invoice_overdue", order.invoice.id)).map((r) => r.stage)).toEqual([2, 3]);
    expect((await eventsOf("invoice.overdue", "invoiceId", order.invoice.id)).map((e) => e.payload.daysPastDue)).toEqual([10, 30]);
    // The write itself refuses a stage below one already sent (not only the scan before it).
    const late = await db.transaction((tx) =>
      insertStagedReminder(tx, { kind: "invoice_overdue", subjectId: order.invoice.id, stage: 1, event: { type: "invoice.overdue", companyId: order.buyer.companyId, data: {} } }),
    );
    expect(late).toBeNull();
    expect((await remindersOf("invoice_overdue", order.invoice.id)).map((r) => r.stage)).toEqual([2, 3]);
  });

  it("sends a reminder once when several runs go at the same time", async () => {
    const order = await invoicedOrder("70.00");
    const { due_date: due } = await dueDateOf(order.invoice.id);
    await Promise.all(Array.from({ length: 4 }, () => sendDunningReminders(db, addDays(due, 7))));
    const counted = await rows<{ reminders: number; events: number; audits: number }>(sql`
      select (select count(*)::int from reminders where subject_id = ${order.invoice.id}) as reminders,
             (select count(*)::int from outbox_events where type = 'invoice.overdue' and payload->>'invoiceId' = ${order.invoice.id}) as events,
             (select count(*)::int from audit_events where action = 'reminder.invoice_overdue' and entity_id = ${order.invoice.id}) as audits`);
    expect(counted).toEqual([{ reminders: 1, events: 1, audits: 1 }]);
  });

  it("leaves paid and credited invoices alone and asks a partly paid one for what is left", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const admin = await actorByEmail("admin@demo.test");
    const paid = await invoicedOrder("80.00");
    const credited = await invoicedOrder("90.00");
    const partly = await invoicedOrder("100.00");
    const pay = async (o: InvoicedOrder, amount: string) => {
      const r = await runMutation(
        recordManualPayment,
        { actor: finance, request: request(), idempotencyKey: testKey("pay") },
        { companyId: o.buyer.companyId, amount, paidOn: (await dueDateOf(o.invoice.id)).issue_date, reference: o.invoice.payment_reference, allocations: [{ invoiceId: o.invoice.id, amount }] },
      );
      expect(r.ok, JSON.stringify(r)).toBe(true);
    };
    await pay(paid, "80.00");
    await pay(partly, "40.00");
    const cancelled = await runMutation(cancelOrderByStaff, { actor: admin, request: request() }, { orderId: credited.orderId, reason: "Ordered twice" });
    expect(cancelled.ok, JSON.stringify(cancelled)).toBe(true);

    const { due_date: due } = await dueDateOf(partly.invoice.id);
    await runReminders(db, new Date(`${addDays(due, 25)}T12:00:00Z`));
    expect(await remindersOf("invoice_overdue", paid.invoice.id)).toEqual([]);
    expect(await remindersOf("invoice_overdue", credited.invoice.id)).toEqual([]);
    expect(await eventsOf("invoice.overdue", "invoiceId", paid.invoice.id)).toEqual([]);
    expect(await eventsOf("invoice.overdue", "invoiceId", credited.invoice.id)).toEqual([]);
    const [event] = await eventsOf("invoice.overdue", "invoiceId", partly.invoice.id);
    expect(event!.payload).toMatchObject({ stage: 3, daysPastDue: 25, balanceMinor: "6000" });
  });
});

describe("expiring quotations", () => {
  it("reminds the buyer once per quotation version when its validity ends within 3 seller days", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const buyer = await freshBuyer(null);
    const as = (actor: typeof admin) => ({ actor, request: request(), idempotencyKey: testKey("q") });
    const p = await runMutation(createProduct, as(admin), { sku: `EXP-${testKey()}`, name: "Expiring widget", category: "Exp", basePrice: "25.00", taxRate: "0" });
    if (!p.ok) throw new Error(p.error);
    await runMutation(receiveStock, as(admin), { productId: p.data.id, quantity: "10" });
    await runMutation(addToCart, as(buyer), { productId: p.data.id, quantity: "2" });
    const q = await runMutation(submitCart, as(buyer), {});
    if (!q.ok) throw new Error(q.error);
    const versions = () => rows<{ id: string; version: number; valid_until: Date }>(sql`select id, version, valid_until from quotations where order_id = ${q.data.orderId} order by version`);
    const [v1] = await versions();
    const before = (q: { valid_until: Date }, ms: number) => new Date(new Date(q.valid_until).getTime() - ms);
    const day = 86_400_000;

    // Ten days before the end: nothing yet; two days before: one reminder, however often it runs.
    await sendQuotationExpiryReminders(db, before(v1!, 10 * day));
    expect(await remindersOf("quotation_expiring", v1!.id)).toEqual([]);
    await sendQuotationExpiryReminders(db, before(v1!, 2 * day));
    await sendQuotationExpiryReminders(db, before(v1!, 2 * day));
    await sendQuotationExpiryReminders(db, before(v1!, day));
    expect(await remindersOf("quotation_expiring", v1!.id)).toMatchObject([{ stage: 1 }]);
    const [e1] = await eventsOf("quotation.expiring", "quotationId", v1!.id);
    expect(e1!.payload).toMatchObject({ quotationId: v1!.id, version: 1, orderId: q.data.orderId, totalMinor: "5000", currency: "EUR", validUntil: new Date(v1!.valid_until).toISOString() });
    expect(await auditsOf("reminder.quotation_expiring", q.data.orderId)).toEqual([{ actor_type: "system", n: 1 }]);

    expect(await fanOutEvents([e1!.id])).toBe(1);
    const [mail] = await mailsOfEvents([e1!.id]);
    expect(mail).toMatchObject({ kind: "quotation_expiring", recipient: buyer.email });
    expect(mail!.subject).toBe(`Quotation ${q.data.number} for order ${String(e1!.payload.reference)} expires on ${String(e1!.payload.validUntilDate)}`);
    expect(mail!.text).toContain(`is valid until the end of ${String(e1!.payload.validUntilDate)}`);
    expect(mail!.text).toContain(formatMoney(5000n, "EUR"));
    expect(mail!.text).toContain(`${APP}/orders/${q.data.orderId}`);

    // A revision is a new version with its own validity: reminded once more, near its own end.
    const revised = await runMutation(reviseQuotation, { actor: sales, request: request() }, { orderId: q.data.orderId, version: "1", reason: "Better price", lines: [{ lineNo: 1, quantity: "2", unitPrice: "20.00", discountPercent: "0" }] });
    expect(revised.ok, JSON.stringify(revised)).toBe(true);
    const [, v2] = await versions();
    await sendQuotationExpiryReminders(db, before(v2!, day));
    await sendQuotationExpiryReminders(db, before(v2!, day));
    expect(await remindersOf("quotation_expiring", v2!.id)).toMatchObject([{ stage: 1 }]);
    expect(await remindersOf("quotation_expiring", v1!.id)).toHaveLength(1);
    expect((await eventsOf("quotation.expiring", "orderId", q.data.orderId)).map((e) => e.payload.version)).toEqual([1, 2]);

    // An accepted quotation waits for nobody: no reminder, even on its last day.
    const accepted = await invoicedOrder("10.00");
    const [acceptedQ] = await rows<{ id: string; valid_until: Date }>(sql`select id, valid_until from quotations where order_id = ${accepted.orderId}`);
    await sendQuotationExpiryReminders(db, before(acceptedQ!, day));
    expect(await remindersOf("quotation_expiring", acceptedQ!.id)).toEqual([]);
  });
});

describe("low stock", () => {
  it("alerts sales and admin once per episode: below the threshold, no repeat, reset at the threshold, alert again", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const as = () => ({ actor: admin, request: request(), idempotencyKey: testKey("s") });
    const sku = `LOW-${testKey()}`;
    const p = await runMutation(createProduct, as(), { sku, name: "Scarce part", category: "Low", basePrice: "5.00", taxRate: "0", lowStockThreshold: "5" });
    if (!p.ok) throw new Error(p.error);
    const id = p.data.id;
    const setOnHand = async (n: string) => {
      const r = await runMutation(adjustStock, as(), { productId: id, countedOnHand: n, reason: "Count" });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    };
    await runMutation(receiveStock, as(), { productId: id, quantity: "10" });
    await sendLowStockAlerts(db);
    expect(await remindersOf("low_stock", id)).toEqual([]);

    await setOnHand("3");
    await sendLowStockAlerts(db);
    await sendLowStockAlerts(db);
    await setOnHand("2"); // lower still: the same episode
    await sendLowStockAlerts(db);
    expect(await remindersOf("low_stock", id)).toMatchObject([{ stage: 1, closed: false }]);

    await setOnHand("5"); // back at the threshold: the episode ends
    await sendLowStockAlerts(db);
    expect(await remindersOf("low_stock", id)).toMatchObject([{ stage: 1, closed: true }]);
    await sendLowStockAlerts(db);
    expect(await remindersOf("low_stock", id)).toHaveLength(1);

    await setOnHand("4"); // a new drop: a new alert
    await sendLowStockAlerts(db);
    await sendLowStockAlerts(db);
    expect(await remindersOf("low_stock", id)).toMatchObject([
      { stage: 1, closed: true },
      { stage: 2, closed: false },
    ]);
    const events = await eventsOf("product.low_stock", "productId", id);
    expect(events.map((e) => [e.company_id, e.payload])).toEqual([
      [null, { productId: id, sku, name: "Scarce part", available: 3, onHand: 3, reserved: 0, threshold: 5 }],
      [null, { productId: id, sku, name: "Scarce part", available: 4, onHand: 4, reserved: 0, threshold: 5 }],
    ]);
    expect(await auditsOf("reminder.low_stock", id)).toEqual([{ actor_type: "system", n: 2 }]);

    // Each product's webhook event makes no mail of its own: the run's digest does.
    expect(await fanOutEvents(events.map((e) => e.id))).toBe(0);
    const digests = await digestsOf(id);
    expect(digests.map((d) => d.payload)).toEqual([
      { count: 1, products: [{ productId: id, sku, name: "Scarce part", available: 3, onHand: 3, reserved: 0, threshold: 5, eventId: events[0]!.id }] },
      { count: 1, products: [{ productId: id, sku, name: "Scarce part", available: 4, onHand: 4, reserved: 0, threshold: 5, eventId: events[1]!.id }] },
    ]);
    // A digest of one product: mailed to every active sales and admin user, linking to the admin product page.
    const staff = (await rows<{ email: string }>(sql`select email from users where role in ('sales', 'admin') and active order by email`)).map((r) => r.email);
    expect(staff.length).toBeGreaterThanOrEqual(2);
    expect(await fanOutEvents([digests[0]!.id])).toBe(staff.length);
    const mails = await mailsOfEvents([digests[0]!.id]);
    expect(mails.map((m) => m.recipient).sort()).toEqual(staff);
    expect(mails[0]!.subject).toBe(`Low stock: ${sku} Scarce part (3 available)`);
    expect(mails[0]!.text).toContain("has 3 available (3 on hand, 0 reserved), below its low-stock threshold of 5.");
    expect(mails[0]!.text).toContain(`${APP}/admin/products/${id}`);
  });

  it("tells each staff member once per run, in one mail listing every product newly low, while each product keeps its own webhook event", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const as = () => ({ actor: admin, request: request(), idempotencyKey: testKey("d") });
    await sendLowStockAlerts(db); // products left low by earlier tests (and the demo data) are told of first
    const made: { id: string; sku: string }[] = [];
    for (const [name, onHand] of [["Digest bolt", "1"], ["Digest nut", "2"], ["Digest washer", "0"]] as const) {
      const sku = `DIG-${testKey()}`;
      const p = await runMutation(createProduct, as(), { sku, name, category: "Low", basePrice: "1.00", taxRate: "0", lowStockThreshold: "4" });
      if (!p.ok) throw new Error(p.error);
      if (onHand !== "0") await runMutation(receiveStock, as(), { productId: p.data.id, quantity: onHand });
      made.push({ id: p.data.id, sku });
    }
    expect(await sendLowStockAlerts(db)).toBe(3);
    expect(await sendLowStockAlerts(db)).toBe(0); // once per episode
    const perProduct = await Promise.all(made.map((m) => eventsOf("product.low_stock", "productId", m.id)));
    expect(perProduct.map((e) => e.length)).toEqual([1, 1, 1]);
    const digests = await digestsOf(made[0]!.id);
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.company_id).toBeNull();
    expect((digest.payload.products as { sku: string }[]).map((p) => p.sku)).toEqual(made.map((m) => m.sku).sort());
    expect(digest.payload.count).toBe(3);
    expect(await auditsOf("reminder.low_stock", made[2]!.id)).toEqual([{ actor_type: "system", n: 1 }]);

    // The relay fans out the run's events: one mail and one in-app notification per staff member, not three.
    const staff = (await rows<{ email: string }>(sql`select email from users where role in ('sales', 'admin') and active order by email`)).map((r) => r.email);
    expect(await fanOutEvents([...perProduct.flat().map((e) => e.id), digest.id])).toBe(staff.length);
    const mails = await mailsOfEvents([digest.id]);
    expect(mails.map((m) => m.recipient).sort()).toEqual(staff);
    expect(mails[0]!.subject).toBe("Low stock: 3 products below their threshold");
    const bySku = new Map(made.map((m, i) => [m.sku, ["Digest bolt", "Digest nut", "Digest washer"][i]]));
    for (const [sku, available] of [[made[0]!.sku, 1], [made[1]!.sku, 2], [made[2]!.sku, 0]] as const) {
      expect(mails[0]!.text).toContain(`${sku} ${bySku.get(sku)}: ${available} available (${available} on hand, 0 reserved), threshold 4.`);
    }
    expect(mails[0]!.text).toContain(`${APP}/admin/products?lowStock=1`);
    expect(
      (await rows<{ n: number }>(sql`select count(*)::int as n from notifications n join users u on u.id = n.user_id where n.kind = 'low_stock' and n.event_id = ${digest.id}`))[0]!.n,
    ).toBe(staff.length);
  });
});

describe("low stock, several runs at once", () => {
  it("opens one episode and writes one digest naming the product when three runs go at the same time", async () => {
    const admin = await actorByEmail("admin@demo.test");
    await sendLowStockAlerts(db);
    const sku = `PAR-${testKey()}`;
    const p = await runMutation(createProduct, { actor: admin, request: request(), idempotencyKey: testKey("p") }, { sku, name: "Parallel part", category: "Low", basePrice: "1.00", taxRate: "0", lowStockThreshold: "2" });
    if (!p.ok) throw new Error(p.error);
    const sent = await Promise.all([sendLowStockAlerts(db), sendLowStockAlerts(db), sendLowStockAlerts(db)]);
    expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
    expect(await remindersOf("low_stock", p.data.id)).toMatchObject([{ stage: 1, closed: false }]);
    expect(await eventsOf("product.low_stock", "productId", p.data.id)).toHaveLength(1);
    expect(await digestsOf(p.data.id)).toHaveLength(1);
  });
});

describe("the reminders-run job", () => {
  it("runs the reminders in the worker and has the relay mail what they emitted", async () => {
    // Events the tests above left unrelayed are not this test's to mail.
    await rows(sql`update outbox_events set relayed_at = coalesce(relayed_at, now()), notified_at = coalesce(notified_at, now()) where relayed_at is null or notified_at is null`);
    const admin = await actorByEmail("admin@demo.test");
    const as = () => ({ actor: admin, request: request(), idempotencyKey: testKey("w") });
    const p = await runMutation(createProduct, as(), { sku: `JOB-${testKey()}`, name: "Job part", category: "Low", basePrice: "5.00", taxRate: "0", lowStockThreshold: "3" });
    if (!p.ok) throw new Error(p.error);
    await runMutation(receiveStock, as(), { productId: p.data.id, quantity: "1" });
    const staff = (await rows<{ n: number }>(sql`select count(*)::int as n from users where role in ('sales', 'admin') and active`))[0]!.n;

    const boss = await startWorker();
    await boss.send(QUEUES.reminders, {});
    const stored = async () =>
      (
        await rows<{ n: number }>(sql`
          select count(*)::int as n from mail_messages m join outbox_events e on e.id = m.event_id
          where e.type = 'product.low_stock_digest' and e.payload->'products' @> ${JSON.stringify([{ productId: p.data.id }])}::jsonb and m.status = 'stored'`)
      )[0]!.n;
    // Polls until the job, the relay and the send jobs are through (no fixed wait).
    for (let n = await stored(); n < staff; n = await stored()) await new Promise((r) => setTimeout(r, 250));
    expect(await stored()).toBe(staff);
    expect(await remindersOf("low_stock", p.data.id)).toMatchObject([{ stage: 1, closed: false }]);
  });
});
