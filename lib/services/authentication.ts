import "server-only";
import { db } from "@/db/client";
import { failedLoginsSince, insertLoginAttempt, lastSuccessfulLoginAt, lockLoginsOf } from "@/db/queries/login-attempts";
import { setLastLoginAt, userByEmail, userForLogin } from "@/db/queries/users";
import { isCustomerRole, type Role } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import { recordAudit } from "./audit";
import type { RequestContext } from "@/lib/domain/actor";
import { burnPasswordCheck, verifyPassword } from "./passwords";

export type AuthenticatedUser = { id: string; email: string; name: string; role: Role; companyId: string | null; sessionVersion: number };

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
    const byIp = await failedLoginsSince(tx, "ip", ip, windowStart);
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
    const actor = { id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId };
    await recordAudit(tx, { actor, request }, { action: "auth.login", entityType: "user", entityId: user.id });
    return {
      ok: true,
      user: { ...actor, sessionVersion: user.sessionVersion },
    };
  });
}

/** Where a user lands after signing in without a destination: the shop for customers, the back office for staff. */
export async function homePathFor(email: string): Promise<"/" | "/admin"> {
  const user = await userByEmail(db, email.trim());
  return user && isCustomerRole(user.role) ? "/" : "/admin";
}
