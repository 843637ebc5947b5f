import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.APP_URL = "https://orders.example.test/";
});

import { db } from "@/db/client";
import { eventVisibleToEndpoint, insertEndpoint } from "@/db/queries/webhooks";
import { EVENT_TYPES, eventTypesForEndpoint, INTERNAL_EVENT_TYPES } from "@/lib/domain/webhook-events";
import { startJobQueue, stopJobQueue } from "@/lib/jobs/queue";
import { relayOutbox } from "@/lib/jobs/webhooks";
import { runMutation } from "@/lib/mutation";
import { createCompanyApiKey } from "@/lib/services/api-keys";
import { hashPassword } from "@/lib/services/passwords";
import { revokeAllUserSessions, signOutEverywhere, startSession } from "@/lib/services/sessions";
import { changeOwnPassword, resetUserPassword } from "@/lib/services/users";
import { createWebhookEndpoint, replayWebhookDelivery } from "@/lib/services/webhooks";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { testKey } from "@/lib/testing/invoices";
import { MANDATORY_EMAIL_KINDS, SECURITY_KINDS } from "./kinds";
import { mailPreviews } from "./preview";

// Security notices (issue 13): written by the mutation that made the change, fanned out by the real
// relay, mandatory mails, never a webhook delivery (even to an endpoint whose stored subscription
// names them), never a secret; and the template preview, which shows exactly what the fan-out wrote.

setupTestDatabase();

const OLD = "Old-Secret-Passw0rd-2026!";
const NEW = "Brand-New-Passw0rd-2026?";

type Mail = { kind: string; recipient: string; subject: string; text: string; html: string; event_id: string; status: string };

let company: { id: string; admin: string; owner2: string; buyer: string };

async function freshCompany() {
  const suffix = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const [c] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Secure ${suffix}`}, 'EUR', 100000000) returning id`);
  const hash = await hashPassword(OLD);
  const admin = `sec-admin-${suffix}@example.test`;
  const owner2 = `sec-admin2-${suffix}@example.test`;
  const buyer = `sec-buyer-${suffix}@example.test`;
  await rows(sql`insert into users (email, name, password_hash, role, company_id) values
    (${admin}, 'Carla Admin', ${hash}, 'customer_admin', ${c!.id}),
    (${owner2}, 'Otto Admin', ${hash}, 'customer_admin', ${c!.id}),
    (${buyer}, 'Bea Buyer', ${hash}, 'buyer', ${c!.id})`);
  return { id: c!.id, admin, owner2, buyer };
}

const as = async (email: string) => ({ actor: await actorByEmail(email), request: request(), idempotencyKey: testKey("sec") });

/** Runs the real relay (claim → webhook targets → fan-out) until nothing is left unrelayed. */
async function relay() {
  const boss = await startJobQueue({ worker: false });
  return relayOutbox(boss);
}

const securityEventsOf = (userId: string) =>
  rows<{ id: string; type: string; payload: Record<string, unknown> }>(sql`
    select id, type, payload from outbox_events where type like 'security.%' and (payload->>'userId' = ${userId} or payload->>'createdBy' = ${userId}) order by occurred_at, id`);

const mailsOfEvents = (ids: string[]) =>
  rows<Mail>(sql`select kind, recipient, subject, text, html, event_id, status::text as status from mail_messages where event_id = any(${`{${ids.join(",")}}`}::uuid[]) order by kind, recipient`);

beforeAll(async () => {
  // Earlier files' unrelayed events (thousands, from workloads) are not this file's to fan out.
  await rows(sql`update outbox_events set relayed_at = coalesce(relayed_at, now()), notified_at = coalesce(notified_at, now()) where relayed_at is null or notified_at is null`);
  company = await freshCompany();
});
afterAll(async () => {
  await stopJobQueue();
});

