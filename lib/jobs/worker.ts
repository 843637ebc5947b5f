import "server-only";
import type { PgBoss } from "pg-boss";
import { db } from "@/db/client";
import { purgeDeliveries } from "@/db/queries/webhooks";
import { logger } from "@/lib/logger";
import { expireDueQuotations } from "@/lib/services/orders/quotations";
import { remindersSent, runReminders } from "@/lib/services/reminders";
import { purgeExpiredSessions } from "@/lib/services/sessions";
import { purgeFullBuckets } from "@/db/queries/rate-limit";
import { QUEUES, startJobQueue, stopJobQueue } from "./queue";
import { deliverBatch, relayWebhooks, type DeliverJob } from "./webhooks";
import { notifyOutbox } from "./notify";
import { sendMailBatch, type SendMailJob } from "./notifications";

/** Notification mails fetched and sent per batch (see lib/jobs/notifications.ts). */
const MAIL_BATCH = 50;

/** How long the delivery log is kept. */
const DELIVERY_LOG_DAYS = 30;

// Cron schedules (UTC) of the periodic jobs; the relay's and the notifier's are the fallback for a lost nudge.
const SCHEDULES: [queue: string, cron: string][] = [
  [QUEUES.relay, "* * * * *"],
  [QUEUES.notify, "* * * * *"],
  [QUEUES.expireQuotations, "*/15 * * * *"],
  [QUEUES.purgeSessions, "7 * * * *"],
  [QUEUES.purgeDeliveries, "41 3 * * *"],
  // Hourly: each reminder is sent once however often this runs, so a missed hour (downtime) is caught up by the next.
  [QUEUES.reminders, "17 * * * *"],
];

export type WorkerOptions = {
  /** Delivery jobs fetched per poll and delivered concurrently. */
  deliveryBatch?: number;
  /** Independent delivery fetch loops in this process. */
  deliveryConcurrency?: number;
};

/** Registers every handler and schedule on a started queue. */
export async function registerWorkers(boss: PgBoss, opts: WorkerOptions = {}): Promise<void> {
  // The outbox's two consumers, each its own queue: a relay run hands events to webhook deliveries
  // while a notifier run, asked for at the same moment, writes their notifications and mails. A run
  // that finds another process's run at work leaves it the backlog and asks for one more run in 2 s
  // (events committed after that run's last batch are not left for the next minute's schedule).
  await boss.work(QUEUES.relay, { pollingIntervalSeconds: 2 }, async () => {
    const [relayed] = await Promise.all([relayWebhooks(boss), boss.send(QUEUES.notify, {}, { singletonKey: "notify" })]);
    if (relayed.busy) await boss.send(QUEUES.relay, {}, { singletonKey: "relay", startAfter: 2 });
    // A long backlog: the next run takes over before this one's job expires.
    if (relayed.more) await boss.send(QUEUES.relay, {}, { singletonKey: "relay" });
    if (relayed.events > 0) logger.debug("outbox relayed", relayed);
    return relayed;
  });
  await boss.work(QUEUES.notify, { pollingIntervalSeconds: 2 }, async () => {
    const notified = await notifyOutbox(boss);
    if (notified.busy) await boss.send(QUEUES.notify, {}, { singletonKey: "notify", startAfter: 2 });
    if (notified.events > 0) logger.debug("outbox notified", notified);
    return notified;
  });
  await boss.work<DeliverJob, unknown, { batchSize: number; localConcurrency: number; perJobResults: true; includeMetadata: true; burstWhenBatchFull: true; pollingIntervalSeconds: number; notifyPollingIntervalSeconds: number }>(
    QUEUES.deliver,
    {
      batchSize: opts.deliveryBatch ?? 25,
      localConcurrency: opts.deliveryConcurrency ?? 2,
      perJobResults: true,
      includeMetadata: true,
      burstWhenBatchFull: true,
      pollingIntervalSeconds: 2,
      // New jobs wake the worker by NOTIFY; retries coming due do not, so poll for them every 2 s
      // (pg-boss's 30 s default would make a 1 s backoff a 30 s one).
      notifyPollingIntervalSeconds: 2,
    },
    (jobs) => deliverBatch(jobs),
  );
  await boss.work<SendMailJob, unknown, { batchSize: number; localConcurrency: number; perJobResults: true; includeMetadata: true; burstWhenBatchFull: true; pollingIntervalSeconds: number; notifyPollingIntervalSeconds: number }>(
    QUEUES.sendMail,
    // Batches of mails, fetched again at once while they come back full (a backlog drains without
    // waiting out the poll interval after each job: one job per fetch sent about 2 mails/s); two
    // fetch loops, so one batch's SMTP transactions overlap the next batch's fetch and load. Retries
    // coming due do not NOTIFY: poll for them every 2 s, as for webhook deliveries.
    { batchSize: MAIL_BATCH, localConcurrency: 2, perJobResults: true, includeMetadata: true, burstWhenBatchFull: true, pollingIntervalSeconds: 2, notifyPollingIntervalSeconds: 2 },
    (jobs) => sendMailBatch(jobs),
  );
  await boss.work(QUEUES.expireQuotations, async () => {
    const expired = await expireDueQuotations(db);
    // Each expiry emitted order.status_changed: relay now rather than at the next minute.
    if (expired > 0) await boss.send(QUEUES.relay, {}, { singletonKey: "relay" });
    return { expired };
  });
  await boss.work(QUEUES.reminders, async () => {
    const sent = await runReminders(db);
    // Each reminder emitted an event: relay now rather than at the next minute.
    if (remindersSent(sent) > 0) await boss.send(QUEUES.relay, {}, { singletonKey: "relay" });
    return sent;
  });
  // The hourly purge also drops rate limit buckets that have refilled (the same as no bucket).
  await boss.work(QUEUES.purgeSessions, async () => ({ deleted: await purgeExpiredSessions(db), rateLimitBuckets: await purgeFullBuckets(db) }));
  await boss.work(QUEUES.purgeDeliveries, async () => ({ deleted: await purgeDeliveries(db, new Date(Date.now() - DELIVERY_LOG_DAYS * 86_400_000)) }));
  for (const [queue, cron] of SCHEDULES) await boss.schedule(queue, cron, {}, { tz: "UTC" });
}

/** Starts this process's worker: the queue (supervising, scheduling) and every handler. */
export async function startWorker(opts: WorkerOptions = {}): Promise<PgBoss> {
  const boss = await startJobQueue({ worker: true });
  await registerWorkers(boss, opts);
  // Events written while no worker ran (or whose nudge was lost) go out now, not at the next minute.
  await boss.send(QUEUES.relay, {}, { singletonKey: "relay" });
  return boss;
}

export { stopJobQueue as stopWorker };
