import { isCustomerRole, type Role } from "./roles";

/**
 * Where proxy.ts sends a request, by path and the role in the session token (not yet verified
 * against the database): null lets it through. Convenience only; pages and actions check again.
 */
export function redirectFor(pathname: string, search: string, role: Role | null): string | null {
  if (pathname === "/login") return null; // the login page itself handles signed-in users
  // API routes answer for themselves (JSON 401/404, or a provider's signature): never a login page.
  if (pathname.startsWith("/api/")) return null;
  // Product images answer for themselves (staff, or a customer whose assortment holds the product;
  // else 404), for staff and customers alike: never a redirect to /admin or the login page.
  if (pathname.startsWith("/images/")) return null;
  // The API reference is public and for everyone (customers' and staff's integrators alike).
  if (pathname === "/api-docs") return null;
  if (!role) return pathname === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(pathname + search)}`;
  const inAdmin = pathname === "/admin" || pathname.startsWith("/admin/");
  if (inAdmin && isCustomerRole(role)) return "/";
  if (!inAdmin && !isCustomerRole(role) && !pathname.startsWith("/api/")) return "/admin";
  return null;
}

/**
 * A "where to go after login" value, if it stays on this site. It is resolved the way a browser
 * would: "/\\evil.com" and "/\t/evil.com" leave the site and are refused, as is any other origin.
 */
export function safeRedirectPath(url: string | undefined | null): string | null {
  if (!url || !url.startsWith("/") || /[\\\u0000-\u001f]/.test(url)) return null;
  const resolved = new URL(url, "http://same.invalid");
  if (resolved.origin !== "http://same.invalid" || resolved.pathname.startsWith("/login")) return null;
  return resolved.pathname + resolved.search + resolved.hash;
}
