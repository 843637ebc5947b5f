import "server-only";
import { randomUUID } from "node:crypto";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { sql } from "drizzle-orm";
import { fromDrizzle, type JobInsert, type JobResult, type JobWithMetadata, type PgBoss } from "pg-boss";
import { Agent, type Dispatcher } from "undici";
import { db, type DbOrTx } from "@/db/client";
import {
  claimEventsForRelay,
  getDeliveryTarget,
  tryLockOutboxConsumer,
  getDeliveryTargets,
  recordDeliveryAttempts,
  type AttemptOutcome,
  type AttemptRecord,
  type ClaimedDelivery,
  type DeliveryTarget,
  type RelayTarget,
} from "@/db/queries/webhooks";
import { WEBHOOK_POLICY } from "@/lib/domain/webhook-events";
import { deliveryAddressProblem, type AddressPolicy } from "@/lib/domain/webhook-url";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { notifyOutbox } from "./notify";
import { signWebhook } from "./webhook-signature";
import { QUEUES } from "./queue";

export type DeliverJob = { endpointId: string; eventId: string; manual?: boolean };

/** The retry options every delivery job carries (WEBHOOK_POLICY; the base delay from lib/env.ts). */
export function deliveryJobOptions(manual = false) {
  const e = env();
  return {
    retryLimit: manual ? 0 : WEBHOOK_POLICY.RETRY_LIMIT,
    retryDelay: e.WEBHOOK_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    retryDelayMax: WEBHOOK_POLICY.RETRY_DELAY_MAX_SECONDS,
    // A worker killed mid-delivery leaves its job active; it comes back this long after it started
    // (plus up to JOBS_SUPERVISE_INTERVAL_SECONDS). Longer than any delivery may take.
    expireInSeconds: Math.ceil(e.WEBHOOK_TIMEOUT_MS / 1000) + 5,
  };
}

/**
 * Enqueues deliveries inside the caller's transaction (pg-boss's drizzle adapter): they exist
 * exactly when the transaction commits (the relay's claim, a replay's audit row).
 */
export async function enqueueDeliveries(boss: PgBoss, tx: DbOrTx, targets: readonly (RelayTarget & { manual?: boolean })[]): Promise<void> {
  await insertDeliveryJobs(
    boss,
    tx,
    targets.map((t) => ({
      data: { endpointId: t.endpointId, eventId: t.eventId, ...(t.manual ? { manual: true } : {}) },
      ...deliveryJobOptions(t.manual),
    })),
  );
}

async function insertDeliveryJobs(boss: PgBoss, tx: DbOrTx, jobs: JobInsert<DeliverJob>[]): Promise<void> {
  if (jobs.length === 0) return;
  // drizzle's execute() is typed as unknown rows; the adapter reads both drivers' shapes (array or { rows }).
  await boss.insert(QUEUES.deliver, jobs, { db: fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql) });
}

const RELAY_BATCH = 500;

/** POSTs in flight at once per endpoint while the relay sends a batch's first attempts itself. */
export const DIRECT_PER_ENDPOINT = 64;

/** A relay run hands on to a fresh run after this long (the relay queue's jobs expire after 120 s). */
const RELAY_RUN_MS = 60_000;

/**
 * The first attempt of a claimed delivery is sent by the relay itself, straight after the claim
 * commits, instead of by a delivery job fetched from the queue: no fetch, no second read of the
 * endpoint and event, no wait for a poll. What makes that safe is a guard job: the claim's
 * transaction enqueues each delivery's job as always, but due only this long after the claim. Once
 * the first attempt is logged, one transaction replaces the guard with what comes next (nothing
 * after a success; a retry job due after the backoff after a failure). A relay killed between the
 * claim and that transaction leaves the guard, which a worker delivers when it comes due: the
 * same event with the same webhook-id (at least once). The relay starts no POST later than
 * `guardStartBy` after the claim (the rest wait for their guard, which then is due soon), so
 * a guard never comes due while its first attempt may still be under way.
 */
function guardTiming(): { dueAfterMs: number; startByMs: number } {
  const timeout = env().WEBHOOK_TIMEOUT_MS;
  return { dueAfterMs: 2 * timeout + 10_000, startByMs: timeout + 5_000 };
}

