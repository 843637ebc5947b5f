import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { redirectFor } from "@/lib/domain/route-access";
import type { Role } from "@/lib/domain/roles";
import { env } from "@/lib/env";

// Convenience redirects only (anonymous → /login, customers away from /admin, staff to /admin).
// Every page, action and handler checks the actor itself; this is never the security boundary.
// It only reads the session token: next-auth's own middleware wrapper re-sets the session cookie
// on every request, and a prefetch in flight during sign-out could then bring the session back.
export default async function proxy(request: NextRequest) {
  const secret = env().authSecret;
  const token =
    (await getToken({ req: request, secret, secureCookie: true })) ?? (await getToken({ req: request, secret, secureCookie: false }));
  const target = redirectFor(request.nextUrl.pathname, request.nextUrl.search, (token?.role as Role | undefined) ?? null);
  return target ? NextResponse.redirect(new URL(target, request.nextUrl)) : NextResponse.next();
}

// Not /api/: redirectFor lets every API path through anyway, and a request the proxy matches has
// its body drained by Next before the route handler runs (to clone it for the proxy), so a
// route's own streaming body limit (lib/http/read-limited.ts) would only act after a 100 MB upload.
export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|.*\\.(?:png|svg|jpg|ico|woff2|txt)$).*)"],
};
