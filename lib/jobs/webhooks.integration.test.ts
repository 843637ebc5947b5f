import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before lib/env parses the configuration (first use, below): a local receiver over http, short
// retry delays and timeouts so retries and the recovery of a killed worker happen within seconds.
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_HTTP_LOCALHOST = "true";
  process.env.WEBHOOK_RETRY_DELAY_SECONDS = "1";
  process.env.WEBHOOK_TIMEOUT_MS = "1000";
  process.env.JOBS_SUPERVISE_INTERVAL_SECONDS = "1";
});

import { db } from "@/db/client";
import { recordDeliveryAttempt } from "@/db/queries/webhooks";
import { WEBHOOK_POLICY } from "@/lib/domain/webhook-events";
import { env } from "@/lib/env";
import { runMutation } from "@/lib/mutation";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase, until } from "@/lib/testing/helpers";
import { createWebhookEndpoint, deleteWebhookEndpoint, replayWebhookDelivery, updateWebhookEndpoint } from "@/lib/services/webhooks";
import { startWorker, stopWorker } from "./worker";

setupTestDatabase();

type Received = { path: string; id: string; timestamp: string; signature: string; body: string; type: string; at: number };

/** A local webhook receiver: records every request; each path answers as the test sets it. */
class Receiver {
  server: Server;
  received: Received[] = [];
  behaviour = new Map<string, (req: IncomingMessage, res: ServerResponse, n: number) => void>();
  constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const entry: Received = {
          path: req.url ?? "",
          id: String(req.headers["webhook-id"]),
          timestamp: String(req.headers["webhook-timestamp"]),
          signature: String(req.headers["webhook-signature"]),
          body,
          type: (JSON.parse(body) as { type: string }).type,
          at: Date.now(),
        };
        this.received.push(entry);
        const n = this.received.filter((r) => r.path === entry.path).length;
        const answer = this.behaviour.get(entry.path);
        if (answer) answer(req, res, n);
        else res.writeHead(204).end();
      });
    });
  }
  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
  at(p: string) {
    return this.received.filter((r) => r.path === p);
  }
}

const receiver = new Receiver();
let base = "";

/**
 * A company of the calling test's own with a customer admin (who owns its endpoints) and a buyer: a
 * company endpoint receives only its company's events, so the other test files, which issue
 * invoices in the same database at the same time, never reach it.
 */
async function freshCompany() {
  const suffix = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Hooked ${suffix}`}, 'EUR', 100000000) returning id`);
  const adminEmail = `hook-admin-${suffix}@example.test`;
  const buyerEmail = `hook-buyer-${suffix}@example.test`;
  await rows(sql`insert into users (email, name, password_hash, role, company_id) values (${adminEmail}, 'Hook admin', 'x', 'customer_admin', ${company!.id}), (${buyerEmail}, 'Hook buyer', 'x', 'buyer', ${company!.id})`);
  const buyer = (await actorByEmail(buyerEmail)) as Awaited<ReturnType<typeof actorByEmail>> & { companyId: string };
  return { companyId: company!.id, adminEmail, buyer };
}

async function endpoint(actorEmail: string, p: string, eventTypes: string[]) {
  const actor = await actorByEmail(actorEmail);
  const created = await runMutation(createWebhookEndpoint, { actor, request: request(), idempotencyKey: testKey("wh") }, { url: `${base}${p}`, description: p, eventTypes });
  if (!created.ok) throw new Error(created.error);
  return created.data;
}

beforeAll(async () => {
  base = await receiver.listen();
});
afterAll(async () => {
  await stopWorker();
  receiver.server.closeAllConnections();
  await new Promise((r) => receiver.server.close(r));
});