/** The first retry after a failed first attempt: pg-boss's backoff for attempt 2 (retryDelay × 1–2). */
function firstRetryAt(now: Date): Date {
  return new Date(now.getTime() + env().WEBHOOK_RETRY_DELAY_SECONDS * 1000 * (1 + Math.random()));
}

/**
 * The job that carries a delivery on after its first attempt failed: due at `startAfter` (the first
 * retry), one retry fewer, and the base delay doubled, so its own retries wait as a job's 3rd, 4th …
 * attempts would (pg-boss doubles from the base delay on each retry): the same attempts, the same
 * backoff as a delivery whose first attempt was a job's.
 */
function retryJob(t: RelayTarget, startAfter: Date): JobInsert<DeliverJob> {
  const o = deliveryJobOptions();
  return { data: { endpointId: t.endpointId, eventId: t.eventId }, ...o, retryLimit: o.retryLimit - 1, retryDelay: o.retryDelay * 2, startAfter };
}

type Claimed = { claimed: number; deliveries: number; direct: (ClaimedDelivery & { guardId: string })[]; claimedAt: number };

/**
 * One claim: the next batch of unrelayed events marked relayed, and their deliveries enqueued in the
 * same transaction: as guards for the relay's own first attempt, or due now for an endpoint in a
 * failure streak (its retries have the queue's pace; the relay does not wait for its timeouts).
 * Null when another transaction holds the relay.
 */
async function claimBatch(boss: PgBoss): Promise<Claimed | null> {
  const { dueAfterMs } = guardTiming();
  return db.transaction(async (tx) => {
    if (!(await tryLockOutboxConsumer(tx, "relay"))) return null;
    const claimedAt = Date.now();
    const batch = await claimEventsForRelay(tx, RELAY_BATCH);
    const direct: Claimed["direct"] = [];
    const jobs: JobInsert<DeliverJob>[] = [];
    // In seconds from the insert, by the database's clock (the one pg-boss compares it with).
    const guardDue = Math.ceil(dueAfterMs / 1000);
    for (const t of batch.targets) {
      const job: JobInsert<DeliverJob> = { data: { endpointId: t.endpointId, eventId: t.eventId }, ...deliveryJobOptions() };
      if (t.failureCount === 0) {
        const guardId = randomUUID();
        Object.assign(job, { id: guardId, startAfter: guardDue });
        direct.push({ ...t, guardId });
      }
      jobs.push(job);
    }
    await insertDeliveryJobs(boss, tx, jobs);
    return { claimed: batch.claimed, deliveries: batch.targets.length, direct, claimedAt };
  });
}

type DirectResult = { kind: "sent"; record: AttemptRecord } | { kind: "queued" };

/**
 * The first attempts of a claimed batch: up to DIRECT_PER_ENDPOINT POSTs at once per endpoint, in
 * the batch's order. After an endpoint's first failure in the batch, and for any POST that would
 * start after `startBy`, the rest are left to the queue.
 */
async function sendFirstAttempts(targets: Claimed["direct"], startBy: number, agent: Dispatcher): Promise<DirectResult[]> {
  const results: DirectResult[] = new Array(targets.length);
  const byEndpoint = new Map<string, number[]>();
  targets.forEach((t, i) => {
    const list = byEndpoint.get(t.endpointId);
    if (list) list.push(i);
    else byEndpoint.set(t.endpointId, [i]);
  });
  const policy = addressPolicy();
  const timeoutMs = env().WEBHOOK_TIMEOUT_MS;
  await Promise.all(
    [...byEndpoint.values()].flatMap((indexes) => {
      let next = 0;
      let failing = false;
      const lane = async () => {
        while (next < indexes.length) {
          const i = indexes[next++]!;
          const t = targets[i]!;
          if (failing || Date.now() > startBy) {
            results[i] = { kind: "queued" };
            continue;
          }
          const { response, succeeded, finished } = await sendSigned(t, t.eventId, agent, policy, timeoutMs);
          if (!succeeded) failing = true;
          results[i] = {
            kind: "sent",
            record: {
              endpointId: t.endpointId, eventId: t.eventId, succeeded, statusCode: response.statusCode, error: response.error, durationMs: response.durationMs,
              responseExcerpt: response.responseExcerpt, nextAttemptAt: succeeded ? null : firstRetryAt(finished), manual: false, now: finished,
            },
          };
        }
      };
      return Array.from({ length: Math.min(DIRECT_PER_ENDPOINT, indexes.length) }, lane);
    }),
  );
  return results;
}

