import "server-only";
import { randomUUID } from "node:crypto";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { authConfig } from "@/lib/auth.config";
import { authenticate, INVALID_LOGIN_MESSAGE, throttledMessage } from "@/lib/services/authentication";
import { requestContextFrom } from "@/lib/request-context";

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
