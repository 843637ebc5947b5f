import type { NextAuthConfig } from "next-auth";
import { env } from "@/lib/env";

// Session and token settings shared by lib/auth.ts. The real check on every request (user still
// active, session version unchanged) is getActor() in lib/session.ts.
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
    },
  };
}
