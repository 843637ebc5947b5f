import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// The relay sends each delivery's first attempt itself, straight after its claim commits; the queue
// carries what follows (retries, deliveries left over, recovery after a crash). Short retry delays and
// timeouts, so retries and guards come due within seconds.
vi.hoisted(() => {
  process.env.WEBHOOK_ALLOW_HTTP_LOCALHOST = "true";
  process.env.WEBHOOK_RETRY_DELAY_SECONDS = "1";
  process.env.WEBHOOK_TIMEOUT_MS = "1000";
  process.env.JOBS_SUPERVISE_INTERVAL_SECONDS = "1";
});

import { db } from "@/db/client";
import { insertEndpoint } from "@/db/queries/webhooks";
import { WEBHOOK_POLICY } from "@/lib/domain/webhook-events";
import { env } from "@/lib/env";
import { newWebhookSecret } from "@/lib/services/webhooks";
import { isPostgres, rows, setupTestDatabase, until } from "@/lib/testing/helpers";
import { QUEUES, startJobQueue, stopJobQueue } from "./queue";
import { DIRECT_PER_ENDPOINT, relayWebhooks } from "./webhooks";
import { startWorker, stopWorker } from "./worker";

setupTestDatabase();

type Received = { path: string; id: string; timestamp: string; signature: string; body: string; at: number };

/** A local receiver: records every request; each path answers as the test sets it (204 otherwise). */
const received: Received[] = [];
const behaviour = new Map<string, (req: IncomingMessage, res: ServerResponse, n: number) => void>();
const server: Server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const entry = {
      path: req.url ?? "",
      id: String(req.headers["webhook-id"]),
      timestamp: String(req.headers["webhook-timestamp"]),
      signature: String(req.headers["webhook-signature"]),
      body: Buffer.concat(chunks).toString("utf8"),
      at: Date.now(),
    };
    received.push(entry);
    const answer = behaviour.get(entry.path);
    if (answer) answer(req, res, received.filter((r) => r.path === entry.path).length);
    else res.writeHead(204).end();
  });
});
const at = (p: string) => received.filter((r) => r.path === p);
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stopWorker();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** A company of this test's own with an endpoint at `p` (a company endpoint sees only its company's events). */
async function companyEndpoint(p: string) {
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Direct ${p} ${Date.now()}`}, 'EUR', 100000000) returning id`);
  const secret = newWebhookSecret();
  const endpoint = await insertEndpoint(db, { companyId: company!.id, url: `${base}${p}`, description: p, eventTypes: ["invoice.issued"], secret, createdBy: null });
  return { companyId: company!.id, endpointId: endpoint.id, secret };
}

/** `n` invoice events of the company, already notified (this file is about webhooks). */
async function events(companyId: string, n: number): Promise<string[]> {
  const inserted = await rows<{ id: string }>(sql`
    insert into outbox_events (type, company_id, payload, notified_at)
    select 'invoice.issued', ${companyId}::uuid, jsonb_build_object('number', 'INV-D-' || g, 'orderId', gen_random_uuid()), now()
    from generate_series(1, ${n}) g returning id`);
  return inserted.map((r) => r.id);
}

type JobRow = { id: string; state: string; event_id: string; retry_limit: number; retry_delay: number; due_in_ms: number; start_after: Date | string };
const jobsOf = (endpointId: string) =>
  rows<JobRow>(sql`
    select id, state::text as state, data->>'eventId' as event_id, retry_limit, retry_delay, start_after,
           (extract(epoch from start_after - now()) * 1000)::int as due_in_ms
    from pgboss.job where name = ${QUEUES.deliver} and data->>'endpointId' = ${endpointId} order by start_after, id`);

type LogRow = { event_id: string; attempt: number; succeeded: boolean; status_code: number | null; attempted_at: Date | string; next_attempt_at: Date | string | null };
const logOf = (endpointId: string) =>
  rows<LogRow>(sql`
    select event_id, attempt, succeeded, status_code, attempted_at, next_attempt_at
    from webhook_deliveries where endpoint_id = ${endpointId} order by attempted_at, attempt`);

