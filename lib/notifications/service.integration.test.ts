import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { freshBuyer, testKey } from "@/lib/testing/invoices";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { shipOrder } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { approveReturn, receiveReturn, rejectReturn, requestReturn } from "@/lib/services/returns";
import { fanOut, fanOutIsolated, isTransientFailure, outboxRows } from "./fan-out";
import { emailPreferences, unreadNotificationCount } from "@/db/queries/notifications";
import { markAllNotificationsRead, markNotificationRead, setAccountsPayableEmail, setNotificationPreferences } from "./service";

setupTestDatabase();

const as = async (email: string) => ({ actor: await actorByEmail(email), request: request(), idempotencyKey: testKey("n") });

describe("notification mutations", () => {
  it("marks one's own notifications read (one, then all), never another user's", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const other = await actorByEmail("buyer@globex.test");
    const [event] = await rows<{ id: string }>(sql`insert into outbox_events (type, company_id, payload) values ('order.status_changed', ${buyer.companyId}, '{}') returning id`);
    const ids = await rows<{ id: string }>(sql`insert into notifications (user_id, event_id, kind, title, link) values
      (${buyer.id}, ${event!.id}, 'order_approved', 'A', '/orders/a'), (${buyer.id}, ${event!.id}, 'invoice_issued', 'B', '/orders/b'), (${other.id}, ${event!.id}, 'order_approved', 'C', '/orders/c') returning id`);
    const before = await unreadNotificationCount(db, buyer.id);
    expect(before).toBeGreaterThanOrEqual(2);

    expect(await runMutation(markNotificationRead, await as("buyer@acme.test"), { notificationId: ids[2]!.id })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(markNotificationRead, await as("buyer@acme.test"), { notificationId: ids[0]!.id })).toEqual({ ok: true, data: { notificationId: ids[0]!.id, link: "/orders/a" } });
    expect(await unreadNotificationCount(db, buyer.id)).toBe(before - 1);
    const all = await runMutation(markAllNotificationsRead, await as("buyer@acme.test"), {});
    expect(all).toEqual({ ok: true, data: { marked: before - 1 } });
    expect(await unreadNotificationCount(db, buyer.id)).toBe(0);
    const [otherRow] = await rows<{ read_at: Date | null }>(sql`select read_at from notifications where id = ${ids[2]!.id}`);
    expect(otherRow!.read_at).toBeNull();
  });

  it("stores email choices for the role's optional kinds only; approval mails stay on", async () => {
    const r = await runMutation(setNotificationPreferences, await as("approver@acme.test"), { "email.quotation_issued": "on", "email.approval_needed": "" });
    expect(r).toEqual({ ok: true, data: { emailOff: ["quotation_expiring", "order_approved", "order_rejected", "order_shipped", "return_approved", "return_rejected", "return_received", "invoice_issued", "invoice_overdue", "credit_note_issued", "payment_verified", "payment_rejected"] } });
    const approver = await actorByEmail("approver@acme.test");
    const prefs = await emailPreferences(db, approver.id);
    expect(prefs.get("quotation_issued")).toBe(true);
    expect(prefs.get("invoice_issued")).toBe(false);
    expect(prefs.has("approval_needed")).toBe(false);
  });

  it("sets the AP address: an admin for any company, a customer admin for their own only, validated", async () => {
    const approver = await actorByEmail("approver@acme.test");
    const globex = await actorByEmail("buyer@globex.test");
    expect(await runMutation(setAccountsPayableEmail, await as("approver@acme.test"), { companyId: approver.companyId, accountsPayableEmail: "ap@acme.test" })).toEqual({
      ok: true,
      data: { companyId: approver.companyId, accountsPayableEmail: "ap@acme.test" },
    });
    expect(await runMutation(setAccountsPayableEmail, await as("approver@acme.test"), { companyId: globex.companyId, accountsPayableEmail: "x@globex.test" })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(setAccountsPayableEmail, await as("admin@demo.test"), { companyId: approver.companyId, accountsPayableEmail: "not an address" })).toMatchObject({
      ok: false,
      fieldErrors: { accountsPayableEmail: ["Enter an email address, or leave the field empty."] },
    });
    expect(await runMutation(setAccountsPayableEmail, await as("admin@demo.test"), { companyId: approver.companyId, accountsPayableEmail: "" })).toMatchObject({ ok: true, data: { accountsPayableEmail: null } });
    expect(await runMutation(setAccountsPayableEmail, await as("sales@demo.test"), { companyId: approver.companyId, accountsPayableEmail: "" })).toMatchObject({ ok: false, code: "forbidden" });
    const [row] = await rows<{ ap: string | null }>(sql`select accounts_payable_email as ap from companies where id = ${approver.companyId}`);
    expect(row!.ap).toBeNull();
  });
});

