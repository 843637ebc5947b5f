import "server-only";
import { createHash, randomUUID } from "node:crypto";
import type { Actor, RequestContext } from "@/lib/domain/actor";
import { bearerToken, parseApiKey, type ApiScope, type RatePolicy } from "@/lib/domain/api-keys";
import { logger } from "@/lib/logger";
import { requestContextFrom } from "@/lib/request-context";
import { problem, type ProblemCode } from "./problem";
import { authenticateAndLimit, keyPolicy } from "./rate-limit";

// Request authentication for /api/v1: `Authorization: Bearer ok_<prefix>_<secret>`. One statement
// per request (db/queries/rate-limit.ts authenticateAndConsume): the key by its prefix and the
// SHA-256 of its secret, and the rate limiter (the key's bucket when the key is usable, the client
// IP's always, last_used_at at most once a minute). Nothing is cached between requests, so a
// revocation holds on every instance from its commit on.

export type ApiKeyInfo = { id: string; prefix: string; name: string; scopes: ApiScope[]; expiresAt: Date | null; policy: RatePolicy };

export type ApiCaller = {
  ok: true;
  actor: Actor;
  key: ApiKeyInfo;
  request: RequestContext;
  /** The RateLimit headers: every response to this request carries them. */
  headers: Record<string, string>;
};

export type ApiRefusal = { ok: false; response: Response };

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();

type Refusal = Extract<ProblemCode, "unauthenticated" | "invalid_api_key" | "api_key_expired" | "api_key_revoked" | "api_key_inactive">;
const refusals: Record<Refusal, string> = {
  unauthenticated: "Send an API key: Authorization: Bearer ok_… (create one under Account → API keys).",
  invalid_api_key: "The API key is not valid.",
  api_key_expired: "The API key has expired. Create a new one.",
  api_key_revoked: "The API key has been revoked.",
  api_key_inactive: "The API key's owner or company is no longer active.",
};

/**
 * Authenticates a /api/v1 request and spends one request of its rate limits: the caller (a full
 * Actor, the key's owner acting with the key's role and company, carrying apiKeyId) or the
 * problem+json answer: 401 missing, unknown, expired, revoked or orphaned key; 429 over a limit
 * (the IP's limit applies to refused keys as well); 403 when the key lacks `scope` (null: any key).
 */
export async function withApiKey(request: Request, scope: ApiScope | null, now: Date = new Date()): Promise<ApiCaller | ApiRefusal> {
  const context = requestContextFrom(request.headers, randomUUID());
  const token = bearerToken(request.headers.get("authorization"));
  const parsed = token && token !== "malformed" ? parseApiKey(token) : null;
  // One statement: the key whose prefix and secret digest match, its bucket (when usable) and the IP's.
  const { key: row, limit } = await authenticateAndLimit({ prefix: parsed?.prefix ?? null, digest: parsed ? sha256(parsed.secret) : null, keyNow: now, ip: context.ip });
  const verified = row !== null;

  let refusal: keyof typeof refusals | null = null;
  if (token === null) refusal = "unauthenticated";
  else if (!verified || !row) refusal = "invalid_api_key";
  else if (row.revoked) refusal = "api_key_revoked";
  else if (row.expired) refusal = "api_key_expired";
  else if (!row.owner_valid) refusal = "api_key_inactive";

  const key = refusal === null && row ? { id: row.id, policy: keyPolicy(row) } : null;
  if (!limit.allowed) {
    return { ok: false, response: problem("rate_limited", `Too many requests: try again in ${limit.retryAfter} s.`, { headers: limit.headers }) };
  }
  if (refusal !== null || !row || !key) {
    logger.debug("API request refused", { requestId: context.requestId, reason: refusal, ip: context.ip });
    return { ok: false, response: problem(refusal ?? "invalid_api_key", refusals[refusal ?? "invalid_api_key"], { headers: limit.headers }) };
  }
  if (scope !== null && !row.scopes.includes(scope)) {
    return { ok: false, response: problem("insufficient_scope", `This API key lacks the scope ${scope}.`, { headers: limit.headers, extra: { requiredScope: scope } }) };
  }
  const actor: Actor = { id: row.owner_id, email: row.owner_email, name: row.owner_name, role: row.role, companyId: row.company_id, apiKeyId: row.id, apiKeyPrefix: row.prefix };
  return {
    ok: true,
    actor,
    key: { id: row.id, prefix: row.prefix, name: row.name, scopes: row.scopes, expiresAt: row.expires_at === null ? null : new Date(row.expires_at), policy: key.policy },
    request: context,
    headers: limit.headers,
  };
}

export type ApiContext = Omit<ApiCaller, "ok"> & { url: URL };

/**
 * The one path every /api/v1 GET handler takes: withApiKey, then the handler, whose `null` means
 * "not found for this caller" (404, revealing nothing); unexpected errors are a 500 problem with a
 * reference, logged with the request id. Every answer carries the rate limit headers and no-store.
 */
export async function apiV1(request: Request, scope: ApiScope | null, handler: (ctx: ApiContext) => Promise<Response | null>): Promise<Response> {
  let caller: ApiCaller | ApiRefusal;
  const url = new URL(request.url);
  try {
    caller = await withApiKey(request, scope);
  } catch (error) {
    const requestId = randomUUID();
    logger.error("API authentication failed", { requestId, url: url.pathname, error });
    return problem("internal", `Something went wrong. Reference: ${requestId}`, { extra: { requestId } });
  }
  if (!caller.ok) return caller.response;
  let response: Response;
  try {
    response = (await handler({ ...caller, url })) ?? problem("not_found", "Not found.");
  } catch (error) {
    logger.error("API handler failed", { requestId: caller.request.requestId, url: url.pathname, error });
    response = problem("internal", `Something went wrong. Reference: ${caller.request.requestId}`, { extra: { requestId: caller.request.requestId } });
  }
  for (const [name, value] of Object.entries(caller.headers)) response.headers.set(name, value);
  response.headers.set("cache-control", "no-store");
  return response;
}