describe("security notices", () => {
  it("a password change mails the user (with the time and what to do if it was not them), even with that mail turned off, in one mail with the sessions", async () => {
    const user = await actorByEmail(company.buyer);
    // A stored "off" (as a tampered form or an old row would leave it) does not silence a security mail.
    await rows(sql`insert into notification_preferences (user_id, kind, email) values (${user.id}, 'password_changed', false), (${user.id}, 'sessions_ended', false)`);
    await db.transaction((tx) => startSession(tx, { userId: user.id, sessionVersion: 0, request: request(), now: new Date(), maxAgeSeconds: 3600 }));

    const changed = await runMutation(changeOwnPassword, await as(company.buyer), { currentPassword: OLD, newPassword: NEW });
    expect(changed.ok).toBe(true);
    const events = await securityEventsOf(user.id);
    expect(events.map((e) => e.type)).toEqual(["security.password_changed"]);
    expect(events[0]!.payload).toEqual({ userId: user.id, by: "self" });

    await relay();
    const mails = await mailsOfEvents(events.map((e) => e.id));
    expect(mails.map((m) => [m.kind, m.recipient, m.subject, m.status])).toEqual([["password_changed", company.buyer, "Your password was changed", "queued"]]);
    const text = mails[0]!.text;
    expect(text).toContain("Hello Bea Buyer,");
    expect(text).toMatch(/changed from your account page on \d{1,2} [A-Z][a-z]+ \d{4} at \d{2}:\d{2} UTC\./);
    expect(text).toContain("Every session of your account was signed out");
    expect(text).toContain("If this was not you, tell your administrator");
    expect(text).toContain("https://orders.example.test/account");
    expect(text).toContain("Security notices cannot be turned off.");
    expect(text).not.toContain(NEW);
    expect(mails[0]!.html).not.toContain(NEW);
    const inApp = await rows<{ kind: string; link: string; title: string }>(sql`select kind, link, title from notifications where user_id = ${user.id} and event_id = ${events[0]!.id}`);
    expect(inApp).toEqual([{ kind: "password_changed", link: "/account", title: "Your password was changed" }]);
  });

  it("an administrator's password reset says so, to the staff's own account page", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const [staff] = await rows<{ id: string; email: string }>(sql`insert into users (email, name, password_hash, role) values (${`sec-sales-${Date.now()}@example.test`}, 'Sid Sales', 'x', 'sales') returning id, email`);
    const reset = await runMutation(resetUserPassword, { actor: admin, request: request(), idempotencyKey: testKey("r") }, { id: staff!.id, password: NEW });
    expect(reset.ok).toBe(true);
    const events = await securityEventsOf(staff!.id);
    expect(events.map((e) => e.type)).toEqual(["security.password_changed"]);
    await relay();
    const [mail, ...more] = await mailsOfEvents(events.map((e) => e.id));
    expect(more).toEqual([]);
    expect(mail!.recipient).toBe(staff!.email);
    expect(mail!.text).toContain("changed by an administrator on");
    expect(mail!.text).toContain("https://orders.example.test/admin/account");
  });

  it("sign out everywhere and an administrator's revoke-all each tell the user; nothing to revoke tells nothing", async () => {
    const user = await actorByEmail(company.owner2);
    for (let i = 0; i < 2; i++) await db.transaction((tx) => startSession(tx, { userId: user.id, sessionVersion: 0, request: request(), now: new Date(), maxAgeSeconds: 3600 }));
    const own = await runMutation(signOutEverywhere, await as(company.owner2), {});
    expect(own).toEqual({ ok: true, data: { revoked: 2 } });
    // Nothing left to end: no notice.
    const admin = await actorByEmail("admin@demo.test");
    expect(await runMutation(revokeAllUserSessions, { actor: admin, request: request() }, { userId: user.id })).toEqual({ ok: true, data: { revoked: 0 } });
    await db.transaction((tx) => startSession(tx, { userId: user.id, sessionVersion: 0, request: request(), now: new Date(), maxAgeSeconds: 3600 }));
    expect(await runMutation(revokeAllUserSessions, { actor: admin, request: request() }, { userId: user.id })).toEqual({ ok: true, data: { revoked: 1 } });

    const events = await securityEventsOf(user.id);
    expect(events.map((e) => [e.type, e.payload.reason, e.payload.sessions])).toEqual([
      ["security.sessions_ended", "sign_out_everywhere", 2],
      ["security.sessions_ended", "admin", 1],
    ]);
    await relay();
    const mails = await mailsOfEvents(events.map((e) => e.id));
    expect(mails.map((m) => [m.kind, m.recipient, m.subject])).toEqual([
      ["sessions_ended", company.owner2, "You were signed out everywhere"],
      ["sessions_ended", company.owner2, "You were signed out everywhere"],
    ]);
    const byEvent = new Map(mails.map((m) => [m.event_id, m.text]));
    expect(byEvent.get(events[0]!.id)).toContain("You signed your account out of all its sessions (2 sessions) on ");
    expect(byEvent.get(events[1]!.id)).toContain("An administrator signed your account out of all its sessions (1 session) on ");
    for (const t of byEvent.values()) expect(t).toContain("If this was not you");
  });

  it("a company API key is announced to its owner and the company's customer admins, by name and prefix, never the key", async () => {
    const created = await runMutation(createCompanyApiKey, await as(company.admin), { name: "ERP link", scopes: ["catalog:read"], lifetimeDays: "90" });
    if (!created.ok) throw new Error(created.error);
    const owner = await actorByEmail(company.admin);
    const events = (await securityEventsOf(owner.id)).filter((e) => e.type === "security.api_key_created");
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.payload)).not.toContain(created.data.key);
    await relay();
    const mails = await mailsOfEvents(events.map((e) => e.id));
    // The two customer admins (the owner first in the plan); not the buyer.
    expect(mails.map((m) => m.recipient).sort()).toEqual([company.admin, company.owner2].sort());
    for (const m of mails) {
      expect(m.kind).toBe("api_key_created");
      expect(m.subject).toBe('API key "ERP link" was created');
      expect(m.text).toContain(`prefix ${created.data.prefix}`);
      expect(m.text).toContain("for your company by Carla Admin on ");
      expect(m.text).toContain("If you do not know this key, revoke it");
      expect(m.text).toContain("https://orders.example.test/account/api-keys");
      expect(m.text).not.toContain(created.data.key);
      expect(m.html).not.toContain(created.data.key);
      // The secret part is not in the mail either, in any form.
      expect(m.text).not.toContain(created.data.key.split("_").at(-1)!);
    }
  });

  it("security kinds are mandatory for every role", () => {
    for (const kind of SECURITY_KINDS) expect(MANDATORY_EMAIL_KINDS).toContain(kind);
  });
});

