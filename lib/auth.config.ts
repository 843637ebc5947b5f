import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";

// Session and token settings shared by lib/auth.ts. The real check on every request (user still
// active, session version unchanged) is getActor() in lib/session.ts.
export function authConfig(): NextAuthConfig {
  const e = env();
  return {
    secret: e.authSecret,
    trustHost: true,
    // Secure, __Secure-/__Host- prefixed cookies behind an https AUTH_URL; plain http runs keep plain
    // cookies. proxy.ts reads the token under either name.
    useSecureCookies: e.secureCookies,
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
          token.sid = user.sessionToken;
        }
        return token;
      },
      session({ session, token }) {
        if (token.uid && token.role) {
          session.user.id = token.uid;
          session.user.role = token.role;
          session.user.companyId = token.companyId ?? null;
          session.user.sessionVersion = token.sessionVersion ?? 0;
          // getActor() reads it from here (auth() returns this object). Alone it is worthless: it
          // counts only inside a token signed with AUTH_SECRET, and only while its row is live.
          session.user.sid = token.sid ?? "";
        }
        return session;
      },
    },
  };
}
