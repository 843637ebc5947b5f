import { isCustomerRole, type Role } from "./roles";

/**
 * Where proxy.ts sends a request, by path and the role in the session token (not yet verified
 * against the database): null lets it through. Convenience only; pages and actions check again.
 */
export function redirectFor(pathname: string, search: string, role: Role | null): string | null {
  if (pathname === "/login") return null; // the login page itself handles signed-in users
  if (!role) return pathname === "/" ? "/login" : `/login?callbackUrl=${encodeURIComponent(pathname + search)}`;
  const inAdmin = pathname === "/admin" || pathname.startsWith("/admin/");
  if (inAdmin && isCustomerRole(role)) return "/";
  if (!inAdmin && !isCustomerRole(role) && !pathname.startsWith("/api/")) return "/admin";
  return null;
}
