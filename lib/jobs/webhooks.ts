import "server-only";
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP } from "node:net";
import { sql } from "drizzle-orm";
import { fromDrizzle, type JobInsert, type JobResult, type JobWithMetadata, type PgBoss } from "pg-boss";
import { Agent, request, type Dispatcher } from "undici";
import { db, type DbOrTx } from "@/db/client";
import { claimEventsForRelay, getDeliveryTarget, tryLockOutboxConsumer, getDeliveryTargets, recordDeliveryAttempts, type AttemptOutcome, type AttemptRecord, type DeliveryTarget, type RelayTarget } from "@/db/queries/webhooks";
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
  if (targets.length === 0) return;
  const jobs: JobInsert<DeliverJob>[] = targets.map((t) => ({
    data: { endpointId: t.endpointId, eventId: t.eventId, ...(t.manual ? { manual: true } : {}) },
    ...deliveryJobOptions(t.manual),
  }));
  // drizzle's execute() is typed as unknown rows; the adapter reads both drivers' shapes (array or { rows }).
  await boss.insert(QUEUES.deliver, jobs, { db: fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql) });
}

const RELAY_BATCH = 500;

/**
 * One relay run: claims unrelayed events in batches, enqueues their deliveries and marks them
 * relayed, each batch in one transaction: the hand-off from outbox to queue happens exactly once.
 * Notifications are the outbox's other consumer (lib/jobs/notify.ts): nothing here waits for them.
 * `busy`: another run (another process's) holds the relay; with `wait` this one waits its turn.
 */
export async function relayWebhooks(boss: PgBoss, opts: { wait?: boolean } = {}): Promise<{ events: number; deliveries: number; busy?: true }> {
  let events = 0;
  let deliveries = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      if (!(await tryLockOutboxConsumer(tx, "relay"))) return null;
      const claimed = await claimEventsForRelay(tx, RELAY_BATCH);
      await enqueueDeliveries(boss, tx, claimed.targets);
      return claimed;
    });
    if (!batch) {
      if (!opts.wait) return { events, deliveries, busy: true };
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    events += batch.claimed;
    deliveries += batch.targets.length;
    if (batch.claimed < RELAY_BATCH) return { events, deliveries };
  }
}

/**
 * Both consumers of the outbox until each is drained, one after the other, waiting for a run of
 * another process to finish (scripts and tests that hand events off without a worker).
 */
export async function relayOutbox(boss: PgBoss): Promise<{ events: number; deliveries: number; mails: number }> {
  const relayed = await relayWebhooks(boss, { wait: true });
  const notified = await notifyOutbox(boss, { wait: true });
  return { events: relayed.events, deliveries: relayed.deliveries, mails: notified.mails };
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

/** Reads at most `limit` characters of a response body, then lets go of the rest (the socket is closed if any is left). */
async function readExcerpt(body: Dispatcher.ResponseData["body"], limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of body) {
    text += decoder.decode(chunk as Buffer, { stream: true });
    if (text.length >= limit) {
      body.destroy();
      break;
    }
  }
  return text.slice(0, limit);
}

export type PostResult = { statusCode: number | null; error: string | null; responseExcerpt: string | null; durationMs: number };

/**
 * One signed POST through the agent; never throws: a refused address, a network error or a timeout
 * is the attempt's error. Redirects are not followed (a 3xx is a failure, as before).
 */
export async function postWebhook(
  url: string,
  headers: Record<string, string>,
  body: string,
  opts: { agent: Dispatcher; policy: AddressPolicy; timeoutMs: number; signal?: AbortSignal },
): Promise<PostResult> {
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let responseExcerpt: string | null = null;
  try {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    const literal = isIP(host) ? deliveryAddressProblem(host, opts.policy) : null;
    if (literal) throw new RefusedAddressError(literal);
    // One controller and one timer per POST (AbortSignal.timeout + AbortSignal.any cost more CPU than
    // the signature in the bench's profile); the job's own signal (pg-boss gave up on it) aborts too.
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), opts.timeoutMs);
    const onJobAbort = () => abort.abort();
    opts.signal?.addEventListener("abort", onJobAbort, { once: true });
    try {
      if (opts.signal?.aborted) abort.abort();
      const response = await request(url, { method: "POST", body, headers, dispatcher: opts.agent, signal: abort.signal });
      statusCode = response.statusCode;
      responseExcerpt = await readExcerpt(response.body, WEBHOOK_POLICY.RESPONSE_EXCERPT_CHARS).catch(() => null);
    } finally {
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onJobAbort);
    }
  } catch (e) {
    const timedOut = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError" || (e as { code?: string }).code === "UND_ERR_ABORTED");
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    error = timedOut ? `timed out after ${opts.timeoutMs} ms` : cause.slice(0, 300);
  }
  return { statusCode, error, responseExcerpt, durationMs: Math.round(performance.now() - started) };
}

// ---------------------------------------------------------------------------------------------
// One delivery: send, then (batched) log, then the job's result
// ---------------------------------------------------------------------------------------------

type Sent = { job: JobWithMetadata<DeliverJob>; result?: JobResult; record?: AttemptRecord; response?: PostResult };

/** The POST of one job, or its result when there is nothing to send (endpoint deleted or disabled). */
async function attempt(job: JobWithMetadata<DeliverJob>, now: () => Date, target: DeliveryTarget | null, agent: Dispatcher): Promise<Sent> {
  const { endpointId, eventId, manual = false } = job.data;
  if (!target) return { job, result: { id: job.id, status: "completed", output: { skipped: "endpoint deleted" } } };
  if (!target.enabled && !manual) return { job, result: { id: job.id, status: "completed", output: { skipped: "endpoint disabled" } } };

  const body = webhookBody(target);
  const sentAt = now();
  const signature = signWebhook(target.secret, eventId, sentAt, body);
  const e = env();
  const response = await postWebhook(
    target.url,
    {
      "content-type": "application/json",
      "user-agent": "Orderly-Webhooks/1",
      "webhook-id": eventId,
      "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
      "webhook-signature": signature,
    },
    body,
    { agent, policy: addressPolicy(), timeoutMs: e.WEBHOOK_TIMEOUT_MS, signal: job.signal },
  );
  const succeeded = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
  const finished = now();
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
