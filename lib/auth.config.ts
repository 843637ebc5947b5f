import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";
import { isCustomerRole, type Role } from "@/lib/domain/roles";

// The part of the auth setup that needs no database: used by proxy.ts for redirects only.
// The real check (user still active, session version unchanged) is getActor() in lib/session.ts.
export function authConfig(): NextAuthConfig {
  const e = env();
  return {
    secret: e.authSecret,
    trustHost: true,
    session: { strategy: "jwt", maxAge: e.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    providers: [],
    logger: {
      // A wrong password is an expected event (audited), not a server error with a stack trace.
      error(error) {
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error(JSON.stringify({ level: "error", message: "auth error", error: String(error) }));
      },
      warn() {},
      debug() {},
    },
    callbacks: {
      jwt({ token, user }) {
        if (user) {
          token.uid = user.id;
          token.role = user.role;
          token.companyId = user.companyId ?? null;
          token.sessionVersion = user.sessionVersion;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid && token.role) {
          session.user.id = token.uid;
          session.user.role = token.role;
          session.user.companyId = token.companyId ?? null;
          session.user.sessionVersion = token.sessionVersion ?? 0;
        }
        return session;
      },
      authorized({ auth, request }) {
        const { pathname, search } = request.nextUrl;
        const role = auth?.user?.role as Role | undefined;
        // The login page decides for itself (lib/session): a token may be stale (user deactivated),
        // and sending it home from here would loop.
        if (pathname === "/login") return true;
        if (!role) {
          const url = new URL("/login", request.nextUrl);
          if (pathname !== "/") url.searchParams.set("callbackUrl", pathname + search);
          return Response.redirect(url);
        }
        const inAdmin = pathname === "/admin" || pathname.startsWith("/admin/");
        if (inAdmin && isCustomerRole(role)) return Response.redirect(new URL("/", request.nextUrl));
        if (!inAdmin && !isCustomerRole(role) && !pathname.startsWith("/api/")) {
          return Response.redirect(new URL("/admin", request.nextUrl));
        }
        return true;
      },
    },
  };
}
