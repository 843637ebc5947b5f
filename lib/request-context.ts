import { env } from "@/lib/env";
import type { RequestContext } from "@/lib/domain/actor";

/**
 * IP and user agent for the audit trail and login throttling. Next's server appends the socket
 * address to X-Forwarded-For, so its last entry is the peer we really talk to. The first entry
 * (the original client) is trusted only behind a proxy that sets it (TRUST_PROXY=true); otherwise
 * a client could choose its own IP and escape the per-IP limit.
 */
export function requestContextFrom(headers: Headers, requestId: string): RequestContext {
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  const ip = (env().TRUST_PROXY ? hops[0] : hops.at(-1)) ?? null;
  return { requestId, ip, userAgent: headers.get("user-agent") };
}
