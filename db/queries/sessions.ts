import "server-only";
import { and, desc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import { userSessions, type NewUserSession } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";
import type { Role } from "@/lib/domain/roles";

const p = sql.placeholder;

/** How often last_seen_at is written at most: a busy session costs one write a minute, not one per request. */
export const LAST_SEEN_RESOLUTION_SECONDS = 60;

export type SessionUserRow = { session_id: string; id: string; email: string; name: string; role: Role; company_id: string | null };

/**
 * The one check every request makes (getActor): the session row exists, is not revoked or expired,
 * belongs to the user the token names, and the user is active, in an active company (staff: none)
 * and still at the session version the session began with (a password change bumps it). An empty
 * answer is a signed-out request. The same statement moves last_seen_at when it is over a minute
 * old (a data-modifying CTE runs whether or not the select reads it), so this stays one round trip.
 */
export const activeSessionUser = statement<SessionUserRow, { sessionId: string; userId: string; now: string }>(
  "session.active_user",
  sql`with s as (
        select s.id as session_id, u.id, u.email, u.name, u.role, u.company_id, s.last_seen_at
        from user_sessions s
        join users u on u.id = s.user_id
        left join companies c on c.id = u.company_id
        where s.id = ${p("sessionId")}::text and s.user_id = ${p("userId")}::uuid
          and s.revoked_at is null and s.expires_at > ${p("now")}::timestamptz
          and u.active and coalesce(c.active, true) and u.session_version = s.session_version
      ), touched as (
        update user_sessions set last_seen_at = ${p("now")}::timestamptz
        where id = (select session_id from s)
          and last_seen_at < ${p("now")}::timestamptz - make_interval(secs => ${LAST_SEEN_RESOLUTION_SECONDS})
        returning 1
      )
      select session_id, id, email, name, role, company_id from s`,
);

export async function insertSession(tx: DbOrTx, values: NewUserSession): Promise<void> {
  await tx.insert(userSessions).values(values);
}

/** Deletes one user's sessions that expired before `now` (cheap: by user, on each of their sign-ins). */
export async function deleteExpiredSessionsOf(tx: DbOrTx, userId: string, now: Date): Promise<number> {
  const rows = await tx
    .delete(userSessions)
    .where(and(eq(userSessions.userId, userId), lt(userSessions.expiresAt, now)))
    .returning({ id: userSessions.id });
  return rows.length;
}

/** Deletes up to `limit` sessions of anyone that expired before `before` (npm run jobs, in batches). */
export async function deleteExpiredSessions(db: DbOrTx, before: Date, limit: number): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`delete from user_sessions where id in (
          select id from user_sessions where expires_at < ${before.toISOString()}::timestamptz order by expires_at limit ${limit}
        ) returning id`,
  );
  return rows.length;
}

/**
 * Revokes the user's live sessions (all of them, or the one with `sessionId`), returning the rows it
 * revoked: already revoked or expired sessions are left as they were.
 */
export async function revokeSessions(
  tx: DbOrTx,
  params: { userId: string; sessionId?: string; by: string | null; reason: "sign_out" | "sign_out_everywhere" | "admin" | "password_changed"; now: Date },
): Promise<string[]> {
  const rows = await tx
    .update(userSessions)
    .set({ revokedAt: params.now, revokedBy: params.by, revokedReason: params.reason })
    .where(
      and(
        eq(userSessions.userId, params.userId),
        params.sessionId === undefined ? undefined : eq(userSessions.id, params.sessionId),
        isNull(userSessions.revokedAt),
        gt(userSessions.expiresAt, params.now),
      ),
    )
    .returning({ id: userSessions.id });
  return rows.map((r) => r.id);
}

/** Whether the session exists and belongs to the user (revoked or not): tells "nothing to do" from "not found". */
export async function sessionBelongsTo(db: DbOrTx, sessionId: string, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: userSessions.id })
    .from(userSessions)
    .where(and(eq(userSessions.id, sessionId), eq(userSessions.userId, userId)));
  return row !== undefined;
}

export type SessionListRow = {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  revokedByName: string | null;
  ip: string | null;
  userAgent: string | null;
};

/** A user's sessions, newest first (expired rows until the clean-up job deletes them). Callers check who may see them. */
export async function listUserSessions(db: DbOrTx, userId: string, limit = 50): Promise<SessionListRow[]> {
  const revoker = sql<string | null>`(select u.name from users u where u.id = ${userSessions.revokedBy})`;
  return db
    .select({
      id: userSessions.id,
      createdAt: userSessions.createdAt,
      lastSeenAt: userSessions.lastSeenAt,
      expiresAt: userSessions.expiresAt,
      revokedAt: userSessions.revokedAt,
      revokedReason: userSessions.revokedReason,
      revokedByName: revoker,
      ip: userSessions.ip,
      userAgent: userSessions.userAgent,
    })
    .from(userSessions)
    .where(eq(userSessions.userId, userId))
    .orderBy(desc(userSessions.createdAt), desc(userSessions.id))
    .limit(limit);
}

/** The given sessions' states, for tests and the admin page. */
export async function sessionsByIds(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select({ id: userSessions.id, userId: userSessions.userId, revokedAt: userSessions.revokedAt, revokedBy: userSessions.revokedBy, revokedReason: userSessions.revokedReason, lastSeenAt: userSessions.lastSeenAt })
    .from(userSessions)
    .where(inArray(userSessions.id, ids));
}