/**
 * A claimed batch's first attempts, then one transaction: the attempts logged (and the endpoints'
 * failure streaks moved), a retry job for each failure whose endpoint still takes deliveries, a job
 * due now for each delivery left to the queue, and the batch's guards deleted.
 */
async function deliverClaimed(boss: PgBoss, batch: Claimed, agent: Dispatcher): Promise<void> {
  if (batch.direct.length === 0) return;
  const results = await sendFirstAttempts(batch.direct, batch.claimedAt + guardTiming().startByMs, agent);
  await db.transaction(async (tx) => {
    const records = results.flatMap((r) => (r.kind === "sent" ? [r.record] : []));
    const outcomes = await recordDeliveryAttempts(tx, records);
    const jobs: JobInsert<DeliverJob>[] = [];
    const warned = new Set<string>();
    results.forEach((r, i) => {
      const t = batch.direct[i]!;
      if (r.kind === "queued") return void jobs.push({ data: { endpointId: t.endpointId, eventId: t.eventId }, ...deliveryJobOptions() });
      if (r.record.succeeded) return;
      // No outcome: the endpoint was deleted meanwhile. Disabled (now, or by someone meanwhile): no retry.
      const outcome = outcomes.get(t.endpointId);
      if (!outcome?.enabled) {
        if (outcome?.disabledNow && !warned.has(t.endpointId)) {
          warned.add(t.endpointId);
          logger.warn("webhook endpoint disabled after repeated failures", { endpointId: t.endpointId, failures: outcome.failureCount });
        }
        return;
      }
      jobs.push(retryJob(t, r.record.nextAttemptAt!));
    });
    await insertDeliveryJobs(boss, tx, jobs);
    await boss.deleteJob(
      QUEUES.deliver,
      batch.direct.map((t) => t.guardId),
      { db: fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql) },
    );
  });
}

/**
 * One relay run: claims unrelayed events in batches, each batch in one transaction (the hand-off
 * from outbox to queue happens exactly once), and sends each batch's first attempts itself while the
 * next batch is claimed. Notifications are the outbox's other consumer (lib/jobs/notify.ts): nothing
 * here waits for them. `busy`: another run (another process's) holds the relay; with `wait` this one
 * waits its turn. `more`: the run handed on after RELAY_RUN_MS with events possibly left.
 */
