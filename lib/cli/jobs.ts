import { closeDb, db } from "@/db/client";
import { purgeFullBuckets } from "@/db/queries/rate-limit";
import { logger } from "@/lib/logger";
import { expireDueQuotations } from "@/lib/services/orders/quotations";
import { purgeExpiredSessions } from "@/lib/services/sessions";

// npm run jobs: periodic work for a scheduler (cron, a platform's scheduled job) to call, e.g.
// every 15 minutes. Each job is safe to run concurrently and repeatedly: it only moves orders
// whose condition still holds, each in its own transaction with a conditional update; expired
// sessions are deleted in batches (a sign-in also deletes its own user's).
const started = Date.now();
const expired = await expireDueQuotations(db);
const sessions = await purgeExpiredSessions(db);
// Rate limit buckets that have refilled are the same as none: keep the table to the callers of the last minutes.
const buckets = await purgeFullBuckets(db);
logger.info("jobs finished", { expiredQuotations: expired, deletedSessions: sessions, deletedRateLimitBuckets: buckets, ms: Date.now() - started });
console.log(`Expired quotations: ${expired}`);
console.log(`Deleted expired sessions: ${sessions}`);
console.log(`Deleted full rate limit buckets: ${buckets}`);
await closeDb();
