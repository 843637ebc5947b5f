import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import type { JobWithMetadata } from "pg-boss";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The production defaults, whatever the shell says: no http://localhost, no private networks.
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_HTTP_LOCALHOST = "false";
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = "false";
  process.env.WEBHOOK_TIMEOUT_MS = "2000";
});

import { db } from "@/db/client";
import { insertEndpoint, recordDeliveryAttempts } from "@/db/queries/webhooks";
import { rows, setupTestDatabase } from "@/lib/testing/helpers";
import { addressPolicy, createDeliveryAgent, deliverOne, postWebhook, type DeliverJob } from "./webhooks";

setupTestDatabase();

// A receiver on this machine stands for an internal service an endpoint's host name may resolve to
// ("localhost" resolves to 127.0.0.1 here, as a rebinding name would after registration).
let hits = 0;
const server = createServer((req, res) => {
  hits++;
  req.resume();
  req.on("end", () => res.writeHead(204).end());
});
let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const strict = { allowLoopback: false, allowPrivateNetworks: false };
const loopback = { allowLoopback: true, allowPrivateNetworks: false };
const post = (url: string, policy: typeof strict) =>
  postWebhook(url, { "content-type": "application/json" }, "{}", { agent: createDeliveryAgent(policy, 2), policy, timeoutMs: 2000 });

function job(endpointId: string, eventId: string): JobWithMetadata<DeliverJob> {
  const signal = new AbortController().signal;
  return { id: randomUUID(), data: { endpointId, eventId }, retryCount: 0, retryLimit: 15, retryDelay: 30, retryDelayMax: 21600, signal } as unknown as JobWithMetadata<DeliverJob>;
}

describe("webhook deliveries check the address they connect to (SSRF, DNS rebinding)", () => {
  it("reads the production default from the configuration: loopback and private networks refused", () => {
    expect(addressPolicy()).toEqual(strict);
  });

  it("refuses a host name resolving to loopback, and a literal loopback address, before sending a byte", async () => {
    hits = 0;
    expect(await post(`http://localhost:${port}/h`, strict)).toMatchObject({
      statusCode: null,
      error: "localhost resolves to 127.0.0.1: refused: 127.0.0.1 is this machine (loopback)",
    });
    expect(await post(`http://127.0.0.1:${port}/h`, strict)).toMatchObject({ statusCode: null, error: "refused: 127.0.0.1 is this machine (loopback)" });
    expect(await post(`http://[::ffff:127.0.0.1]:${port}/h`, strict)).toMatchObject({ statusCode: null, error: "refused: ::ffff:7f00:1 is this machine (loopback)" });
    expect(hits).toBe(0);
  });

  it("delivers to the same receiver when the setting allows this machine", async () => {
    hits = 0;
    expect(await post(`http://localhost:${port}/h`, loopback)).toMatchObject({ statusCode: 204, error: null });
    expect(await post(`http://127.0.0.1:${port}/h`, loopback)).toMatchObject({ statusCode: 204, error: null });
    expect(hits).toBe(2);
  });

  it("logs a refused delivery as a failed attempt that pg-boss retries; the allowed agent then delivers it", async () => {
    hits = 0;
    // Inserted directly: the URL passed registration once (a public name); it now resolves to loopback.
    const ep = await insertEndpoint(db, { companyId: null, url: `http://localhost:${port}/rebound`, description: "rebinding", eventTypes: ["invoice.issued"], secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`, createdBy: null });
    const [event] = await rows<{ id: string }>(sql`insert into outbox_events (type, payload) values ('invoice.issued', '{"number":"INV-SSRF"}'::jsonb) returning id`);

    const refused = await deliverOne(job(ep.id, event!.id));
    expect(refused).toMatchObject({ status: "failed", output: { statusCode: null, error: "localhost resolves to 127.0.0.1: refused: 127.0.0.1 is this machine (loopback)" } });
    const allowed = await deliverOne(job(ep.id, event!.id), undefined, undefined, createDeliveryAgent(loopback, 2));
    expect(allowed).toMatchObject({ status: "completed", output: { statusCode: 204 } });
    expect(hits).toBe(1);

    const log = await rows<{ attempt: number; succeeded: boolean; status_code: number | null; error: string | null }>(
      sql`select attempt, succeeded, status_code, error from webhook_deliveries where endpoint_id = ${ep.id} order by attempt`,
    );
    expect(log).toEqual([
      { attempt: 1, succeeded: false, status_code: null, error: "localhost resolves to 127.0.0.1: refused: 127.0.0.1 is this machine (loopback)" },
      { attempt: 2, succeeded: true, status_code: 204, error: null },
    ]);
    const [streak] = await rows<{ failure_count: number; enabled: boolean }>(sql`select failure_count, enabled from webhook_endpoints where id = ${ep.id}`);
    expect(streak).toEqual({ failure_count: 0, enabled: true });
  });
});

describe("the batched attempt log", () => {
  it("numbers attempts per event and moves the streak in finishing order: failures after the batch's last success", async () => {
    const ep = await insertEndpoint(db, { companyId: null, url: "https://erp.example.com/batch", description: "batch", eventTypes: ["invoice.issued"], secret: `whsec_${Buffer.alloc(32, 9).toString("base64")}`, createdBy: null });
    const [e1, e2] = await rows<{ id: string }>(sql`insert into outbox_events (type, payload) values ('invoice.issued', '{}'::jsonb), ('invoice.issued', '{}'::jsonb) returning id`);
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const a = (eventId: string, succeeded: boolean, s: number) => ({ endpointId: ep.id, eventId, succeeded, statusCode: succeeded ? 200 : 500, error: null, durationMs: 1, responseExcerpt: null, nextAttemptAt: null, manual: false, now: at(s) });
    // Given out of order: the statement orders by finishing time.
    const out = await recordDeliveryAttempts(db, [a(e1!.id, false, 4), a(e2!.id, false, 1), a(e1!.id, true, 2), a(e2!.id, false, 3)]);
    expect(out.get(ep.id)).toEqual({ failureCount: 2, enabled: true, disabledNow: false });
    const [row] = await rows<{ failure_count: number; first_failure_at: Date }>(sql`select failure_count, first_failure_at from webhook_endpoints where id = ${ep.id}`);
    expect(row!.failure_count).toBe(2);
    expect(new Date(row!.first_failure_at).toISOString()).toBe(at(3).toISOString());
    const log = await rows<{ event_id: string; attempt: number; succeeded: boolean }>(sql`select event_id, attempt, succeeded from webhook_deliveries where endpoint_id = ${ep.id} order by attempted_at`);
    expect(log).toEqual([
      { event_id: e2!.id, attempt: 1, succeeded: false },
      { event_id: e1!.id, attempt: 1, succeeded: true },
      { event_id: e2!.id, attempt: 2, succeeded: false },
      { event_id: e1!.id, attempt: 2, succeeded: false },
    ]);
    // A batch of failures only extends the streak and keeps its start.
    const more = await recordDeliveryAttempts(db, [a(e1!.id, false, 5)]);
    expect(more.get(ep.id)).toEqual({ failureCount: 3, enabled: true, disabledNow: false });
    // An endpoint deleted while its POSTs were under way: its attempts are dropped, not an error.
    await rows(sql`delete from webhook_endpoints where id = ${ep.id}`);
    expect((await recordDeliveryAttempts(db, [a(e1!.id, true, 6)])).size).toBe(0);
  });
});