export async function relayWebhooks(
  boss: PgBoss,
  opts: { wait?: boolean; agent?: Dispatcher } = {},
): Promise<{ events: number; deliveries: number; busy?: true; more?: true }> {
  const agent = opts.agent ?? deliveryAgent();
  const started = Date.now();
  let events = 0;
  let deliveries = 0;
  let delivering: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  // A batch's first attempts overlap the next claim; a failure (the log's transaction) leaves the
  // guards in place, which deliver later, and fails the run once the last batch is through.
  const deliver = (batch: Claimed) =>
    deliverClaimed(boss, batch, agent).catch((error: unknown) => {
      failure ??= error;
      logger.error("webhook first attempts could not be logged; their deliveries are left to the queue", { error });
    });
  const done = async <T>(result: T): Promise<T> => {
    await delivering;
    if (failure) throw failure;
    return result;
  };
  for (;;) {
    const batch = await claimBatch(boss);
    if (!batch) {
      if (!opts.wait) return done({ events, deliveries, busy: true as const });
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    events += batch.claimed;
    deliveries += batch.deliveries;
    await delivering;
    delivering = deliver(batch);
    if (batch.claimed < RELAY_BATCH) return done({ events, deliveries });
    if (Date.now() - started > RELAY_RUN_MS) return done({ events, deliveries, more: true as const });
  }
}

/**
 * Both consumers of the outbox until each is drained, one after the other, waiting for a run of
 * another process to finish (scripts and tests that hand events off without a worker).
 */
export async function relayOutbox(boss: PgBoss): Promise<{ events: number; deliveries: number; mails: number }> {
  let relayed = await relayWebhooks(boss, { wait: true });
  let events = relayed.events;
  let deliveries = relayed.deliveries;
  while (relayed.more) {
    relayed = await relayWebhooks(boss, { wait: true });
    events += relayed.events;
    deliveries += relayed.deliveries;
  }
  const notified = await notifyOutbox(boss, { wait: true });
  return { events, deliveries, mails: notified.mails };
}

/**
 * A fetched batch of delivery jobs: their targets read in one statement, the POSTs concurrently, and
 * all their attempts logged in one statement once every POST has finished. A job counts as done only
 * after its attempt is logged (pg-boss completes it after this returns): a crash in between re-sends
 * it (at least once, with the same webhook-id).
 */
export async function deliverBatch(jobs: JobWithMetadata<DeliverJob>[], agent: Dispatcher = deliveryAgent()): Promise<JobResult[]> {
  const targets = await getDeliveryTargets(db, jobs.map((j) => ({ endpointId: j.data.endpointId, eventId: j.data.eventId })));
  const sent = await Promise.all(jobs.map((job) => attempt(job, () => new Date(), targets.get(`${job.data.endpointId}:${job.data.eventId}`) ?? null, agent)));
  const outcomes = await recordDeliveryAttempts(db, sent.flatMap((s) => (s.record ? [s.record] : [])));
  const warned = new Set<string>();
  return sent.map((s) => finish(s, outcomes, warned));
}

/** Standard Webhooks body: { type, timestamp, data }, the same bytes on every attempt. */
export function webhookBody(t: { type: string; occurredAt: Date; payload: unknown }): string {
  return JSON.stringify({ type: t.type, timestamp: t.occurredAt.toISOString(), data: t.payload });
}

/** The retry delay pg-boss will at least wait before attempt `retryCount + 1` (backoff with jitter: half to all of it). */
function earliestRetry(job: JobWithMetadata<DeliverJob>, now: Date): Date | null {
  if (job.retryCount >= job.retryLimit) return null;
  const full = Math.min(job.retryDelayMax ?? Infinity, job.retryDelay * 2 ** Math.min(16, job.retryCount));
  return new Date(now.getTime() + (full / 2) * 1000);
}

// ---------------------------------------------------------------------------------------------
// HTTP: one keep-alive agent per process, checking the address it connects to
// ---------------------------------------------------------------------------------------------

/** Which private addresses this process's deliveries may reach (lib/env.ts). */
export function addressPolicy(): AddressPolicy {
  const e = env();
  return { allowLoopback: e.WEBHOOK_ALLOW_HTTP_LOCALHOST, allowPrivateNetworks: e.WEBHOOK_ALLOW_PRIVATE_NETWORKS };
}

/** An error a refused address fails the connection with (logged as the attempt's error). */
export class RefusedAddressError extends Error {
  code = "ERR_WEBHOOK_ADDRESS_REFUSED";
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * dns.lookup for the agent's sockets: resolves every address of the host and refuses the connection
 * when any of them is private (a name answering [public, private] must not let the connect pick the
 * private one). The check runs at each connect, so a name that turns private after registration
 * (DNS rebinding) is refused then.
 */
export function guardedLookup(policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const list = addresses as LookupAddress[];
      for (const a of list) {
        const problem = deliveryAddressProblem(a.address, policy);
        if (problem) return callback(new RefusedAddressError(`${hostname} resolves to ${a.address}: ${problem}`), "");
      }
      if (list.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" }), "");
      if (options.all) return callback(null, list);
      callback(null, list[0]!.address, list[0]!.family);
    });
  };
}

/**
 * A keep-alive agent (connections reused per origin, up to `connections` at once, unlimited when not given) whose sockets may
 * only reach addresses the policy allows. Literal IP hosts skip DNS, so deliverOne checks those itself.
 */
export function createDeliveryAgent(policy: AddressPolicy, connections?: number): Agent {
  return new Agent({
    connections: connections ?? null,
    keepAliveTimeout: 30_000,
    connect: { lookup: guardedLookup(policy) as never },
  });
}

const globalForAgent = globalThis as unknown as { __webhookAgent?: Agent };

/** This process's delivery agent. */
export function deliveryAgent(): Agent {
  globalForAgent.__webhookAgent ??= createDeliveryAgent(addressPolicy(), env().WEBHOOK_CONNECTIONS_PER_ORIGIN);
  return globalForAgent.__webhookAgent;
}

