import "server-only";
import type { PgBoss } from "pg-boss";
import { db } from "@/db/client";
import { markEventsNotified, tryLockOutboxConsumer, unnotifiedEvents } from "@/db/queries/webhooks";
import { fanOutIsolated } from "@/lib/notifications/fan-out";
import { enqueueMails } from "./notifications";

// The outbox's second consumer (issue 13's notifications, split from the webhook relay): its own
// marker (outbox_events.notified_at), its own pg-boss queue (QUEUES.notify) and its own batches, so
// webhook deliveries never wait for notifications being written, nor notifications for webhooks.

/** Events fanned out per transaction (the fan-out pipelines a batch's statements: lib/notifications/fan-out.ts). */
const NOTIFY_BATCH = 500;

/**
 * Events fanned out together inside a batch's transaction. postgres.js pipelines at most 100 queries
 * on a connection (max_pipeline); past that, a transaction's further queries go one per round trip.
 * A whole batch at once (500 events, a query or more each) was measured at about 400 sequential round
 * trips, each waiting for an event loop busy with webhook deliveries: 26 s for one batch in the webhooks
 * bench while the relay ran, against 1 s alone. Chunks stay inside the pipeline.
 */
const FAN_OUT_CHUNK = 50;

/**
 * One notifier run: takes the events not yet notified in batches, oldest first, one batch per
 * transaction: their in-app notifications and mails (fanOutIsolated: an event that cannot be fanned
 * out is logged and skipped, a transient failure rolls the batch back for the job's retry), one
 * send job per new mail, and the batch marked notified, all committed together. A crash before the
 * commit leaves the batch unnotified; the fan-out's unique keys make a second run of an event that
 * was fanned out write nothing, so the hand-off to mail is at least once and mails are written once.
 * `busy`: another run (another process's) holds the notifier; with `wait` this one waits its turn.
 */
export async function notifyOutbox(boss: PgBoss, opts: { wait?: boolean } = {}): Promise<{ events: number; mails: number; busy?: true }> {
  let events = 0;
  let mails = 0;
  for (;;) {
    const batch = await db.transaction(async (tx) => {
      if (!(await tryLockOutboxConsumer(tx, "notify"))) return null;
      const pending = await unnotifiedEvents(tx, NOTIFY_BATCH);
      const mailIds: string[] = [];
      for (let i = 0; i < pending.length; i += FAN_OUT_CHUNK) mailIds.push(...(await fanOutIsolated(tx, pending.slice(i, i + FAN_OUT_CHUNK))));
      await enqueueMails(boss, tx, mailIds);
      await markEventsNotified(
        tx,
        pending.map((e) => e.id),
      );
      return { events: pending.length, mails: mailIds.length };
    });
    if (!batch) {
      // Another run (another process's) is at work; it drains what is there.
      if (!opts.wait) return { events, mails, busy: true };
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    events += batch.events;
    mails += batch.mails;
    if (batch.events < NOTIFY_BATCH) return { events, mails };
  }
}
