import "server-only";
import { PgBoss, fromPglite, type ConstructorOptions, type Queue } from "pg-boss";
import { pgliteClient } from "@/db/client";
import { env } from "@/lib/env";
import { logger } from "@/lib/logger";

// The job queue is pg-boss 12 (issue 12): PostgreSQL's own tables, SKIP LOCKED fetches, retries with
// exponential backoff and jitter, cron schedules, and a PGlite adapter (fromPglite), so the embedded
// quick start runs the same worker in the app's process on the one embedded connection. Measured on
// this machine (2 cores, load ~15): pg-boss's schema built on PGlite by its own start() took 35.8 s,
// by getConstructionPlans() run once at migrate time 1.1 s, and start() on an installed schema 0.3 s;
// 500 jobs inserted in 0.19 s. So the schema is created by the owner at migrate time (installJobQueue)
// and the app starts pg-boss with migrate/createSchema off; the app role gets DML on its tables only.
// graphile-worker 0.18 needs a node-postgres pool, i.e. @electric-sql/pglite-socket for PGlite, which
// pins @electric-sql/pglite 0.5.14 (we run 0.5.16) and serves one connection at a time.
// Both libraries declare Node >= 22 (pg-boss: 22.12); this repository runs Node 20.20, where pg-boss's
// paths used here (install, send/insert in a caller's transaction, work, schedule) pass the tests.

export const PGBOSS_SCHEMA = "pgboss";

/** The queues, created at migrate time (the app role may not create them). */
export const QUEUES = {
  /** Moves outbox rows to delivery jobs; one waiting run at a time is enough ("short" policy). */
  relay: "outbox-relay",
  /** Fans outbox rows out into notifications and mails (the outbox's second consumer); "short" too. */
  notify: "outbox-notify",
  /** One job per (endpoint, event): one signed POST, retried with backoff. */
  deliver: "webhook-deliver",
  expireQuotations: "quotations-expire",
  purgeSessions: "sessions-purge",
  purgeDeliveries: "webhook-deliveries-purge",
  /** One job per notification mail (issue 13): send over SMTP or keep in the local mailbox, retried with backoff. */
  sendMail: "notification-send",
  /** Dunning, quotation expiry and low stock reminders (issue 13): hourly, idempotent, one waiting run at a time. */
  reminders: "reminders-run",
} as const;

const QUEUE_OPTIONS: Record<string, Omit<Queue, "name">> = {
  [QUEUES.relay]: { policy: "short", retryLimit: 5, retryDelay: 5, expireInSeconds: 120, notify: true },
  // A run drains the backlog in batches: a large one (thousands of mails to render) takes minutes.
  [QUEUES.notify]: { policy: "short", retryLimit: 5, retryDelay: 5, expireInSeconds: 600, notify: true },
  [QUEUES.deliver]: { policy: "standard", notify: true, retentionSeconds: 14 * 24 * 3600 },
  [QUEUES.expireQuotations]: { policy: "short", retryLimit: 2, expireInSeconds: 900 },
  [QUEUES.purgeSessions]: { policy: "short", retryLimit: 2, expireInSeconds: 900 },
  [QUEUES.purgeDeliveries]: { policy: "short", retryLimit: 2, expireInSeconds: 900 },
  [QUEUES.sendMail]: { policy: "standard", notify: true, retentionSeconds: 14 * 24 * 3600 },
  [QUEUES.reminders]: { policy: "short", retryLimit: 2, expireInSeconds: 900 },
};

type Connection = { connectionString: string; max?: number } | { pglite: NonNullable<ReturnType<typeof pgliteClient>> };

function connectionOptions(c: Connection): ConstructorOptions {
  if ("pglite" in c) return { db: fromPglite(c.pglite), backend: "pglite" };
  return { connectionString: c.connectionString, max: c.max ?? 4 };
}

/**
 * Migrate time, as the schema owner: installs or upgrades pg-boss's schema and creates the queues.
 * The app never creates schemas or tables (db/roles.ts grants it DML on pg-boss's tables afterwards).
 */
export async function installJobQueue(c: Connection): Promise<void> {
  const boss = new PgBoss({ ...connectionOptions(c), schema: PGBOSS_SCHEMA, migrate: true, createSchema: true, supervise: false, schedule: false });
  boss.on("error", (error) => logger.error("job queue install", { error }));
  await boss.start();
  try {
    for (const [name, options] of Object.entries(QUEUE_OPTIONS)) {
      const { policy: _policy, ...updatable } = options;
      if (await boss.getQueue(name)) await boss.updateQueue(name, updatable);
      else await boss.createQueue(name, options);
    }
  } finally {
    await boss.stop({ graceful: false });
  }
}

type ProcessQueue = { boss: PgBoss; worker: boolean };
const globalForQueue = globalThis as unknown as { __jobQueue?: Promise<ProcessQueue> };

