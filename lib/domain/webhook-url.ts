// Which URLs may receive webhooks. https only; http://localhost only where the configuration allows
// it (tests, development). Hosts that name this machine or a private network by literal address are
// refused, so an endpoint cannot point the worker at internal services (SSRF). A public name that
// resolves to a private address is not caught here (that needs a check at connect time).

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