describe("the relay's own first attempt (no worker running)", () => {
  let boss: PgBoss;
  beforeAll(async () => {
    boss = await startJobQueue({ worker: false });
  });
  afterAll(async () => {
    await stopJobQueue();
  });

  it("delivers a claimed event itself, signed, logs the attempt and leaves no job behind", async () => {
    const ep = await companyEndpoint("/direct-ok");
    const [eventId] = await events(ep.companyId, 1);
    await relayWebhooks(boss, { wait: true });
    // No worker exists in this process or any other of this file: the relay sent it.
    const got = at("/direct-ok");
    expect(got.map((r) => r.id)).toEqual([eventId]);
    const verified = new Webhook(ep.secret).verify(got[0]!.body, { "webhook-id": got[0]!.id, "webhook-timestamp": got[0]!.timestamp, "webhook-signature": got[0]!.signature });
    expect(verified).toMatchObject({ type: "invoice.issued", data: { number: "INV-D-1" } });
    const log = await logOf(ep.endpointId);
    expect(log.map((l) => [l.event_id, l.attempt, l.succeeded, l.status_code, l.next_attempt_at])).toEqual([[eventId, 1, true, 204, null]]);
    // The guard job the claim enqueued is gone with the logged success.
    expect(await jobsOf(ep.endpointId)).toEqual([]);
  });

  it("turns a failed first attempt into a retry job due after the backoff, which a worker then sends with the same webhook-id", async () => {
    behaviour.set("/direct-fail", (_req, res, n) => (n === 1 ? res.writeHead(503).end("busy") : res.writeHead(200).end("ok")));
    const ep = await companyEndpoint("/direct-fail");
    const [eventId] = await events(ep.companyId, 1);
    await relayWebhooks(boss, { wait: true });
    expect(at("/direct-fail").map((r) => r.id)).toEqual([eventId]);

    const [first] = await logOf(ep.endpointId);
    expect([first!.attempt, first!.succeeded, first!.status_code]).toEqual([1, false, 503]);
    // The first retry waits retryDelay × 1–2 (pg-boss's backoff for a job's second attempt) …
    const wait = new Date(first!.next_attempt_at!).getTime() - new Date(first!.attempted_at).getTime();
    expect(wait).toBeGreaterThanOrEqual(1000);
    expect(wait).toBeLessThanOrEqual(2000);
    // … in one job that replaced the guard: the attempts left and a doubled base delay, so its own
    // retries go on doubling from there (the same attempts and delays as a job's first failure).
    const jobs = await jobsOf(ep.endpointId);
    expect(jobs.map((j) => [j.event_id, j.state, j.retry_limit, j.retry_delay])).toEqual([[eventId, "created", WEBHOOK_POLICY.RETRY_LIMIT - 1, 2]]);
    expect(new Date(jobs[0]!.start_after).toISOString()).toBe(new Date(first!.next_attempt_at!).toISOString());

    await stopJobQueue();
    await startWorker({ deliveryBatch: 10 });
    const both = await until("the retry", () => at("/direct-fail"), (r) => r.length >= 2, 30_000);
    expect(both.map((r) => r.id)).toEqual([eventId, eventId]);
    expect(both[1]!.at - both[0]!.at).toBeGreaterThanOrEqual(950);
    const log = await until("2 logged attempts", () => logOf(ep.endpointId), (l) => l.length >= 2);
    expect(log.map((l) => [l.attempt, l.succeeded, l.status_code])).toEqual([
      [1, false, 503],
      [2, true, 200],
    ]);
    const [endpoint] = await rows<{ failure_count: number; enabled: boolean }>(sql`select failure_count, enabled from webhook_endpoints where id = ${ep.endpointId}`);
    expect(endpoint).toEqual({ failure_count: 0, enabled: true });
    await stopWorker();
  }, 60_000);
});