describe("endpoint management", () => {
  it("creates with a whsec_ secret shown once, refuses bad URLs, and keeps each owner to its own endpoints", async () => {
    const acme = await endpoint("approver@acme.test", "/manage", ["invoice.issued"]);
    expect(acme.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(acme.endpoint.eventTypes).toEqual(["invoice.issued"]);
    const [acmeCompany] = await rows<{ id: string }>(sql`select id from companies where name = 'Acme Industrial Supply'`);
    expect(acme.endpoint.companyId).toBe(acmeCompany!.id);

    const admin = await actorByEmail("admin@demo.test");
    const buyer = await actorByEmail("buyer@acme.test");
    const ctx = (actor: typeof admin) => ({ actor, request: request(), idempotencyKey: testKey("wh") });
    const bad = await runMutation(createWebhookEndpoint, ctx(admin), { url: "http://erp.example.com/h", eventTypes: ["invoice.issued"] });
    expect(bad).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { url: ["The URL must start with https://."] } });
    const ssrf = await runMutation(createWebhookEndpoint, ctx(admin), { url: "https://169.254.169.254/latest", eventTypes: ["invoice.issued"] });
    expect(ssrf).toMatchObject({ ok: false, fieldErrors: { url: ["The URL must name a public host, not this machine or a private network."] } });
    const noEvents = await runMutation(createWebhookEndpoint, ctx(admin), { url: "https://erp.example.com/h", eventTypes: ["order.shipped"] });
    expect(noEvents).toMatchObject({ ok: false, fieldErrors: { eventTypes: ["Choose events from the list."] } });
    // A buyer may not manage endpoints; the admin does not see (or delete) a company's endpoint: 404.
    expect(await runMutation(createWebhookEndpoint, ctx(buyer), { url: "https://erp.example.com/h", eventTypes: ["invoice.issued"] })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await runMutation(deleteWebhookEndpoint, ctx(admin), { endpointId: acme.endpoint.id })).toMatchObject({ ok: false, code: "not_found" });
    const off = await runMutation(updateWebhookEndpoint, ctx(await actorByEmail("approver@acme.test")), {
      endpointId: acme.endpoint.id, url: `${base}/manage`, description: "", eventTypes: ["invoice.issued"], enabled: "false",
    });
    expect(off).toEqual({ ok: true, data: { endpointId: acme.endpoint.id, enabled: false } });
    const audit = await rows<{ action: string; outcome: string }>(sql`select action, outcome from audit_events where entity_id = ${acme.endpoint.id} order by id`);
    expect(audit.map((a) => `${a.action} ${a.outcome}`)).toEqual(["webhook_endpoint.create success", "webhook_endpoint.delete denied", "webhook_endpoint.update success"]);
    const [disabled] = await rows<{ disabled_reason: string }>(sql`select disabled_reason from webhook_endpoints where id = ${acme.endpoint.id}`);
    expect(disabled!.disabled_reason).toBe("manual");
  });
});

