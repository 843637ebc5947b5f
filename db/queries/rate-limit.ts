import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";

const p = sql.placeholder;

/** How often api_keys.last_used_at is written at most. */
export const LAST_USED_RESOLUTION_SECONDS = 60;

export type BucketRow = { bucket: string; allowed: boolean; ahead_us: string; period_us: string; burst: number };

export type ConsumeParams = {
  keyBucket: string | null;
  keyPeriodUs: number | null;
  keyBurst: number | null;
  ipBucket: string | null;
  ipPeriodUs: number | null;
  ipBurst: number | null;
  /** Moves this key's last_used_at when it is over a minute old (only once the key is verified). */
  touchKeyId: string | null;
  /** A pinned clock (tests); null: the database's statement_timestamp(), one clock for every instance. */
  now: string | null;
};

/**
 * One request's rate limiting, one statement: for each bucket (the key's and the client IP's) an
 * upsert applies GCRA to the row's theoretical arrival time (TAT) under the row lock that
 * ON CONFLICT takes, so concurrent requests on any number of app instances queue on the row and
 * each sees the previous one's TAT. Allowed iff max(TAT, now) + period - now <= burst × period;
 * then TAT moves to max(TAT, now) + period, else it stays (a refused request costs nothing). The
 * decision is stored with the row so RETURNING can report it. The two buckets decide independently:
 * a request the IP's bucket refuses still spends the key's if that allowed it (never the reverse
 * of a limit: it only errs towards limiting). The last-used CTE rides along.
 */
/**
 * The bucket's TAT under the request's policy. When the policy changed since the last request (an
 * administrator set a key's limit, or the defaults changed), the part of the capacity in use carries
 * over in proportion: half the old burst used is half the new one used. Carried over as it was, a
 * raised limit would still refuse until the old, slower debt had run down.
 */
const TAT = sql.raw(`(case when b.period = excluded.period and b.burst = excluded.burst then b.tat
  else excluded.seen_at + greatest(b.tat - excluded.seen_at, interval '0')
    * (extract(epoch from excluded.period * excluded.burst) / extract(epoch from b.period * b.burst))::float8 end)`);

export const consumeRateLimit = statement<BucketRow, ConsumeParams>(
  "rate_limit.consume",
  sql`with clock as (select coalesce(${p("now")}::timestamptz, statement_timestamp()) as t),
      touched as (
        update api_keys set last_used_at = (select t from clock)
        where id = ${p("touchKeyId")}::uuid
          and (last_used_at is null or last_used_at < (select t from clock) - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
        returning 1
      ),
      req as (
        select v.bucket, v.period_us * interval '1 microsecond' as period, v.burst
        from (values (${p("keyBucket")}::text, ${p("keyPeriodUs")}::bigint, ${p("keyBurst")}::int),
                     (${p("ipBucket")}::text, ${p("ipPeriodUs")}::bigint, ${p("ipBurst")}::int)) as v(bucket, period_us, burst)
        where v.bucket is not null
      )
      insert into rate_limit_buckets as b (bucket, tat, period, burst, allowed, seen_at)
      select r.bucket, c.t + r.period, r.period, r.burst, true, c.t from req r cross join clock c
      on conflict (bucket) do update set
        allowed = greatest(${TAT}, excluded.seen_at) + excluded.period - excluded.seen_at <= excluded.period * excluded.burst,
        tat = case when greatest(${TAT}, excluded.seen_at) + excluded.period - excluded.seen_at <= excluded.period * excluded.burst
                   then greatest(${TAT}, excluded.seen_at) + excluded.period else ${TAT} end,
        period = excluded.period, burst = excluded.burst, seen_at = excluded.seen_at
      returning b.bucket, b.allowed,
        (extract(epoch from b.tat - b.seen_at) * 1000000)::bigint::text as ahead_us,
        (extract(epoch from b.period) * 1000000)::bigint::text as period_us, b.burst`,
);

/**
 * Deletes buckets whose TAT has passed: such a bucket is full, exactly as if it had no row. For
 * `npm run jobs`; a request racing the delete starts a fresh row, which is the same state.
 */
export async function purgeFullBuckets(db: DbOrTx, now: Date = new Date()): Promise<number> {
  const rows = await queryRows<{ bucket: string }>(db, sql`delete from rate_limit_buckets where tat < ${now.toISOString()}::timestamptz returning bucket`);
  return rows.length;
}