describe("security events and webhooks", () => {
  it("no endpoint receives them: not one subscribed to every event, not one whose stored list names them, not by replay", async () => {
    const admin = await actorByEmail("admin@demo.test");
    // Through the service, the widest subscription there is: every event type.
    const all = await runMutation(createWebhookEndpoint, await as(company.admin), { url: "https://erp.example.com/all", description: "all", eventTypes: eventTypesForEndpoint({ companyId: company.id }) });
    if (!all.ok) throw new Error(all.error);
    // Rows the service would refuse (as a future "everything" option or a hand-edited row might hold):
    // the relay's own SQL must keep internal events out.
    const rogueCompany = await insertEndpoint(db, { companyId: company.id, url: "https://erp.example.com/rogue", description: "rogue", eventTypes: [...EVENT_TYPES, ...INTERNAL_EVENT_TYPES], secret: `whsec_${Buffer.alloc(32, 3).toString("base64")}`, createdBy: null });
    const rogueStaff = await insertEndpoint(db, { companyId: null, url: "https://erp.example.com/rogue-staff", description: "rogue", eventTypes: [...INTERNAL_EVENT_TYPES], secret: `whsec_${Buffer.alloc(32, 4).toString("base64")}`, createdBy: admin.id });
    const endpoints = [all.data.endpoint.id, rogueCompany.id, rogueStaff.id];

    // One of each security event, of this company's users.
    const buyer = await actorByEmail(company.buyer);
    await db.transaction((tx) => startSession(tx, { userId: buyer.id, sessionVersion: 1, request: request(), now: new Date(), maxAgeSeconds: 3600 }));
    expect((await runMutation(changeOwnPassword, await as(company.buyer), { currentPassword: NEW, newPassword: OLD })).ok).toBe(true);
    await db.transaction((tx) => startSession(tx, { userId: buyer.id, sessionVersion: 2, request: request(), now: new Date(), maxAgeSeconds: 3600 }));
    expect((await runMutation(signOutEverywhere, await as(company.buyer), {})).ok).toBe(true);
    expect((await runMutation(createCompanyApiKey, await as(company.admin), { name: "Hooked", scopes: ["catalog:read"], lifetimeDays: "30" })).ok).toBe(true);
    const events = await rows<{ id: string; type: string }>(sql`select id, type from outbox_events where company_id = ${company.id} and type like 'security.%' and relayed_at is null`);
    expect(events.map((e) => e.type).sort()).toEqual(["security.api_key_created", "security.password_changed", "security.sessions_ended"]);
    const ids = events.map((e) => e.id);

    const result = await relay();
    expect(result.events).toBeGreaterThanOrEqual(3);
    // Relayed (and mailed), but no delivery job and no delivery row for any endpoint.
    const [relayed] = await rows<{ n: number }>(sql`select count(*)::int as n from outbox_events where id = any(${`{${ids.join(",")}}`}::uuid[]) and relayed_at is not null`);
    expect(relayed!.n).toBe(3);
    expect((await mailsOfEvents(ids)).length).toBeGreaterThanOrEqual(3);
    const [jobs] = await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = 'webhook-deliver' and data->>'eventId' = any(${`{${ids.join(",")}}`}::text[])`);
    expect(jobs!.n).toBe(0);
    const [deliveries] = await rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where event_id = any(${`{${ids.join(",")}}`}::uuid[])`);
    expect(deliveries!.n).toBe(0);

    // A business event of the same company still reaches the rogue endpoint (the guard is on the type, not the endpoint).
    await rows(sql`insert into outbox_events (type, company_id, payload) values ('invoice.issued', ${company.id}, '{"orderId": "00000000-0000-4000-8000-000000000000"}'::jsonb)`);
    await relay();
    const [business] = await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job j join outbox_events e on e.id::text = j.data->>'eventId'
      where j.name = 'webhook-deliver' and e.company_id = ${company.id} and e.type = 'invoice.issued' and j.data->>'endpointId' = ${rogueCompany.id}`);
    expect(business!.n).toBe(1);

    // Replay (and a delivery job's lookup) find nothing to send either.
    for (const endpointId of endpoints) for (const id of ids) expect(await eventVisibleToEndpoint(db, endpointId, id)).toBe(false);
    const replay = await runMutation(replayWebhookDelivery, { actor: admin, request: request(), idempotencyKey: testKey("rp") }, { endpointId: rogueStaff.id, eventId: ids[0] });
    expect(replay).toMatchObject({ ok: false, code: "not_found" });

    // These endpoints have no receiver: later files' workers must not spend retries on them.
    await rows(sql`delete from pgboss.job where name = 'webhook-deliver' and data->>'endpointId' = any(${`{${endpoints.join(",")}}`}::text[])`);
    await rows(sql`update webhook_endpoints set enabled = false where id = any(${`{${endpoints.join(",")}}`}::uuid[])`);
  });
});

describe("template preview", () => {
  it("renders each kind from its latest real event exactly as the fan-out wrote it, says so for kinds without one, and writes nothing", async () => {
    const count = async () =>
      (await rows<{ m: number; n: number; o: number; a: number }>(sql`select (select count(*)::int from mail_messages) as m, (select count(*)::int from notifications) as n,
        (select count(*)::int from outbox_events) as o, (select count(*)::int from audit_events) as a`))[0]!;
    const before = await count();
    const previews = await mailPreviews();
    expect(await count()).toEqual(before);

    const known = new Set((await rows<{ kind: string }>(sql`select kind from mail_messages union select kind from notifications`)).map((r) => r.kind));
    for (const p of previews) {
      if (!known.has(p.kind)) expect(p).toMatchObject({ sample: null, note: "No event of this kind has happened yet." });
    }
    // This file's own security mails: the preview shows the very mail the fan-out stored for that event and address.
    for (const kind of SECURITY_KINDS) {
      const p = previews.find((x) => x.kind === kind)!;
      expect(p.mandatory).toBe(true);
      expect(p.sample).not.toBeNull();
      const [latest] = await rows<{ event_id: string }>(sql`
        select event_id from (select event_id, created_at from mail_messages where kind = ${kind} union all select event_id, created_at from notifications where kind = ${kind}) x
        order by created_at desc limit 1`);
      expect(p.sample!.eventId).toBe(latest!.event_id);
      const [stored] = await rows<{ subject: string; html: string; text: string }>(sql`
        select subject, html, text from mail_messages where event_id = ${p.sample!.eventId} and kind = ${kind} and lower(recipient) = lower(${p.sample!.recipient})`);
      expect(stored).toBeDefined();
      expect({ subject: p.sample!.subject, html: p.sample!.html, text: p.sample!.text }).toEqual(stored);
    }
  });
});