describe("the relay's fan-out", () => {
  it("skips an event it cannot fan out and still writes the others' notifications (one bad event never blocks the outbox)", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const payload = JSON.stringify({ userId: buyer.id });
    const events = await rows<{ id: string }>(sql`insert into outbox_events (type, company_id, payload) values
      ('security.password_changed', ${buyer.companyId}, ${payload}::jsonb), ('security.password_changed', ${buyer.companyId}, ${payload}::jsonb) returning id`);
    // A real failure for the first event only: the database refuses its notification row.
    await withOwner(async (owner) => {
      await owner.execute(sql.raw(`create function refuse_notification() returns trigger language plpgsql as $$
        begin if new.event_id = '${events[0]!.id}' then raise exception 'refused for the test'; end if; return new; end $$`));
      await owner.execute(sql`create trigger refuse_notification before insert on notifications for each row execute function refuse_notification()`);
    });
    try {
      const mailIds = await db.transaction(async (tx) => fanOutIsolated(tx, await outboxRows(tx, events.map((e) => e.id))));
      expect(mailIds).toHaveLength(1);
    } finally {
      await withOwner(async (owner) => {
        await owner.execute(sql`drop trigger refuse_notification on notifications`);
        await owner.execute(sql`drop function refuse_notification()`);
      });
    }
    const written = await rows<{ event_id: string; kind: string }>(sql`select event_id, kind from notifications where event_id = any(${`{${events.map((e) => e.id).join(",")}}`}::uuid[])`);
    expect(written).toEqual([{ event_id: events[1]!.id, kind: "password_changed" }]);
    const [mails] = await rows<{ n: number }>(sql`select count(*)::int as n from mail_messages where event_id = ${events[0]!.id}`);
    expect(mails!.n).toBe(0);
  });

  it("tells a failure that may pass (retry the batch) from one that never will (skip the event)", () => {
    expect(isTransientFailure(Object.assign(new Error("deadlock"), { code: "40P01" }))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error("closed"), { code: "CONNECTION_CLOSED" }))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error("wrapped"), { cause: Object.assign(new Error("lock"), { code: "55P03" }) }))).toBe(true);
    expect(isTransientFailure(Object.assign(new Error("bad uuid"), { code: "22P02" }))).toBe(false);
    expect(isTransientFailure(new TypeError("x is undefined"))).toBe(false);
  });
});