describe("outbox → queue → signed delivery (worker in this process)", () => {
  beforeAll(async () => {
    await startWorker({ deliveryBatch: 10 });
  });

  it("writes the events in the changing transaction and delivers each once per endpoint, only to its own company, signed", async () => {
    const company = await freshCompany();
    const acme = await endpoint(company.adminEmail, "/acme", ["invoice.issued", "order.status_changed", "quotation.issued"]);
    const staff = await endpoint("admin@demo.test", "/staff", ["invoice.issued"]);

    const own = await invoicedOrder("12.00", { buyer: company.buyer });
    const other = await invoicedOrder("7.00"); // another fresh company: the company's endpoint must never see it

    // submit, accept, approve: 1 quotation, 3 status changes (submit, accept, final approve), 1 invoice per order.
    const events = await rows<{ type: string; n: number }>(sql`
      select type, count(*)::int as n from outbox_events
      where payload->>'orderId' = ${own.orderId} group by type order by type`);
    expect(events).toEqual([
      { type: "invoice.issued", n: 1 },
      { type: "order.status_changed", n: 3 },
      { type: "quotation.issued", n: 1 },
    ]);

    await until("Acme's 5 events", () => receiver.at("/acme").length, (n) => n >= 5);
    // The staff endpoint receives every company's invoices, also those other test files issue meanwhile: these two are ours.
    const ours = (r: { body: string }) => [own.invoice.number, other.invoice.number].includes((JSON.parse(r.body) as { data: { number: string } }).data.number);
    await until("staff's 2 invoices", () => receiver.at("/staff").filter(ours).length, (n) => n >= 2);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may arrive
    const acmeGot = receiver.at("/acme");
    expect(acmeGot.length).toBe(5);
    expect(new Set(acmeGot.map((r) => r.id)).size).toBe(5);
    expect(acmeGot.map((r) => r.type).sort()).toEqual(["invoice.issued", "order.status_changed", "order.status_changed", "order.status_changed", "quotation.issued"]);
    for (const r of acmeGot) expect((JSON.parse(r.body) as { data: { orderId: string } }).data.orderId).toBe(own.orderId);

    const staffGot = receiver.at("/staff").filter(ours);
    expect(staffGot.map((r) => (JSON.parse(r.body) as { data: { number: string } }).data.number).sort()).toEqual([own.invoice.number, other.invoice.number].sort());

    // Signatures verify with the standardwebhooks library and the secret shown at creation; a wrong secret fails.
    for (const r of acmeGot) {
      const verified = new Webhook(acme.secret).verify(r.body, { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature });
      expect((verified as { type: string }).type).toBe(r.type);
      expect(() => new Webhook(staff.secret).verify(r.body, { "webhook-id": r.id, "webhook-timestamp": r.timestamp, "webhook-signature": r.signature })).toThrow();
    }
    // The log holds one successful attempt per delivery.
    const [log] = await rows<{ n: number; ok: number }>(sql`select count(*)::int as n, count(*) filter (where succeeded and status_code = 204)::int as ok from webhook_deliveries where endpoint_id = ${acme.endpoint.id}`);
    expect(log).toEqual({ n: 5, ok: 5 });
  });

  it("retries a 500-ing receiver with growing delays, logs each attempt, then a replay sends the same id once", async () => {
    receiver.behaviour.set("/fail", (_req, res, n) => (n <= 4 ? res.writeHead(500).end("down for maintenance") : res.writeHead(200).end("ok")));
    const company = await freshCompany();
    const failing = await endpoint(company.adminEmail, "/fail", ["invoice.issued"]);
    await invoicedOrder("3.00", { buyer: company.buyer });
    const got = await until("5 attempts", () => receiver.at("/fail").map((r) => r.at), (r) => r.length >= 5, 90_000).then(() => receiver.at("/fail"));
    expect(new Set(got.map((r) => r.id)).size).toBe(1);
    // retryDelay 1 s, backoff with jitter: retry n waits between 2^n/2 and 2^n seconds (plus polling).
    const gaps = got.slice(1, 5).map((r, i) => r.at - got[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[2]).toBeGreaterThanOrEqual(1900);
    expect(gaps[3]).toBeGreaterThanOrEqual(3900);
    expect(gaps[3]).toBeGreaterThan(gaps[0]!);
    const log = await until(
      "5 logged attempts",
      () => rows<{ attempt: number; succeeded: boolean; status_code: number; response_excerpt: string; next: boolean }>(sql`
        select attempt, succeeded, status_code, response_excerpt, next_attempt_at is not null as next
        from webhook_deliveries where endpoint_id = ${failing.endpoint.id} order by attempt`),
      (r) => r.length >= 5,
    );
    expect(log.map((l) => [l.attempt, l.succeeded, l.status_code, l.response_excerpt, l.next])).toEqual([
      [1, false, 500, "down for maintenance", true],
      [2, false, 500, "down for maintenance", true],
      [3, false, 500, "down for maintenance", true],
      [4, false, 500, "down for maintenance", true],
      [5, true, 200, "ok", false],
    ]);
    const [endpointRow] = await rows<{ failure_count: number; enabled: boolean }>(sql`select failure_count, enabled from webhook_endpoints where id = ${failing.endpoint.id}`);
    expect(endpointRow).toEqual({ failure_count: 0, enabled: true });

    const owner = await actorByEmail(company.adminEmail);
    const replay = await runMutation(replayWebhookDelivery, { actor: owner, request: request(), idempotencyKey: testKey("replay") }, { endpointId: failing.endpoint.id, eventId: got[0]!.id });
    expect(replay.ok).toBe(true);
    await until("the replay", () => receiver.at("/fail").length, (n) => n >= 6);
    expect(receiver.at("/fail")[5]!.id).toBe(got[0]!.id);
    const acmeAdmin = await actorByEmail("approver@acme.test");
    const foreign = await runMutation(replayWebhookDelivery, { actor: acmeAdmin, request: request(), idempotencyKey: testKey("replay") }, { endpointId: failing.endpoint.id, eventId: got[0]!.id });
    expect(foreign).toMatchObject({ ok: false, code: "not_found" });
  }, 120_000);
});

describe("automatic disabling", () => {
  it(`disables after ${WEBHOOK_POLICY.DISABLE_AFTER_FAILURES} consecutive failures only once the first is ${WEBHOOK_POLICY.DISABLE_AFTER_HOURS} h old; a success resets the streak`, async () => {
    const ep = await endpoint((await freshCompany()).adminEmail, "/streak", ["invoice.issued"]);
    const [event] = await rows<{ id: string }>(sql`insert into outbox_events (type, payload, relayed_at, notified_at) values ('invoice.issued', '{}', now(), now()) returning id`);
    const t0 = new Date("2026-11-01T00:00:00Z");
    const attempt = (succeeded: boolean, at: Date) =>
      recordDeliveryAttempt(db, { endpointId: ep.endpoint.id, eventId: event!.id, succeeded, statusCode: succeeded ? 200 : 500, error: null, durationMs: 5, responseExcerpt: null, nextAttemptAt: null, manual: false, now: at });
    const hour = 3600_000;
    // 14 failures over 30 hours, then a success: reset.
    for (let i = 0; i < 14; i++) expect((await attempt(false, new Date(t0.getTime() + i * 2 * hour))).failureCount).toBe(i + 1);
    expect(await attempt(true, new Date(t0.getTime() + 30 * hour))).toEqual({ failureCount: 0, enabled: true, disabledNow: false });
    // 20 failures within 23 hours: still enabled (one bad day is not enough) …
    const t1 = t0.getTime() + 31 * hour;
    for (let i = 0; i < 20; i++) expect((await attempt(false, new Date(t1 + i * hour))).enabled).toBe(true);
    // … the next failure, 24 h after the first of the streak, disables it.
    expect(await attempt(false, new Date(t1 + 24 * hour))).toEqual({ failureCount: 21, enabled: false, disabledNow: true });
    const [row] = await rows<{ enabled: boolean; disabled_reason: string; disabled_at: Date | string }>(sql`select enabled, disabled_reason, disabled_at from webhook_endpoints where id = ${ep.endpoint.id}`);
    expect(row!.disabled_reason).toBe("failures");
    expect(new Date(row!.disabled_at).toISOString()).toBe(new Date(t1 + 24 * hour).toISOString());
    const [n] = await rows<{ n: number }>(sql`select count(*)::int as n from webhook_deliveries where endpoint_id = ${ep.endpoint.id}`);
    expect(n!.n).toBe(36);
  });
});

describe.runIf(isPostgres())("a separate worker process killed with SIGKILL", () => {
  const workers: ChildProcess[] = [];
  const startChild = () => {
    // node itself with tsx as a loader: the tsx CLI would run the worker in a grandchild that SIGKILL misses.
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/jobs.ts", "--worker"], {
      env: { ...process.env, DATABASE_URL: env().DATABASE_URL, LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    workers.push(child);
    return child;
  };
  const kill = (child: ChildProcess) => new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });

  beforeAll(async () => {
    await stopWorker();
  });
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) await kill(w);
  });

  it("delivers each event exactly once per endpoint: killed before delivery, and between delivery and marking", async () => {
    // The first request is received and never answered: the worker is killed while it waits, so the
    // delivery happened but was never marked. Later requests succeed.
    // The worker is SIGKILLed the moment the first request arrives, well within its 1 s timeout.
    const held: ServerResponse[] = [];
    let killOnReceipt: ChildProcess | null = null;
    receiver.behaviour.set("/crash", (_req, res, n) => {
      if (n > 1) return void res.writeHead(200).end();
      held.push(res);
      killOnReceipt?.kill("SIGKILL");
    });
    const company = await freshCompany();
    const ep = await endpoint(company.adminEmail, "/crash", ["invoice.issued", "quotation.issued"]);

    // Committed while no worker runs (killed between commit and delivery: nothing is lost).
    const first = startChild();
    await kill(first);
    await invoicedOrder("5.00", { buyer: company.buyer });
    await invoicedOrder("6.00", { buyer: company.buyer });
    expect(receiver.at("/crash").length).toBe(0);

    const second = startChild();
    const secondExit = new Promise((resolve) => second.once("exit", resolve));
    killOnReceipt = second;
    await until("the first request", () => held.length, (n) => n === 1, 60_000);
    expect(await secondExit).toBe(null); // killed by the signal: between delivery and marking
    expect(second.signalCode).toBe("SIGKILL");
    for (const res of held) res.destroy();

    startChild();
    // 2 orders × (quotation + invoice) = 4 distinct events; the held one arrives again once its job expires.
    await until("4 distinct events", () => receiver.at("/crash"), (r) => new Set(r.map((x) => x.id)).size >= 4 && r.length >= 5, 90_000);
    await new Promise((r) => setTimeout(r, 2000));
    const all = receiver.at("/crash");
    expect(new Set(all.map((r) => r.id)).size).toBe(4);
    // The killed worker had its batch in flight: the held request and any others it had sent but not
    // marked come again, once each (at least once; the receiver dedupes on webhook-id), none is lost.
    const perId = [...new Set(all.map((r) => r.id))].map((id) => all.filter((r) => r.id === id).length);
    expect(perId.every((n) => n === 1 || n === 2)).toBe(true);
    expect(all.filter((r) => r.id === all[0]!.id).length).toBe(2);
    expect(all.length).toBeGreaterThanOrEqual(5);
    const failed = await rows<{ error: string; status_code: number }>(sql`select error, status_code from webhook_deliveries where endpoint_id = ${ep.endpoint.id} and not succeeded`);
    expect(failed).toEqual([]);
    const [log] = await rows<{ n: number; ok: number }>(sql`select count(*)::int as n, count(*) filter (where succeeded)::int as ok from webhook_deliveries where endpoint_id = ${ep.endpoint.id}`);
    expect(log).toEqual({ n: 4, ok: 4 });
  }, 180_000);
});
