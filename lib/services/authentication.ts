import "server-only";
import { db } from "@/db/client";
import { failedLoginsSince, insertLoginAttempt, lastSuccessfulLoginAt, lockLoginsOf } from "@/db/queries/login-attempts";
import { setLastLoginAt, userByEmail, userForLogin } from "@/db/queries/users";
import { isCustomerRole, type Role } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { recordAudit } from "./audit";
import type { RequestContext } from "@/lib/domain/actor";
import { burnPasswordCheck, verifyPassword } from "./passwords";
import { startSession } from "./sessions";

export type AuthenticatedUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  companyId: string | null;
  sessionVersion: number;
  /** The new session's secret, for the session cookie only (the database keeps its hash). */
  sessionToken: string;
};

export type AuthenticationResult =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

export const INVALID_LOGIN_MESSAGE = "Email or password is incorrect.";

export function throttledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `Too many failed sign-in attempts. Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}

/**
 * Checks an email and password. Failures are counted in the database per account and per IP
 * (so the limit holds across app instances); every attempt is audited in the same transaction
 * as its login_attempts row.
 */
export async function authenticate(
  input: { email: string; password: string },
  request: RequestContext,
  now: Date = new Date(),
): Promise<AuthenticationResult> {
  const e = env();
  const email = input.email.trim().toLowerCase();
  const ip = request.ip ?? "unknown";
  const windowStart = new Date(now.getTime() - e.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000);

  return db.transaction(async (tx) => {
    // Serialise attempts on one account so parallel guesses cannot slip past the limit.
    await lockLoginsOf(tx, email);

    const lastSuccess = await lastSuccessfulLoginAt(tx, email);
    const accountSince = lastSuccess && lastSuccess > windowStart ? lastSuccess : windowStart;
    const byAccount = await failedLoginsSince(tx, "email", email, accountSince);
    // An unknown IP (no trusted socket address: bare `next start`, or TRUST_PROXY unset on a host
    // whose proxy sets X-Forwarded-For) is not one client: one shared bucket would let anyone lock
    // everybody out. The per-account limit still applies.
    const byIp = request.ip ? await failedLoginsSince(tx, "ip", ip, windowStart) : { n: 0, first: null };
    const blocked =
      byAccount.n >= e.LOGIN_MAX_FAILURES_PER_ACCOUNT ? byAccount : byIp.n >= e.LOGIN_MAX_FAILURES_PER_IP ? byIp : null;
    if (blocked) {
      const until = (blocked.first ?? now).getTime() + e.LOGIN_THROTTLE_WINDOW_MINUTES * 60_000;
      await recordAudit(tx, { actor: null, request }, {
        action: "auth.login_throttled",
        entityType: "user",
        after: { email },
        outcome: "denied",
      });
      return { ok: false, reason: "throttled", retryAfterSeconds: Math.max(1, Math.ceil((until - now.getTime()) / 1000)) };
    }

    const user = await userForLogin(tx, email);

    let valid = false;
    if (user) valid = await verifyPassword(input.password, user.passwordHash);
    else await burnPasswordCheck(input.password);
    const allowed = valid && user !== null && user.active && user.companyActive !== false;

    await insertLoginAttempt(tx, { email, ip, succeeded: allowed, attemptedAt: now });
    if (!allowed || !user) {
      await recordAudit(tx, { actor: null, request }, {
        action: "auth.login_failed",
        entityType: "user",
        entityId: user?.id ?? null,
        companyId: user?.companyId ?? null,
        after: { email, reason: !user ? "unknown_email" : !valid ? "wrong_password" : "inactive" },
        outcome: "denied",
      });
      return { ok: false, reason: "invalid" };
    }

    await setLastLoginAt(tx, user.id, now);
    // The server-side session, committed with the attempt and its audit row: a sign-in exists
    // exactly when its session row does.
    const session = await startSession(tx, { userId: user.id, sessionVersion: user.sessionVersion, request, now, maxAgeSeconds: e.SESSION_MAX_AGE_SECONDS });
    const actor = { id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId };
    await recordAudit(tx, { actor: { ...actor, sessionId: session.id }, request }, {
      action: "auth.login",
      entityType: "user",
      entityId: user.id,
      after: { sessionId: session.id, expiresAt: session.expiresAt.toISOString() },
    });
    return {
      ok: true,
      user: { ...actor, sessionVersion: user.sessionVersion, sessionToken: session.token },
    };
  });
}

/** Where a user lands after signing in without a destination: the shop for customers, the back office for staff. */
export async function homePathFor(email: string): Promise<"/" | "/admin"> {
  const user = await userByEmail(db, email.trim());
  return user && isCustomerRole(user.role) ? "/" : "/admin";
}
