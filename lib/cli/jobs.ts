import { closeDb, db, dbMode } from "@/db/client";
import { purgeFullBuckets } from "@/db/queries/rate-limit";
import { logger } from "@/lib/logger";
import { stopWorker, startWorker } from "@/lib/jobs/worker";
import { expireDueQuotations } from "@/lib/services/orders/quotations";
import { runReminders } from "@/lib/services/reminders";
import { purgeExpiredSessions } from "@/lib/services/sessions";

// npm run jobs -- --worker: the job worker as its own process (outbox relay and notifier, webhook deliveries and
// the scheduled jobs: quotation expiry every 15 minutes, session purge hourly, delivery log purge
// daily). Run it beside app servers started with JOBS_IN_PROCESS=false; several may run at once
// (pg-boss fetches with SKIP LOCKED). PostgreSQL only: embedded PGlite allows one process, the app's.
//
// npm run jobs -- --reminders: the reminders once (dunning, expiring quotations, low stock; the worker
// runs them hourly). Safe to repeat: a reminder already sent is not sent again. The running worker's
// relay (or the next `npm run jobs -- --worker`) mails what it emitted.
//
// npm run jobs (no flag): the periodic jobs once, for an external scheduler (cron). Each is safe to
// run concurrently and repeatedly.
if (process.argv.includes("--worker")) {
  if (dbMode() !== "postgres") {
    console.error("The separate worker needs PostgreSQL (DATABASE_URL): with embedded PGlite the app server runs the worker itself.");
    process.exit(2);
  }
  await startWorker();
  logger.info("job worker started", { pid: process.pid });
  console.log("Job worker running; Ctrl-C stops it.");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void stopWorker()
        .then(closeDb)
        .finally(() => process.exit(0));
    });
  }
} else if (process.argv.includes("--reminders")) {
  const sent = await runReminders(db);
  logger.info("reminders finished", sent);
  console.log(`Dunning reminders: ${sent.dunning}`);
  console.log(`Expiring quotation reminders: ${sent.expiringQuotations}`);
  console.log(`Low stock alerts: ${sent.lowStock}`);
  await closeDb();
} else {
  const started = Date.now();
  const expired = await expireDueQuotations(db);
  const sessions = await purgeExpiredSessions(db);
  // Rate limit buckets that have refilled are the same as none: keep the table to the callers of the last minutes.
  const buckets = await purgeFullBuckets(db);
  const reminders = await runReminders(db);
  logger.info("jobs finished", { expiredQuotations: expired, deletedSessions: sessions, deletedRateLimitBuckets: buckets, reminders, ms: Date.now() - started });
  console.log(`Expired quotations: ${expired}`);
  console.log(`Deleted expired sessions: ${sessions}`);
  console.log(`Deleted full rate limit buckets: ${buckets}`);
  console.log(`Reminders sent: ${reminders.dunning} dunning, ${reminders.expiringQuotations} expiring quotations, ${reminders.lowStock} low stock`);
  await closeDb();
}
