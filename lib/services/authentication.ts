import "server-only";
import { and, count, eq, gt, min, sql } from "drizzle-orm";
import { companies, loginAttempts, users } from "@/db/schema";
import { db } from "@/db/client";
import type { Role } from "@/lib/domain/roles";
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
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"login:" + email}))`);

    const [lastSuccess] = await tx
      .select({ at: sql<Date | null>`max(${loginAttempts.attemptedAt})` })
      .from(loginAttempts)
      .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, true)));
    const accountSince = lastSuccess?.at && new Date(lastSuccess.at) > windowStart ? new Date(lastSuccess.at) : windowStart;
    const failuresSince = async (column: "email" | "ip", value: string, since: Date) => {
      const [row] = await tx
        .select({ n: count(), first: min(loginAttempts.attemptedAt) })
        .from(loginAttempts)
        .where(and(eq(loginAttempts[column], value), eq(loginAttempts.succeeded, false), gt(loginAttempts.attemptedAt, since)));
      return { n: row?.n ?? 0, first: row?.first ? new Date(row.first) : null };
    };
    const byAccount = await failuresSince("email", email, accountSince);
    const byIp = await failuresSince("ip", ip, windowStart);
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

    const [user] = await tx
      .select({
        id: users.id,
        email: users.email,
        name: users.name,
        role: users.role,
        companyId: users.companyId,
        passwordHash: users.passwordHash,
        active: users.active,
        sessionVersion: users.sessionVersion,
        companyActive: companies.active,
      })
      .from(users)
      .leftJoin(companies, eq(companies.id, users.companyId))
      .where(eq(sql`lower(${users.email})`, email));

    let valid = false;
    if (user) valid = await verifyPassword(input.password, user.passwordHash);
    else await burnPasswordCheck(input.password);
    const allowed = valid && user !== undefined && user.active && user.companyActive !== false;

    await tx.insert(loginAttempts).values({ email, ip, succeeded: allowed, attemptedAt: now });
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

    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
    const actor = { id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId };
    await recordAudit(tx, { actor, request }, { action: "auth.login", entityType: "user", entityId: user.id });
    return {
      ok: true,
      user: { ...actor, sessionVersion: user.sessionVersion },
    };
  });
}
