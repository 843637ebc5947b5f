import "server-only";
import { db, type DbOrTx } from "@/db/client";
import { consumeRateLimit, type BucketRow } from "@/db/queries/rate-limit";
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
  const named: [string, BucketOutcome][] = [];
  for (const [name, b] of [["key", key], ["ip", ip]] as const) {
    const row = b && rows.find((r) => r.bucket === b.bucket);
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
