import "server-only";
import { randomUUID } from "node:crypto";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "@/lib/auth.config";
import { authenticate, INVALID_LOGIN_MESSAGE, throttledMessage } from "@/lib/services/authentication";
import { headers } from "next/headers";
import { db } from "@/db/client";
import { logger } from "@/lib/logger";
import { runMutation } from "@/lib/mutation";
import { requestContextFrom } from "@/lib/request-context";
import { actorOfSession, signOutSession } from "@/lib/services/sessions";

/** Thrown from authorize(); next-auth rethrows it to the login action, which shows `message`. */
export class LoginFailed extends CredentialsSignin {
  constructor(
    readonly reason: "invalid" | "throttled",
    readonly userMessage: string,
  ) {
    super(userMessage);
    this.code = reason;
  }
}

const credentialsSchema = z.object({ email: z.string().trim().max(320), password: z.string().max(1024) });

export const { handlers, auth, signIn, signOut } = NextAuth(() => ({
  ...authConfig(),
  events: {
    // Whichever way the cookie is cleared (the app's Sign out button revokes first, but next-auth's
    // own POST /api/auth/signout works too), the server-side session ends with it. Already revoked:
    // nothing to do. next-auth logs a failure here and clears the cookie all the same.
    async signOut(message) {
      const token = "token" in message ? message.token : null;
      const actor = await actorOfSession(db, { sid: token?.sid, userId: token?.uid });
      if (!actor) return;
      const result = await runMutation(signOutSession, { actor, request: requestContextFrom(await headers(), randomUUID()) }, {});
      if (!result.ok) logger.error("sign-out could not revoke the session", { code: result.code, error: result.error });
    },
  },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw, request) {
        const input = credentialsSchema.safeParse(raw);
        if (!input.success) throw new LoginFailed("invalid", INVALID_LOGIN_MESSAGE);
        const result = await authenticate(input.data, requestContextFrom(request.headers, randomUUID()));
        if (!result.ok) {
          throw result.reason === "throttled"
            ? new LoginFailed("throttled", throttledMessage(result.retryAfterSeconds))
            : new LoginFailed("invalid", INVALID_LOGIN_MESSAGE);
        }
        const u = result.user;
        return { id: u.id, email: u.email, name: u.name, role: u.role, companyId: u.companyId, sessionVersion: u.sessionVersion, sessionToken: u.sessionToken };
      },
    }),
  ],
}));
