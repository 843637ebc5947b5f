import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";
import type { ApiKeyAuthRow } from "./api-keys";

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

/** The key row as authenticateAndConsume answers it (JSON: the expiry as an ISO string). */
export type KeyAuthRow = Omit<ApiKeyAuthRow, "hash" | "expires_at"> & { expires_at: string | null };

export type AuthenticateParams = {
  prefix: string | null;
  /** SHA-256 of the secret the request sent: the key matches only when its stored hash is this. */
  digest: Uint8Array | null;
  /** The instant a key's expiry is judged at. */
  keyNow: string;
  defaultPerMinute: number;
  defaultBurst: number;
  ipBucket: string | null;
  ipPeriodUs: number | null;
  ipBurst: number | null;
  /** As in ConsumeParams: a pinned clock for the buckets (tests); null: statement_timestamp(). */
  now: string | null;
};

/**
 * A /api/v1 request's authentication and rate limiting in ONE statement (one round trip per request
 * instead of two): the key by its prefix and the digest of its secret, and, when that key is usable
 * (not revoked or expired, its owner still entitled), its bucket under its own limits or the
 * defaults; the client IP's bucket always (refused keys included); last_used_at as in
 * consumeRateLimit. The digest is compared in the database: what a comparison's timing could tell
 * is about SHA-256 outputs, which a caller cannot steer byte by byte, not about the secret.
 * Answers the key's row (null when none matches) and each bucket's decision.
 */
export const authenticateAndConsume = statement<{ key: KeyAuthRow | null; buckets: BucketRow[] }, AuthenticateParams>(
  "api_key.authenticate_and_consume",
  sql`with clock as (select coalesce(${p("now")}::timestamptz, statement_timestamp()) as t),
      key as (
        select k.id, k.prefix, k.name, k.scopes, k.role, k.company_id, k.expires_at,
          coalesce(k.expires_at <= ${p("keyNow")}::timestamptz, false) as expired,
          k.revoked_at is not null as revoked,
          (u.active and coalesce(c.active, true) and u.company_id is not distinct from k.company_id
            and u.role = case when k.company_id is null then 'admin'::user_role else 'customer_admin'::user_role end) as owner_valid,
          u.id as owner_id, u.email as owner_email, u.name as owner_name,
          k.rate_limit_per_minute, k.rate_limit_burst
        from api_keys k
        join users u on u.id = k.created_by
        left join companies c on c.id = k.company_id
        where k.prefix = ${p("prefix")}::text and k.hash = ${p("digest")}::bytea
      ),
      usable as (
        select id, round(60000000.0 / coalesce(rate_limit_per_minute, ${p("defaultPerMinute")}::int))::bigint as period_us,
          coalesce(rate_limit_burst, ${p("defaultBurst")}::int) as burst
        from key where not expired and not revoked and owner_valid
      ),
      touched as (
        update api_keys set last_used_at = (select t from clock)
        where id = (select id from usable)
          and (last_used_at is null or last_used_at < (select t from clock) - make_interval(secs => ${LAST_USED_RESOLUTION_SECONDS}))
        returning 1
      ),
      req as (
        select 'key:' || u.id as bucket, u.period_us * interval '1 microsecond' as period, u.burst from usable u
        union all
        select ${p("ipBucket")}::text, ${p("ipPeriodUs")}::bigint * interval '1 microsecond', ${p("ipBurst")}::int where ${p("ipBucket")}::text is not null
      ),
      consumed as (
        insert into rate_limit_buckets as b (bucket, tat, period, burst, allowed, seen_at)
        select r.bucket, c.t + r.period, r.period, r.burst, true, c.t from req r cross join clock c
        on conflict (bucket) do update set
          allowed = greatest(${TAT}, excluded.seen_at) + excluded.period - excluded.seen_at <= excluded.period * excluded.burst,
          tat = case when greatest(${TAT}, excluded.seen_at) + excluded.period - excluded.seen_at <= excluded.period * excluded.burst
                     then greatest(${TAT}, excluded.seen_at) + excluded.period else ${TAT} end,
          period = excluded.period, burst = excluded.burst, seen_at = excluded.seen_at
        returning b.bucket, b.allowed,
          (extract(epoch from b.tat - b.seen_at) * 1000000)::bigint::text as ahead_us,
          (extract(epoch from b.period) * 1000000)::bigint::text as period_us, b.burst
      )
      select (select row_to_json(key) from key) as key,
        coalesce((select json_agg(row_to_json(consumed)) from consumed), '[]'::json) as buckets`,
);

/**
 * Deletes buckets whose TAT has passed: such a bucket is full, exactly as if it had no row. For
 * `npm run jobs`; a request racing the delete starts a fresh row, which is the same state.
 */
export async function purgeFullBuckets(db: DbOrTx, now: Date = new Date()): Promise<number> {
  const rows = await queryRows<{ bucket: string }>(db, sql`delete from rate_limit_buckets where tat < ${now.toISOString()}::timestamptz returning bucket`);
  return rows.length;
}