describe("what the relay leaves to the queue", () => {
  let boss: PgBoss;
  beforeAll(async () => {
    boss = await startJobQueue({ worker: false });
  });
  afterAll(async () => {
    await stopJobQueue();
  });

  it("queues the deliveries of an endpoint in a failure streak, due now, without trying them itself", async () => {
    const ep = await companyEndpoint("/streak");
    await db.execute(sql`update webhook_endpoints set failure_count = 3, first_failure_at = now() - interval '1 hour' where id = ${ep.endpointId}`);
    const ids = await events(ep.companyId, 3);
    await relayWebhooks(boss, { wait: true });
    expect(at("/streak")).toEqual([]);
    const jobs = await jobsOf(ep.endpointId);
    expect(jobs.map((j) => j.event_id).sort()).toEqual([...ids].sort());
    for (const j of jobs) {
      expect([j.state, j.retry_limit, j.retry_delay]).toEqual(["created", WEBHOOK_POLICY.RETRY_LIMIT, 1]);
      expect(j.due_in_ms).toBeLessThanOrEqual(0);
    }
    expect(await logOf(ep.endpointId)).toEqual([]);
  });

  it(`after an endpoint's first failure in a batch, sends none of its later deliveries (${DIRECT_PER_ENDPOINT} POSTs at once per endpoint)`, async () => {
    behaviour.set("/down", (_req, res) => res.writeHead(500).end("down"));
    const ep = await companyEndpoint("/down");
    const n = DIRECT_PER_ENDPOINT + 36;
    const ids = await events(ep.companyId, n);
    await relayWebhooks(boss, { wait: true });
    // The first DIRECT_PER_ENDPOINT start together, before any answer; once one has failed, the rest are queued.
    expect(at("/down")).toHaveLength(DIRECT_PER_ENDPOINT);
    const tried = new Set(at("/down").map((r) => r.id));
    const log = await logOf(ep.endpointId);
    expect(log).toHaveLength(DIRECT_PER_ENDPOINT);
    expect(log.every((l) => !l.succeeded && l.status_code === 500 && l.attempt === 1 && l.next_attempt_at !== null)).toBe(true);
    // One job per delivery, no guard left: retries after the backoff for those tried, due now for the rest.
    const jobs = await jobsOf(ep.endpointId);
    expect(jobs.map((j) => j.event_id).sort()).toEqual([...ids].sort());
    const retries = jobs.filter((j) => tried.has(j.event_id));
    const queued = jobs.filter((j) => !tried.has(j.event_id));
    expect(retries).toHaveLength(DIRECT_PER_ENDPOINT);
    expect(retries.every((j) => j.retry_limit === WEBHOOK_POLICY.RETRY_LIMIT - 1 && j.due_in_ms > 0)).toBe(true);
    expect(queued).toHaveLength(36);
    expect(queued.every((j) => j.retry_limit === WEBHOOK_POLICY.RETRY_LIMIT && j.due_in_ms <= 0)).toBe(true);
    const [endpoint] = await rows<{ failure_count: number }>(sql`select failure_count from webhook_endpoints where id = ${ep.endpointId}`);
    expect(endpoint!.failure_count).toBe(DIRECT_PER_ENDPOINT);
  });
});

describe.runIf(isPostgres())("a worker process killed after the relay's POST, before its attempt is logged", () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
  });

  it("leaves the guard job, which sends the event again with the same webhook-id once it comes due", async () => {
    await stopWorker();
    const held: ServerResponse[] = [];
    let child: ChildProcess | null = null;
    behaviour.set("/killed", (_req, res, n) => {
      if (n > 1) return void res.writeHead(200).end();
      held.push(res);
      child?.kill("SIGKILL");
    });
    const ep = await companyEndpoint("/killed");
    const [eventId] = await events(ep.companyId, 1);
    // node with tsx as a loader: the tsx CLI would run the worker in a grandchild that SIGKILL misses.
    child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", "lib/cli/jobs.ts", "--worker"], {
      env: { ...process.env, DATABASE_URL: env().DATABASE_URL, LOG_LEVEL: "warn" },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(child);
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    await until("the relay's POST", () => held.length, (n) => n === 1, 60_000);
    expect(await exited).toBe(null);
    expect(child.signalCode).toBe("SIGKILL");
    for (const res of held) res.destroy();

    // Claimed and relayed, nothing logged: the guard waits, due 2 × the timeout + 10 s after the claim.
    const [event] = await rows<{ relayed: boolean }>(sql`select relayed_at is not null as relayed from outbox_events where id = ${eventId}`);
    expect(event!.relayed).toBe(true);
    expect(await logOf(ep.endpointId)).toEqual([]);
    const [guard] = await jobsOf(ep.endpointId);
    expect([guard!.event_id, guard!.state, guard!.retry_limit]).toEqual([eventId, "created", WEBHOOK_POLICY.RETRY_LIMIT]);
    expect(guard!.due_in_ms).toBeGreaterThan(0);
    expect(guard!.due_in_ms).toBeLessThanOrEqual(2 * env().WEBHOOK_TIMEOUT_MS + 10_000);

    await startWorker({ deliveryBatch: 10 });
    const got = await until("the second send", () => at("/killed"), (r) => r.length >= 2, 60_000);
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may arrive
    expect(at("/killed").map((r) => r.id)).toEqual([eventId, eventId]);
    expect(got[1]!.at - got[0]!.at).toBeGreaterThanOrEqual(guard!.due_in_ms - 1000);
    const log = await logOf(ep.endpointId);
    expect(log.map((l) => [l.attempt, l.succeeded, l.status_code])).toEqual([[1, true, 200]]);
    const [settled] = await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where name = ${QUEUES.deliver} and id = ${guard!.id} and state = 'completed'`);
    expect(settled!.n).toBe(1);
  }, 120_000);
});
