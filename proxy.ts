import { getToken } from "next-auth/jwt";
import { NextResponse, type NextRequest } from "next/server";
import { redirectFor } from "@/lib/domain/route-access";
import type { Role } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { newNonce, pageCsp, STATIC_CSP } from "@/lib/http/content-security-policy";
import { hasMalformedSegment } from "@/lib/http/malformed-path";
import { isDecodableActionText } from "@/lib/http/action-payload";
import { isForeignOrigin } from "@/lib/http/same-origin";

// Five jobs, in this order:
// 1. A path with malformed percent-encoding is refused here (Next would answer a plain-text 500).
// 2. A POST to a page (a server action) from another origin is refused with 403: Next refuses it
//    too, but with a 500, and throws on an unreadable Origin.
// 3. A POST to a page whose body Next could not decode is refused with 400 (Next: a 500).
// 4. Convenience redirects (anonymous → /login, customers away from /admin, staff to /admin).
//    Every page, action and handler checks the actor itself; this is never the security boundary.
//    It only reads the session token: next-auth's own middleware wrapper re-sets the session cookie
//    on every request, and a prefetch in flight during sign-out could then bring the session back.
// 5. Each page gets a Content-Security-Policy with a fresh nonce, on the response and on the
//    request: Next reads the nonce from the request's policy and puts it on its scripts.
export default async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const api = pathname.startsWith("/api/");

  if (hasMalformedSegment(pathname)) {
    if (api) {
      return NextResponse.json(
        { ok: false, code: "bad_request", error: "The path is not valid percent-encoding." },
        { status: 400, headers: { "cache-control": "no-store" } },
      );
    }
    // The not-found page, with status 404: a rewrite to a path no route matches.
    return withPageCsp(request, (headers) => NextResponse.rewrite(new URL("/_malformed-path", request.nextUrl), { request: { headers } }));
  }
  // /api/ paths reach the proxy only through the second matcher (paths with a `%`), for the check above.
  if (api) return NextResponse.next();

  const h = request.headers;
  if (request.method === "POST" && isForeignOrigin(h.get("origin"), h.get("x-forwarded-host"), h.get("host"))) {
    return refusePost(403, "forbidden", "Cross-origin form posts are refused.");
  }
  if (request.method === "POST" && !(await isReadableActionBody(request))) {
    return refusePost(400, "bad_request", "The form's data could not be read. Reload the page and try again.");
  }

  const secret = env().authSecret;
  const token =
    (await getToken({ req: request, secret, secureCookie: true })) ?? (await getToken({ req: request, secret, secureCookie: false }));
  const target = redirectFor(pathname, search, (token?.role as Role | undefined) ?? null);
  if (target) {
    // No page here, but next.config.ts leaves page paths' CSP to the proxy: send the static one.
    const redirect = NextResponse.redirect(new URL(target, request.nextUrl));
    redirect.headers.set("content-security-policy", STATIC_CSP);
    return redirect;
  }
  return withPageCsp(request, (headers) => NextResponse.next({ request: { headers } }));
}

function refusePost(status: number, code: string, error: string): NextResponse {
  return NextResponse.json({ ok: false, code, error }, { status, headers: { "cache-control": "no-store", "content-security-policy": STATIC_CSP } });
}

/**
 * A POST to a page is a server action (or a form posted without JavaScript). Next decodes its body
 * before any action code runs and answers what it cannot decode with a 500, so it is read here
 * first (Next has already buffered it to hand the proxy a copy): multipart must parse, and a text
 * body of an action must be a reply React can decode (lib/http/action-payload.ts).
 */
async function isReadableActionBody(request: NextRequest): Promise<boolean> {
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (type.startsWith("multipart/form-data")) {
      await request.clone().formData();
      return true;
    }
    if (!request.headers.has("next-action")) return true;
    return isDecodableActionText(await request.clone().text());
  } catch {
    return false;
  }
}

function withPageCsp(request: NextRequest, respond: (requestHeaders: Headers) => NextResponse): NextResponse {
  const nonce = newNonce();
  const csp = pageCsp(nonce, env().NODE_ENV === "development");
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const response = respond(requestHeaders);
  response.headers.set("content-security-policy", csp);
  return response;
}

// Pages, and /api/ paths only when they contain a `%` (to refuse malformed encoding): a request
// the proxy matches has its body drained by Next before the route handler runs (to clone it for
// the proxy), so a route's own streaming body limit (lib/http/read-limited.ts) would only act
// after a 100 MB upload. API paths without a `%` therefore never come here.
// The file-extension list must match the static CSP source in next.config.ts: together they give
// every response exactly one Content-Security-Policy.
export const config = {
  matcher: [
    "/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|.*\\.(?:png|svg|jpg|ico|woff2|txt)$).*)",
    "/api/:path(.*%.*)",
  ],
};