export type PostResult = { statusCode: number | null; error: string | null; responseExcerpt: string | null; durationMs: number };

/** A URL's parts as the agent takes them, parsed once per endpoint URL (a process knows few). */
const parsedUrls = new Map<string, { origin: string; path: string; host: string }>();
function parsedUrl(url: string) {
  let parsed = parsedUrls.get(url);
  if (!parsed) {
    const u = new URL(url);
    parsed = { origin: u.origin, path: `${u.pathname}${u.search}`, host: u.hostname.replace(/^\[|\]$/g, "") };
    if (parsedUrls.size >= 10_000) parsedUrls.clear();
    parsedUrls.set(url, parsed);
  }
  return parsed;
}

/**
 * One signed POST through the agent; never throws: a refused address, a network error or a timeout
 * is the attempt's error. Redirects are not followed (a 3xx is a failure, as before). The response
 * body is read up to RESPONSE_EXCERPT_CHARS characters, then the request is aborted (its socket
 * closed) rather than the rest read.
 *
 * Written on the agent's dispatch() rather than request(): no response stream, no AbortSignal per
 * POST (one timer that aborts the request's own controller), headers as a flat list. request() with
 * a signal and an async-iterated body cost about a third of the worker's CPU per delivery in the
 * webhooks bench's profile.
 */
export function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { agent: Dispatcher; policy: AddressPolicy; timeoutMs: number; signal?: AbortSignal },
): Promise<PostResult> {
  const started = performance.now();
  const result = (statusCode: number | null, error: string | null, responseExcerpt: string | null): PostResult => ({
    statusCode, error, responseExcerpt, durationMs: Math.round(performance.now() - started),
  });
  const failure = (e: unknown) => {
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    return result(null, cause.slice(0, 300), null);
  };
  let target: { origin: string; path: string };
  try {
    const parsed = parsedUrl(url);
    const literal = isIP(parsed.host) ? deliveryAddressProblem(parsed.host, opts.policy) : null;
    if (literal) return Promise.resolve(failure(new RefusedAddressError(literal)));
    target = parsed;
  } catch (e) {
    return Promise.resolve(failure(e));
  }
  const flat: string[] = [];
  for (const [k, v] of Object.entries(headers)) flat.push(k, v);
  const limit = WEBHOOK_POLICY.RESPONSE_EXCERPT_CHARS;

  return new Promise<PostResult>((resolve) => {
    let controller: Dispatcher.DispatchController | null = null;
    let abortedFor: string | null = null;
    let settled = false;
    let statusCode: number | null = null;
    let text = "";
    const decoder = new TextDecoder();
    const settle = (r: PostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onJobAbort);
      resolve(r);
    };
    // A request still waiting for a connection has no controller yet: it is aborted as it starts.
    const abort = (why: string) => {
      abortedFor ??= why;
      controller?.abort(new Error(why));
      // After the headers, what came of the body is the excerpt (as a body cut short always was).
      settle(statusCode === null ? result(null, why, null) : result(statusCode, null, text.slice(0, limit)));
    };
    const onJobAbort = () => abort(`timed out after ${opts.timeoutMs} ms`);
    const timer = setTimeout(onJobAbort, opts.timeoutMs);
    opts.signal?.addEventListener("abort", onJobAbort, { once: true });
    if (opts.signal?.aborted) return onJobAbort();
    opts.agent.dispatch(
      { origin: target.origin, path: target.path, method: "POST", headers: flat, body },
      {
        onRequestStart(c) {
          controller = c;
          if (abortedFor) c.abort(new Error(abortedFor));
        },
        onResponseStart(_c, code) {
          // 1xx informational answers precede the real one.
          if (code >= 200) statusCode = code;
        },
        onResponseData(c, chunk) {
          if (text.length >= limit) return;
          text += decoder.decode(chunk, { stream: true });
          if (text.length >= limit) {
            settle(result(statusCode, null, text.slice(0, limit)));
            c.abort(new Error("excerpt read"));
          }
        },
        onResponseEnd() {
          settle(result(statusCode, null, (text + decoder.decode()).slice(0, limit)));
        },
        onResponseError(_c, e) {
          if (statusCode !== null) settle(result(statusCode, null, null));
          else settle(failure(e));
        },
      },
    );
  });
}