describe("returns' notifications (real events through the real fan-out)", () => {
  const by = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("nr") });
  const must = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
    if (!r.ok) throw new Error(r.error);
    return r.data;
  };
  /** Fans out the order's events of these types (as the notifier does) → the rows written for them. */
  async function fanOutOf(orderId: string, types: string[]) {
    const events = await rows<{ id: string }>(sql`select id from outbox_events where payload->>'orderId' = ${orderId} and type = any(${`{${types.join(",")}}`}::text[]) and notified_at is null`);
    await db.transaction(async (tx) => fanOut(tx, await outboxRows(tx, events.map((e) => e.id))));
    await rows(sql`update outbox_events set notified_at = now() where id = any(${`{${events.map((e) => e.id).join(",")}}`}::uuid[])`);
    const ids = `{${events.map((e) => e.id).join(",")}}`;
    const mails = await rows<{ kind: string; recipient: string; subject: string; text: string; attachments: { kind: string; filename: string }[] }>(
      sql`select kind, recipient, subject, text, attachments from mail_messages where event_id = any(${ids}::uuid[]) order by kind, recipient`,
    );
    const inApp = await rows<{ kind: string; email: string; title: string; link: string }>(
      sql`select n.kind, u.email, n.title, n.link from notifications n join users u on u.id = n.user_id where n.event_id = any(${ids}::uuid[]) order by n.kind, u.email`,
    );
    return { mails, inApp };
  }

  it("sales hear of a request; the requester of its approval, its receipt (credit note attached) or its rejection; AP gets the return's credit note", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const ap = `ap-returns-${Date.now()}@example.test`;
    const buyer = await freshBuyer(ap, { company: "Returning", name: "Rhea Returning" });
    const [company] = await rows<{ name: string }>(sql`select name from companies where id = ${buyer.companyId}`);
    const adminEmail = `returning-admin-${Date.now()}@example.test`;
    await rows(sql`insert into users (email, name, password_hash, role, company_id) values (${adminEmail}, 'Cora Returning', 'x', 'customer_admin', ${buyer.companyId})`);
    const customerAdmin = await actorByEmail(adminEmail);

    const product = must(await runMutation(createProduct, by(admin), { sku: `NRET-${Date.now()}`, name: "Noted return", category: "Returns notes", basePrice: "10.00", taxRate: "0", unit: "pcs" }));
    must(await runMutation(receiveStock, by(admin), { productId: product.id, quantity: "10" }));
    must(await runMutation(addToCart, by(buyer), { productId: product.id, quantity: "3" }));
    const { orderId } = must(await runMutation(submitCart, by(buyer), {}));
    must(await runMutation(acceptQuotation, by(buyer), { orderId }));
    must(await runMutation(approveOrder, by(sales), { orderId }));
    must(await runMutation(shipOrder, by(sales), { orderId, carrier: "DHL", trackingNumber: "", lines: [{ lineNo: 1, quantity: "3" }] }));
    const [{ reference }] = (await rows<{ reference: string }>(sql`select reference from orders where id = ${orderId}`)) as [{ reference: string }];
    const salesEmails = (await rows<{ email: string }>(sql`select email from users where role = 'sales' and active order by email`)).map((r) => r.email);
    expect(salesEmails.length).toBeGreaterThanOrEqual(1);

    // Requested by the order's buyer: every active sales user is told, by mail and in the app, linked to the staff order page.
    const first = must(await runMutation(requestReturn, by(buyer), { orderId, reason: "Two arrived crushed", lines: [{ lineNo: 1, quantity: "2" }] }));
    const requested = await fanOutOf(orderId, ["return.requested"]);
    const requestedTitle = `Return ${first.number} requested for order ${reference}`;
    expect(requested.mails.map((m) => [m.kind, m.recipient, m.subject])).toEqual(salesEmails.map((e) => ["return_requested", e, requestedTitle]));
    expect(requested.mails[0]!.text).toContain(`${company!.name} asks to send back goods of order ${reference}: 2 × ${product.sku}.`);
    expect(requested.mails[0]!.text).toContain("Reason: Two arrived crushed");
    expect(requested.inApp).toEqual(salesEmails.map((email) => ({ kind: "return_requested", email, title: requestedTitle, link: `/admin/orders/${orderId}` })));

    // Approved, then received: the requester is told each time; the credit note rides with the receipt.
    must(await runMutation(approveReturn, by(sales), { returnId: first.returnId }));
    const approved = await fanOutOf(orderId, ["return.status_changed"]);
    const approvedTitle = `Return ${first.number} for order ${reference} approved`;
    expect(approved.mails.map((m) => [m.kind, m.recipient, m.subject])).toEqual([["return_approved", buyer.email, approvedTitle]]);
    expect(approved.inApp).toEqual([{ kind: "return_approved", email: buyer.email, title: approvedTitle, link: `/orders/${orderId}` }]);

    const received = must(await runMutation(receiveReturn, by(sales), { returnId: first.returnId }));
    const receipt = await fanOutOf(orderId, ["return.received", "credit_note.issued"]);
    const receivedTitle = `Return ${first.number} for order ${reference} received: credit note ${received.creditNoteNumber}`;
    const [invoice] = await rows<{ number: string }>(sql`select number from invoices where order_id = ${orderId}`);
    // The buyer requested it: the credit note reaches them with the return's mail, AP with the credit note's.
    expect(receipt.mails.map((m) => [m.kind, m.recipient, m.subject, m.attachments])).toEqual([
      ["credit_note_issued", ap, `Credit note ${received.creditNoteNumber} for invoice ${invoice!.number}`, [{ kind: "credit_note", id: received.creditNoteId, filename: `${received.creditNoteNumber}.pdf` }]],
      ["return_received", buyer.email, receivedTitle, [{ kind: "credit_note", id: received.creditNoteId, filename: `${received.creditNoteNumber}.pdf` }]],
    ]);
    expect(receipt.mails[1]!.text).toContain(`We have received the goods of your return ${first.number} for order ${reference}: 2 × ${product.sku}.`);
    expect(receipt.mails[1]!.text).toContain(`Credit note ${received.creditNoteNumber} credits them: €20.00.`);
    expect(receipt.mails[0]!.text).toContain(`Credit note ${received.creditNoteNumber} credits the goods returned with ${first.number} against invoice ${invoice!.number} of order ${reference}: €20.00.`);
    expect(receipt.inApp).toEqual([{ kind: "return_received", email: buyer.email, title: receivedTitle, link: `/orders/${orderId}` }]);

    // Requested by the customer admin, rejected: the customer admin is told (with the reason), not the order's buyer.
    const second = must(await runMutation(requestReturn, by(customerAdmin), { orderId, reason: "Wrong colour", lines: [{ lineNo: 1, quantity: "1" }] }));
    expect((await fanOutOf(orderId, ["return.requested"])).mails.map((m) => m.subject)).toEqual(salesEmails.map(() => `Return ${second.number} requested for order ${reference}`));
    must(await runMutation(rejectReturn, by(sales), { returnId: second.returnId, reason: "Opened and used." }));
    const rejected = await fanOutOf(orderId, ["return.status_changed"]);
    expect(rejected.mails.map((m) => [m.kind, m.recipient, m.subject])).toEqual([["return_rejected", adminEmail, `Return ${second.number} for order ${reference} rejected`]]);
    expect(rejected.mails[0]!.text).toContain("Reason: Opened and used.");
    expect(rejected.inApp.map((n) => [n.kind, n.email])).toEqual([["return_rejected", adminEmail]]);

    // A buyer who turned return mails off still has them in the app.
    await rows(sql`insert into notification_preferences (user_id, kind, email) values (${buyer.id}, 'return_approved', false)`);
    const third = must(await runMutation(requestReturn, by(buyer), { orderId, reason: "Spare", lines: [{ lineNo: 1, quantity: "1" }] }));
    await fanOutOf(orderId, ["return.requested"]);
    must(await runMutation(approveReturn, by(sales), { returnId: third.returnId }));
    const quiet = await fanOutOf(orderId, ["return.status_changed"]);
    expect([quiet.mails, quiet.inApp.map((n) => [n.kind, n.email])]).toEqual([[], [["return_approved", buyer.email]]]);
  });
});
