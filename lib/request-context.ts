import { env } from "@/lib/env";
import type { RequestContext } from "@/lib/domain/actor";
import { clientIpFromChain, PEER_HEADER } from "@/lib/http/client-ip";

/**
 * IP and user agent for the audit trail and login throttling. The IP comes from the socket,
 * which Next does not show to route handlers: our server (server.mjs, used by `npm start`, e2e
 * and the Docker image) copies it into a header it controls. X-Forwarded-For is used only for as
 * many hops as TRUST_PROXY says proxies are in front: Next copies the socket address into it only
 * when the client sent none, so on its own it is whatever the client chose (STACK-NOTES).
 */
export function requestContextFrom(headers: Headers, requestId: string): RequestContext {
  const e = env();
  const socket = e.socketPeerHeader ? headers.get(PEER_HEADER) : null;
  const ip = clientIpFromChain(headers.get("x-forwarded-for"), socket, e.TRUST_PROXY);
  return { requestId, ip, userAgent: headers.get("user-agent") };
}
