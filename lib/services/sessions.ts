import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import type { DbOrTx, Tx } from "@/db/client";
import { activeSessionUser, deleteExpiredSessions, deleteExpiredSessionsOf, insertSession, revokeSessions, sessionBelongsTo } from "@/db/queries/sessions";
import { companyIdOfUser, lockUser } from "@/db/queries/users";
import type { Actor, RequestContext } from "@/lib/domain/actor";
import { isUuid } from "@/lib/domain/ids";
import { notFound } from "@/lib/domain/errors";
import { uuidField } from "@/lib/domain/forms";
import { defineMutation, type MutationContext } from "@/lib/mutation";

// Server-side sessions (issue 10): a row per sign-in, checked on every request by getActor().
// The cookie's JWT carries a random 256-bit token; the row's id is its SHA-256, so what the
// database and the admin pages show cannot be presented as a session.

export type RevokeReason = "sign_out" | "sign_out_everywhere" | "admin" | "password_changed";

/** The row id of a session token (hex SHA-256). */
export function sessionIdOf(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * The actor behind a session token (getActor's check, one query): null unless the session row is
 * live (not revoked, not expired), belongs to `userId`, and its user is active, in an active
 * company and still at the session's version.
 */
export async function actorOfSession(db: DbOrTx, token: { sid?: string | null; userId?: string | null }, now: Date = new Date()): Promise<Actor | null> {
  // A token from before server-side sessions carries no sid: signed out.
  if (!token.sid || !token.userId || !isUuid(token.userId)) return null;
  const [row] = await activeSessionUser(db, { sessionId: sessionIdOf(token.sid), userId: token.userId, now: now.toISOString() });
  if (!row) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, companyId: row.company_id, sessionId: row.session_id };
}

/** A session id as shown on the admin page and posted back by its revoke buttons. */
export const sessionIdField = z.string({ error: "Choose a session." }).regex(/^[0-9a-f]{64}$/, "Choose a session.");

/**
 * Starts a session inside the sign-in transaction (lib/services/authentication.ts): the user's
 * expired rows are deleted on the way (cheap, by user; `npm run jobs` sweeps everyone's).
 */
export async function startSession(
  tx: Tx,
  params: { userId: string; sessionVersion: number; request: RequestContext; now: Date; maxAgeSeconds: number },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const id = sessionIdOf(token);
  const expiresAt = new Date(params.now.getTime() + params.maxAgeSeconds * 1000);
  await deleteExpiredSessionsOf(tx, params.userId, params.now);
  await insertSession(tx, {
    id,
    userId: params.userId,
    sessionVersion: params.sessionVersion,
    createdAt: params.now,
    lastSeenAt: params.now,
    expiresAt,
    // Bounded: the user agent is whatever the client sent.
    ip: params.request.ip?.slice(0, 100) ?? null,
    userAgent: params.request.userAgent?.slice(0, 500) ?? null,
  });
  return { token, id, expiresAt };
}

/**
 * Ends every live session of a user (sign out everywhere, an administrator's revoke-all, and inside
 * mutations that also void them by their version: a password change, deactivation, a new role): the
 * rows then say so on the admin page too. When any session ended, the user is told (a security
 * notice in the same transaction), unless the caller tells them itself (`notify: false`: a password
 * change's own notice says the sessions ended).
 */
export async function endAllSessionsOf(ctx: MutationContext, userId: string, reason: RevokeReason, opts: { notify?: boolean } = {}): Promise<string[]> {
  const ids = await revokeSessions(ctx.tx, { userId, by: ctx.actor.id, reason, now: new Date() });
  if (ids.length > 0 && opts.notify !== false && reason !== "password_changed") {
    await ctx.emit({ type: "security.sessions_ended", companyId: await companyIdOfUser(ctx.tx, userId), data: { userId, reason, sessions: ids.length } });
  }
  return ids;
}

async function auditRevoked(ctx: MutationContext, action: string, user: { id: string; companyId: string | null }, ids: string[]) {
  if (ids.length === 0) return;
  await ctx.audit({ action, entityType: "user", entityId: user.id, companyId: user.companyId, after: { sessionIds: ids.join(", "), sessions: ids.length } });
}

/** Sign out: ends the session this request came with. */
export const signOutSession = defineMutation({
  name: "session.sign_out",
  entityType: "user",
  permission: "account.sessions",
  input: z.object({}),
  async run(ctx) {
    const sessionId = ctx.actor.sessionId;
    const ids = sessionId ? await revokeSessions(ctx.tx, { userId: ctx.actor.id, sessionId, by: ctx.actor.id, reason: "sign_out", now: new Date() }) : [];
    await auditRevoked(ctx, "session.sign_out", ctx.actor, ids);
    return { revoked: ids.length };
  },
});

/** Sign out everywhere: ends all of the user's own sessions, this one included. */
export const signOutEverywhere = defineMutation({
  name: "session.sign_out_everywhere",
  entityType: "user",
  permission: "account.sessions",
  input: z.object({}),
  async run(ctx) {
    const ids = await endAllSessionsOf(ctx, ctx.actor.id, "sign_out_everywhere");
    await auditRevoked(ctx, "session.sign_out_everywhere", ctx.actor, ids);
    return { revoked: ids.length };
  },
});

async function lockTarget(ctx: MutationContext, userId: string) {
  // The user row is locked so a revocation and a change of the same user apply one after the other.
  const user = await lockUser(ctx.tx, userId, "any");
  if (!user) throw notFound("User", { entityType: "user", entityId: userId });
  return user;
}

/** An administrator ends one session of a user. */
export const revokeUserSession = defineMutation({
  name: "session.revoke",
  entityType: "user",
  permission: "users.manage",
  input: z.object({ userId: uuidField("user"), sessionId: sessionIdField }),
  async run(ctx, input) {
    const user = await lockTarget(ctx, input.userId);
    const ids = await revokeSessions(ctx.tx, { userId: user.id, sessionId: input.sessionId, by: ctx.actor.id, reason: "admin", now: new Date() });
    // Nothing revoked: either it had already ended (fine, nothing to do) or it is not this user's.
    if (ids.length === 0 && !(await sessionBelongsTo(ctx.tx, input.sessionId, user.id))) throw notFound("Session");
    await auditRevoked(ctx, "session.revoke", user, ids);
    return { revoked: ids.length };
  },
});

/** An administrator ends all of a user's sessions. */
export const revokeAllUserSessions = defineMutation({
  name: "session.revoke_all",
  entityType: "user",
  permission: "users.manage",
  input: z.object({ userId: uuidField("user") }),
  async run(ctx, input) {
    const user = await lockTarget(ctx, input.userId);
    const ids = await endAllSessionsOf(ctx, user.id, "admin");
    await auditRevoked(ctx, "session.revoke_all", user, ids);
    return { revoked: ids.length };
  },
});

/**
 * Deletes everyone's expired sessions (a sign-in deletes only its own user's), in batches so no
 * statement holds many row locks. For `npm run jobs`; safe to run concurrently and repeatedly.
 */
export async function purgeExpiredSessions(db: DbOrTx, now: Date = new Date()): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteExpiredSessions(db, now, 1000);
    total += n;
    if (n < 1000) return total;
  }
}