// ---------------------------------------------------------------------------------------------
// One delivery: send, then (batched) log, then the job's result
// ---------------------------------------------------------------------------------------------

/** The Standard Webhooks headers and body of one attempt, POSTed; a 2xx is success. */
async function sendSigned(
  target: Pick<DeliveryTarget, "url" | "secret" | "type" | "occurredAt" | "payload">,
  eventId: string,
  agent: Dispatcher,
  policy: AddressPolicy,
  timeoutMs: number,
  signal?: AbortSignal,
  now: () => Date = () => new Date(),
): Promise<{ response: PostResult; succeeded: boolean; finished: Date }> {
  const body = webhookBody(target);
  const sentAt = now();
  const response = await postWebhook(
    target.url,
    {
      "content-type": "application/json",
      "user-agent": "Orderly-Webhooks/1",
      "webhook-id": eventId,
      "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "webhook-signature": signWebhook(target.secret, eventId, sentAt, body),
    },
    body,
    { agent, policy, timeoutMs, signal },
  );
  const succeeded = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
  return { response, succeeded, finished: now() };
}

type Sent = { job: JobWithMetadata<DeliverJob>; result?: JobResult; record?: AttemptRecord; response?: PostResult };

/** The POST of one job, or its result when there is nothing to send (endpoint deleted or disabled). */
async function attempt(job: JobWithMetadata<DeliverJob>, now: () => Date, target: DeliveryTarget | null, agent: Dispatcher): Promise<Sent> {
  const { endpointId, eventId, manual = false } = job.data;
  if (!target) return { job, result: { id: job.id, status: "completed", output: { skipped: "endpoint deleted" } } };
  if (!target.enabled && !manual) return { job, result: { id: job.id, status: "completed", output: { skipped: "endpoint disabled" } } };

  const { response, succeeded, finished } = await sendSigned(target, eventId, agent, addressPolicy(), env().WEBHOOK_TIMEOUT_MS, job.signal, now);

  return {
    job,
    response,
    record: {
      endpointId,
      eventId,
      succeeded,
      statusCode: response.statusCode,
      error: response.error,
      durationMs: response.durationMs,
      responseExcerpt: response.responseExcerpt,
      nextAttemptAt: succeeded || manual ? null : earliestRetry(job, finished),
      manual,
      now: finished,
    },
  };
}

/** The job's result once its attempt is logged: a failure retries unless its endpoint is (now) disabled. */
function finish(s: Sent, outcomes: Map<string, AttemptOutcome>, warned: Set<string>): JobResult {
  if (s.result) return s.result;
  const { record, response, job } = s as Required<Sent>;
  if (record.succeeded) return { id: job.id, status: "completed", output: { statusCode: response.statusCode, durationMs: response.durationMs } };
  // No outcome: the endpoint was deleted while the POST was under way; nothing is left to retry for.
  const outcome = outcomes.get(record.endpointId) ?? { failureCount: 0, enabled: false, disabledNow: false };
  if (outcome.disabledNow && !warned.has(record.endpointId)) {
    warned.add(record.endpointId);
    logger.warn("webhook endpoint disabled after repeated failures", { endpointId: record.endpointId, failures: outcome.failureCount });
  }
  return { id: job.id, status: outcome.disabledNow || !outcome.enabled ? "deadletter" : "failed", output: { statusCode: response.statusCode, error: response.error } };
}

/**
 * One signed POST of one event to one endpoint, logged in webhook_deliveries. A 2xx is success; any
 * other status, a timeout, a network error or a refused address is a failure that pg-boss retries with
 * backoff, unless this failure disabled the endpoint (then the job ends: "deadletter" without a
 * dead-letter queue). The worker delivers whole batches (deliverBatch); this is the same path for one.
 */
export async function deliverOne(job: JobWithMetadata<DeliverJob>, now = () => new Date(), known?: DeliveryTarget | null, agent: Dispatcher = deliveryAgent()): Promise<JobResult> {
  const target = known !== undefined ? known : await getDeliveryTarget(db, job.data.endpointId, job.data.eventId);
  const sent = await attempt(job, now, target, agent);
  const outcomes = sent.record ? await recordDeliveryAttempts(db, [sent.record]) : new Map<string, AttemptOutcome>();
  return finish(sent, outcomes, new Set());
}
