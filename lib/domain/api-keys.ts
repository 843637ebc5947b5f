// API keys and the API's rate limits, the pure parts: scopes, the key text, the GCRA arithmetic
// behind the RateLimit headers. The database holds the state (lib/api-v1/rate-limit.ts).

export const apiScopes = ["catalog:read", "orders:read", "orders:write", "invoices:read", "payments:read", "payments:write", "webhooks:manage"] as const;
export type ApiScope = (typeof apiScopes)[number];

export const apiScopeLabels: Record<ApiScope, string> = {
  "catalog:read": "Read the catalogue with your prices",
  "orders:read": "Read orders and quotations",
  "orders:write": "Place, accept and cancel orders; request returns (staff: ship, approve and receive returns)",
  "invoices:read": "Read invoices and credit notes",
  "payments:read": "Read payments",
  "payments:write": "Record payments",
  "webhooks:manage": "Manage webhook endpoints",
};

/** Roles a staff key may act with (an administrator chooses); customer keys act as buyers. */
export const staffKeyRoles = ["sales", "finance", "admin"] as const;
export type StaffKeyRole = (typeof staffKeyRoles)[number];

/** How long a new key lives, in days; "" is no expiry. */
export const keyLifetimes = ["30", "90", "180", "365", ""] as const;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const KEY_PREFIX_LENGTH = 12;
/** 43 base62 characters hold 256 bits (62^43 ≈ 2^256). */
export const KEY_SECRET_LENGTH = 43;

/**
 * The key text shown once: `ok_<prefix>_<secret>`. A fixed, distinctive start and shape let
 * secret scanners (and people) recognise a leaked key; the prefix finds the row, the secret is
 * checked against its SHA-256.
 */
export function formatApiKey(prefix: string, secret: string): string {
  return `ok_${prefix}_${secret}`;
}

const keyPattern = new RegExp(`^ok_([0-9A-Za-z]{${KEY_PREFIX_LENGTH}})_([0-9A-Za-z]{${KEY_SECRET_LENGTH}})$`);

/** The prefix and secret of a key text, or null when it is not shaped like a key. */
export function parseApiKey(text: string): { prefix: string; secret: string } | null {
  const m = keyPattern.exec(text);
  return m ? { prefix: m[1]!, secret: m[2]! } : null;
}

/** Base62 text of `length` characters, each drawn by `randomIndex(62)` (crypto.randomInt in the service). */
export function base62(length: number, randomIndex: (n: number) => number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += BASE62[randomIndex(62)];
  return out;
}

/** The key from an `Authorization: Bearer …` header: null when absent, "malformed" when not a Bearer credential. */
export function bearerToken(header: string | null): string | null | "malformed" {
  if (header === null || header.trim() === "") return null;
  const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
  return m ? m[1]! : "malformed";
}

// ---- GCRA (generic cell rate algorithm) ----
//
// A bucket allows `burst` requests at once and refills one every `period` (60 s / requests per
// minute). It keeps one instant, the theoretical arrival time (TAT). A request at `now` is allowed
// iff max(TAT, now) + period - now <= burst × period, and then TAT becomes max(TAT, now) + period;
// a refused request leaves TAT as it was. The SQL in lib/api-v1/rate-limit.ts is this rule.

export type RatePolicy = { perMinute: number; burst: number };

/** The emission interval in microseconds (rounded to a whole microsecond). */
export function periodMicros(policy: RatePolicy): number {
  return Math.round(60_000_000 / policy.perMinute);
}

/** What the database answered for one bucket: its decision and how far its TAT is ahead of now. */
export type BucketOutcome = { allowed: boolean; aheadMicros: number; periodMicros: number; burst: number };

/** Requests that could still be sent at once. */
export function remaining(o: BucketOutcome): number {
  return Math.max(0, Math.floor((o.burst * o.periodMicros - o.aheadMicros) / o.periodMicros));
}

/** Whole seconds until the bucket is full again (the RateLimit field's `t`). */
export function secondsUntilFull(o: BucketOutcome): number {
  return Math.max(0, Math.ceil(o.aheadMicros / 1_000_000));
}

/** Whole seconds (at least 1) until a refused request would be allowed: Retry-After. */
export function retryAfterSeconds(o: BucketOutcome): number {
  const wait = o.aheadMicros + o.periodMicros - o.burst * o.periodMicros;
  return Math.max(1, Math.ceil(wait / 1_000_000));
}

/**
 * The RateLimit-Policy item of a bucket (draft-ietf-httpapi-ratelimit-headers-09: a Structured
 * Fields list of quota policy items, `"name";q=<quota>;w=<window seconds>`): the burst as the quota
 * and the time it takes to refill as its window, so q/w is the sustained rate.
 */
export function policyItem(name: string, policy: { periodMicros: number; burst: number }): string {
  return `"${name}";q=${policy.burst};w=${Math.max(1, Math.ceil((policy.burst * policy.periodMicros) / 1_000_000))}`;
}

/** The RateLimit item of a bucket: `"name";r=<remaining>;t=<seconds until full>`. */
export function limitItem(name: string, o: BucketOutcome): string {
  return `"${name}";r=${remaining(o)};t=${secondsUntilFull(o)}`;
}
