import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { testKey } from "@/lib/testing/invoices";
import { fanOutIsolated, isTransientFailure, outboxRows } from "./fan-out";
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
    expect(r).toEqual({ ok: true, data: { emailOff: ["quotation_expiring", "order_approved", "order_rejected", "order_shipped", "invoice_issued", "invoice_overdue", "credit_note_issued", "payment_verified", "payment_rejected"] } });
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
