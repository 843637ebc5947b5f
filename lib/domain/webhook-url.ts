import { BlockList, isIP } from "node:net";

// Which URLs may receive webhooks. https only; http://localhost only where the configuration allows
// it (tests, development). Hosts that name this machine or a private network by literal address are
// refused, so an endpoint cannot point the worker at internal services (SSRF). A public name that
// resolves to a private address is not caught here: the worker checks the address it actually
// connects to (deliveryAddressProblem below, called from the HTTP agent's DNS lookup), which also
// defeats DNS rebinding (a name that resolved publicly at registration and privately later).

const PRIVATE_V4 = [/^10\./, /^127\./, /^169\.254\./, /^172\.(1[6-9]|2\d|3[01])\./, /^192\.168\./, /^0\./, /^100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\./];
const LOCAL_NAMES = new Set(["localhost", "localhost.localdomain", "ip6-localhost"]);

function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "");
  if (LOCAL_NAMES.has(h) || h.endsWith(".localhost") || h.endsWith(".internal") || h.endsWith(".local")) return true;
  if (PRIVATE_V4.some((r) => r.test(h)) && /^[\d.]+$/.test(h)) return true;
  // IPv6 literals: loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10), v4-mapped.
  if (h.includes(":")) return h === "::1" || h === "::" || /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith("::ffff:");
  return false;
}

/** The problem with a webhook URL, or null when it may be used. */
export function webhookUrlProblem(raw: string, opts: { allowHttpLocalhost: boolean }): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "Enter a full URL starting with https://.";
  }
  if (url.username || url.password) return "Leave credentials out of the URL; the signature authenticates each delivery.";
  if (url.hash) return "Leave the #fragment out of the URL.";
  const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && opts.allowHttpLocalhost && loopback) return null;
  if (url.protocol !== "https:") return "The URL must start with https://.";
  if (isLocalHost(url.hostname)) return "The URL must name a public host, not this machine or a private network.";
  if (!url.hostname.includes(".") && !url.hostname.includes(":")) return "The URL must name a public host (a domain with a dot).";
  return null;
}

// ---------------------------------------------------------------------------------------------
// Addresses at delivery time
// ---------------------------------------------------------------------------------------------

/** Loopback: this machine. */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/**
 * Everything else that is not the public internet: private networks (RFC 1918, unique local),
 * carrier-grade NAT, link-local (169.254.169.254 is the cloud metadata service; AWS's IPv6 one,
 * fd00:ec2::254, is unique local), "this network", benchmarking, documentation, multicast, reserved,
 * IPv4-compatible IPv6 (::/96). IPv4-mapped IPv6 (::ffff:a.b.c.d) matches the IPv4 rules (BlockList does that).
 */
const NON_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.0.0.0", 24],
  ["192.0.2.0", 24], ["192.168.0.0", 16], ["198.18.0.0", 15], ["198.51.100.0", 24], ["203.0.113.0", 24], ["224.0.0.0", 4], ["240.0.0.0", 4],
] as const) NON_PUBLIC.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["::", 96], ["fc00::", 7], ["fe80::", 10], ["ff00::", 8], ["2001:db8::", 32], ["100::", 64]] as const) NON_PUBLIC.addSubnet(net, prefix, "ipv6");

/** Which private addresses deliveries may reach (lib/env.ts: WEBHOOK_ALLOW_HTTP_LOCALHOST, WEBHOOKS_ALLOW_PRIVATE_NETWORKS). */
export type AddressPolicy = { allowLoopback: boolean; allowPrivateNetworks: boolean };

/** The address without [brackets] or a %zone, and its family; null when it is no IP address. */
function parseAddress(address: string): { address: string; family: "ipv4" | "ipv6" } | null {
  const a = address.toLowerCase().replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v = isIP(a);
  return v === 4 ? { address: a, family: "ipv4" } : v === 6 ? { address: a, family: "ipv6" } : null;
}

/**
 * Why a delivery may not connect to this IP address, or null when it may. Called with every address
 * a host resolves to, and with literal addresses, at connect time: what is checked is what is used.
 */
export function deliveryAddressProblem(address: string, policy: AddressPolicy): string | null {
  const ip = parseAddress(address);
  if (!ip) return `not an IP address: ${address}`;
  if (LOOPBACK.check(ip.address, ip.family)) {
    return policy.allowLoopback || policy.allowPrivateNetworks ? null : `refused: ${address} is this machine (loopback)`;
  }
  if (NON_PUBLIC.check(ip.address, ip.family)) {
    return policy.allowPrivateNetworks ? null : `refused: ${address} is a private, link-local or reserved address`;
  }
  return null;
}
