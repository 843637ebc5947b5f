import { isIP } from "node:net";

/**
 * The request header our own HTTP server (server.mjs) sets to the TCP peer's address, after
 * deleting any copy the client sent. The app reads it only when that server says it is in front
 * (`socketPeerHeader` below): run bare `next start` or `next dev` and a client could send it too.
 */
export const PEER_HEADER = "x-orderly-peer";

/**
 * The client's IP from the chain [...X-Forwarded-For entries, socket address], trusting
 * `trustedProxies` hops counted from the right: with 0 it is the socket address; with N it is the
 * entry N from the right, the address the outermost trusted proxy saw. A client can prepend any
 * entries it likes but cannot change what the trusted proxies appended, so nothing left of that
 * position is ever taken. A chain shorter than expected (a request that bypassed the proxies)
 * gives its left-most entry, as Express's `trust proxy` does. `socket` is null where the socket
 * address is not known (a serverless host: there the platform's proxy sets X-Forwarded-For and
 * TRUST_PROXY=1 takes its entry).
 */
export function clientIpFromChain(forwardedFor: string | null, socket: string | null, trustedProxies: number): string | null {
  const chain = (forwardedFor ?? "")
    .split(",")
    .map((hop) => hop.trim())
    .filter(Boolean);
  chain.push(socket?.trim() || "");
  const picked = chain[Math.max(0, chain.length - 1 - trustedProxies)]!;
  return normaliseIp(picked);
}

/** A plain IP address or null: IPv4-mapped IPv6 (`::ffff:1.2.3.4`, what a dual-stack socket reports) becomes IPv4. */
export function normaliseIp(value: string): string | null {
  let ip = value.trim();
  if (ip.startsWith("[") && ip.endsWith("]")) ip = ip.slice(1, -1);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  return isIP(ip) ? ip.toLowerCase() : null;
}
