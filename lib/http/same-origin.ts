/**
 * Whether a POST to a page (a server action) must be refused for its Origin: present but `null`,
 * unreadable, or naming another host than the one the request was sent to (X-Forwarded-Host's
 * first entry, else Host). It is the check Next itself makes before running a server action, which
 * refuses with a 500 (or throws on an unreadable Origin); proxy.ts makes it first and answers 403.
 * A request without Origin passes, as in Next: browsers send it on every cross-site POST.
 */
export function isForeignOrigin(origin: string | null, forwardedHost: string | null, host: string | null): boolean {
  if (origin === null) return false;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return true; // includes "null"
  }
  const expected = forwardedHost?.split(",")[0]?.trim() || host;
  return !expected || originHost === "" || originHost !== expected;
}