function appConnection(): Connection {
  const e = env();
  if (e.DATABASE_URL) return { connectionString: e.DATABASE_URL, max: 4 };
  const pglite = pgliteClient();
  if (!pglite) throw new Error("no database connection for the job queue");
  return { pglite };
}

/**
 * This process's pg-boss. `worker: true` also supervises (expired jobs of killed workers come back)
 * and runs the cron schedules; a sender only enqueues. The schema must exist (migrate first).
 */
export function startJobQueue(opts: { worker: boolean }): Promise<PgBoss> {
  globalForQueue.__jobQueue ??= (async () => {
    const e = env();
    const boss = new PgBoss({
      ...connectionOptions(appConnection()),
      schema: PGBOSS_SCHEMA,
      migrate: false,
      createSchema: false,
      supervise: opts.worker,
      schedule: opts.worker,
      superviseIntervalSeconds: e.JOBS_SUPERVISE_INTERVAL_SECONDS,
      // The app role may not rebuild indexes (REINDEX needs the owner); vacuum monitoring reads statistics only.
      reindex: false,
      useListenNotify: opts.worker,
    });
    boss.on("error", (error) => logger.error("job queue", { error }));
    await boss.start();
    return { boss, worker: opts.worker };
  })();
  return globalForQueue.__jobQueue.then((q) => q.boss);
}

/** The started queue of this process, if any (a script that never started one enqueues nothing). */
export async function runningJobQueue(): Promise<PgBoss | null> {
  const q = globalForQueue.__jobQueue;
  return q ? (await q).boss : null;
}

export async function stopJobQueue(): Promise<void> {
  const q = globalForQueue.__jobQueue;
  if (!q) return;
  // The relay nudge of the last commits first (at most RELAY_NUDGE_SPACING_MS away; it never rejects).
  await Promise.all([nudges.next, nudges.inFlight]);
  if (globalForQueue.__jobQueue !== q) return; // stopped (or replaced) meanwhile
  globalForQueue.__jobQueue = undefined;
  await (await q).boss.stop({ graceful: true, timeout: 10_000 });
}

/**
 * After a commit that emitted events: ask for a relay run now instead of at the next minute's
 * scheduled one (the relay's handler asks the notifier in turn: one job per commit, not two). At most
 * one run waits at a time (the queue's "short" policy drops the duplicate). Best effort: if it is
 * lost (process died after commit), the scheduled runs pick the events up.
 *
 * Spaced per process: a nudge begins at most every RELAY_NUDGE_SPACING_MS, one at a time; the calls
 * made before the next one begins share it. Every call is followed by a nudge that begins after it
 * (after its commit), so the run it asks for sees that commit's events; webhooks leave at most the
 * spacing later. The caller does not wait for it (the promise is for tests; it never rejects: a
 * failure is logged). Under load the nudges were the dearest part of a write: two pg-boss inserts per
 * order submit + accept on pg-boss's own connections, 1.3 ms of PostgreSQL each (1.1 ms of it
 * planning) plus their round trips, for runs the "short" policy then mostly dropped.
 */
export function nudgeRelay(): Promise<void> {
  nudges.next ??= nextNudge();
  return nudges.next;
}

/** The least time between the beginnings of two relay nudges of one process. */
export const RELAY_NUDGE_SPACING_MS = 50;

type Nudges = { next: Promise<void> | null; inFlight: Promise<void> | null; lastBegun: number; sent: number; failed: number };
// On globalThis like the queue itself: one per process even where the bundler gives routes copies of this module.
const globalForNudges = globalThis as unknown as { __relayNudges?: Nudges };
const nudges = (globalForNudges.__relayNudges ??= { next: null, inFlight: null, lastBegun: -Infinity, sent: 0, failed: 0 });

async function nextNudge(): Promise<void> {
  await nudges.inFlight;
  const wait = nudges.lastBegun + RELAY_NUDGE_SPACING_MS - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  // From here on a call needs a nudge of its own: this one may already miss its commit.
  nudges.next = null;
  nudges.lastBegun = performance.now();
  nudges.sent++;
  const sending = sendRelayNudge().catch((error: unknown) => {
    nudges.failed++;
    logger.error("relay nudge failed", { error });
  });
  nudges.inFlight = sending;
  await sending;
  if (nudges.inFlight === sending) nudges.inFlight = null;
}

/** How many relay nudges this process has begun (tests: the spacing). */
export function relayNudgesSent(): number {
  return nudges.sent;
}

/** How many of them failed (logged; the scheduled relay runs cover them). */
export function relayNudgesFailed(): number {
  return nudges.failed;
}

async function sendRelayNudge(): Promise<void> {
  const boss = await runningJobQueue();
  if (!boss) return;
  await boss.send(QUEUES.relay, {}, { singletonKey: "relay" });
}
