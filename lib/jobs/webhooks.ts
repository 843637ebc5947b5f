import "server-only";
import { sql } from "drizzle-orm";
import { fromDrizzle, type JobInsert, type JobResult, type JobWithMetadata, type PgBoss } from "pg-boss";
import { Webhook } from "standardwebhooks";
import { db, type DbOrTx } from "@/db/client";
import { claimEventsForRelay, getDeliveryTarget, getDeliveryTargets, recordDeliveryAttempt, type DeliveryTarget, type RelayTarget } from "@/db/queries/webhooks";
import { WEBHOOK_POLICY } from "@/lib/domain/webhook-events";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";
import { fanOut, outboxRows } from "@/lib/notifications/fan-out";
import { enqueueMails } from "./notifications";
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
 */
export async function relayOutbox(boss: PgBoss): Promise<{ events: number; deliveries: number; mails: number }> {
  let events = 0;
  let deliveries = 0;
  let mails = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      const claimed = await claimEventsForRelay(tx, RELAY_BATCH);
      await enqueueDeliveries(boss, tx, claimed.targets);
      // Notifications (issue 13) hang off the same hand-off: in-app rows, mails and their send jobs.
      const mailIds = await fanOut(tx, await outboxRows(tx, claimed.eventIds));
      await enqueueMails(boss, tx, mailIds);
      return { ...claimed, mails: mailIds.length };
    });
    events += batch.claimed;
    deliveries += batch.targets.length;
    mails += batch.mails;
    if (batch.claimed < RELAY_BATCH) return { events, deliveries, mails };
  }
}

/** A fetched batch of delivery jobs: their targets read in one statement, the POSTs concurrently. */
export async function deliverBatch(jobs: JobWithMetadata<DeliverJob>[]): Promise<JobResult[]> {
  const targets = await getDeliveryTargets(db, jobs.map((j) => ({ endpointId: j.data.endpointId, eventId: j.data.eventId })));
  return Promise.all(jobs.map((job) => deliverOne(job, undefined, targets.get(`${job.data.endpointId}:${job.data.eventId}`) ?? null)));
}

/** Standard Webhooks body: { type, timestamp, data }, the same bytes on every attempt. */
export function webhookBody(t: { type: string; occurredAt: Date; payload: unknown }): string {
  return JSON.stringify({ type: t.type, timestamp: t.occurredAt.toISOString(), data: t.payload });
}

/** Reads at most `limit` characters of a response body, then lets go of the rest. */
async function excerpt(response: Response, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  try {
    while (text.length < limit) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return text.slice(0, limit);
}

/** The retry delay pg-boss will at least wait before attempt `retryCount + 1` (backoff with jitter: half to all of it). */
function earliestRetry(job: JobWithMetadata<DeliverJob>, now: Date): Date | null {
  if (job.retryCount >= job.retryLimit) return null;
  const full = Math.min(job.retryDelayMax ?? Infinity, job.retryDelay * 2 ** Math.min(16, job.retryCount));
  return new Date(now.getTime() + (full / 2) * 1000);
}

/**
 * One signed POST of one event to one endpoint, logged in webhook_deliveries. A 2xx is success; any
 * other status, a timeout or a network error is a failure that pg-boss retries with backoff, unless
 * this failure disabled the endpoint (then the job ends: "deadletter" without a dead-letter queue).
 */
export async function deliverOne(job: JobWithMetadata<DeliverJob>, now = () => new Date(), known?: DeliveryTarget | null): Promise<JobResult> {
  const { endpointId, eventId, manual = false } = job.data;
  const target = known !== undefined ? known : await getDeliveryTarget(db, endpointId, eventId);
  if (!target) return { id: job.id, status: "completed", output: { skipped: "endpoint deleted" } };
  if (!target.enabled && !manual) return { id: job.id, status: "completed", output: { skipped: "endpoint disabled" } };

  const body = webhookBody(target);
  const sentAt = now();
  const signature = new Webhook(target.secret).sign(eventId, sentAt, body);
  const started = performance.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  let responseExcerpt: string | null = null;
  try {
    const response = await fetch(target.url, {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "user-agent": "Orderly-Webhooks/1",
        "webhook-id": eventId,
        "webhook-timestamp": String(Math.floor(sentAt.getTime() / 1000)),
        "webhook-signature": signature,
      },
      redirect: "manual",
      signal: AbortSignal.any([AbortSignal.timeout(env().WEBHOOK_TIMEOUT_MS), job.signal]),
    });
    statusCode = response.status;
    responseExcerpt = await excerpt(response, WEBHOOK_POLICY.RESPONSE_EXCERPT_CHARS).catch(() => null);
  } catch (e) {
    const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
    error = e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? `timed out after ${env().WEBHOOK_TIMEOUT_MS} ms` : cause.slice(0, 300);
  }
  const durationMs = Math.round(performance.now() - started);
  const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const finished = now();
  const outcome = await recordDeliveryAttempt(db, {
    endpointId,
    eventId,
    succeeded,
    statusCode,
    error,
    durationMs,
    responseExcerpt,
    nextAttemptAt: succeeded || manual ? null : earliestRetry(job, finished),
    manual,
    now: finished,
  });
  if (succeeded) return { id: job.id, status: "completed", output: { statusCode, durationMs } };
  if (outcome.disabledNow) logger.warn("webhook endpoint disabled after repeated failures", { endpointId, failures: outcome.failureCount });
  return { id: job.id, status: outcome.disabledNow || !outcome.enabled ? "deadletter" : "failed", output: { statusCode, error } };
}
