import "server-only";
import { db, type DbOrTx } from "@/db/client";
import { authenticateAndConsume, consumeRateLimit, type BucketRow, type KeyAuthRow } from "@/db/queries/rate-limit";
import { limitItem, periodMicros, policyItem, retryAfterSeconds, type BucketOutcome, type RatePolicy } from "@/lib/domain/api-keys";
import { env } from "@/lib/env";

// The API's rate limits: GCRA buckets in PostgreSQL (db/queries/rate-limit.ts), one per key and one
// per client IP, both decided by one statement per request, so every app instance shares them.
// Headers follow draft-ietf-httpapi-ratelimit-headers-09: `RateLimit-Policy` names each policy
// ("key", "ip") with its quota (the burst) and window (the time to refill it); `RateLimit` gives
// each one's remaining requests and the seconds until it is full again.

export type RateLimitDecision = {
  allowed: boolean;
  /** Set when refused: whole seconds until the refusing bucket lets one request through. */
  retryAfter: number | null;
  headers: Record<string, string>;
};

export function keyPolicy(key: { rate_limit_per_minute: number | null; rate_limit_burst: number | null } | null): RatePolicy {
  const e = env();
  return { perMinute: key?.rate_limit_per_minute ?? e.API_RATE_LIMIT_PER_MINUTE, burst: key?.rate_limit_burst ?? e.API_RATE_LIMIT_BURST };
}

export function ipPolicy(): RatePolicy {
  const e = env();
  return { perMinute: e.API_IP_RATE_LIMIT_PER_MINUTE, burst: e.API_IP_RATE_LIMIT_BURST };
}

function outcome(row: BucketRow): BucketOutcome {
  return { allowed: row.allowed, aheadMicros: Math.max(0, Number(row.ahead_us)), periodMicros: Number(row.period_us), burst: row.burst };
}

/**
 * Spends one request from the key's bucket (when the key is verified) and the client IP's (when
 * the IP is known) in one statement, and answers with the decision and the headers for it.
 */
export async function consumeRequest(
  params: { key: { id: string; policy: RatePolicy } | null; ip: string | null; now?: Date },
  executor: DbOrTx = db,
): Promise<RateLimitDecision> {
  const ip = params.ip ? { bucket: `ip:${params.ip}`, policy: ipPolicy() } : null;
  const key = params.key ? { bucket: `key:${params.key.id}`, policy: params.key.policy } : null;
  if (!key && !ip) return { allowed: true, retryAfter: null, headers: {} };
  const rows = await consumeRateLimit(executor, {
    keyBucket: key?.bucket ?? null,
    keyPeriodUs: key ? periodMicros(key.policy) : null,
    keyBurst: key?.policy.burst ?? null,
    ipBucket: ip?.bucket ?? null,
    ipPeriodUs: ip ? periodMicros(ip.policy) : null,
    ipBurst: ip?.policy.burst ?? null,
    touchKeyId: params.key?.id ?? null,
    now: params.now?.toISOString() ?? null,
  });
  return decision(rows, key?.bucket ?? null, ip?.bucket ?? null);
}

/**
 * Authenticates and rate-limits in one statement (authenticateAndConsume): the key row that the
 * prefix and the secret's digest name (null: none), and the decision over its bucket (only when the
 * key is usable) and the IP's. What the row says about the key (revoked, expired …) is the
 * caller's to judge; its bucket was spent only if it is usable.
 */
export async function authenticateAndLimit(
  params: { prefix: string | null; digest: Uint8Array | null; keyNow: Date; ip: string | null; now?: Date },
  executor: DbOrTx = db,
): Promise<{ key: KeyAuthRow | null; limit: RateLimitDecision }> {
  const ip = params.ip ? { bucket: `ip:${params.ip}`, policy: ipPolicy() } : null;
  if (params.prefix === null && !ip) return { key: null, limit: { allowed: true, retryAfter: null, headers: {} } };
  const defaults = keyPolicy(null);
  const [row] = await authenticateAndConsume(executor, {
    prefix: params.prefix,
    digest: params.digest,
    keyNow: params.keyNow.toISOString(),
    defaultPerMinute: defaults.perMinute,
    defaultBurst: defaults.burst,
    ipBucket: ip?.bucket ?? null,
    ipPeriodUs: ip ? periodMicros(ip.policy) : null,
    ipBurst: ip?.policy.burst ?? null,
    now: params.now?.toISOString() ?? null,
  });
  const key = row?.key ?? null;
  return { key, limit: decision(row?.buckets ?? [], key ? `key:${key.id}` : null, ip?.bucket ?? null) };
}

function decision(rows: BucketRow[], keyBucket: string | null, ipBucket: string | null): RateLimitDecision {
  const named: [string, BucketOutcome][] = [];
  for (const [name, bucket] of [["key", keyBucket], ["ip", ipBucket]] as const) {
    const row = bucket && rows.find((r) => r.bucket === bucket);
    if (row) named.push([name, outcome(row)]);
  }
  const refused = named.filter(([, o]) => !o.allowed);
  const retryAfter = refused.length ? Math.max(...refused.map(([, o]) => retryAfterSeconds(o))) : null;
  const headers: Record<string, string> = {
    "ratelimit-policy": named.map(([name, o]) => policyItem(name, o)).join(", "),
    ratelimit: named.map(([name, o]) => limitItem(name, o)).join(", "),
  };
  if (retryAfter !== null) headers["retry-after"] = String(retryAfter);
  return { allowed: refused.length === 0, retryAfter, headers };
}
