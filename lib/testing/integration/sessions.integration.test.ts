import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { listUserSessions } from "@/db/queries/sessions";
import { newRequestContext, runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { authenticate } from "@/lib/services/authentication";
import {
  actorOfSession,
  purgeExpiredSessions,
  revokeAllUserSessions,
  revokeUserSession,
  sessionIdOf,
  signOutEverywhere,
  signOutSession,
} from "@/lib/services/sessions";
import { changeOwnPassword, createUser, setUserActive } from "@/lib/services/users";
import type { Actor } from "@/lib/domain/actor";

setupTestDatabase();

const password = "violet-harbour-93-kettle";
let ipCounter = 1;
let keyCounter = 1;

/** A user of this test alone (other files sign the demo users in and out). */
async function newUser(role: "buyer" | "sales" = "buyer"): Promise<{ id: string; email: string }> {
  const admin = await actorByEmail("admin@demo.test");
  const companyId = role === "buyer" ? (await actorByEmail("buyer@acme.test")).companyId : null;
  const email = uniqueEmail("sessions");
  const created = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: `sessions-user-${keyCounter++}` }, { email, name: "Session Tester", role, companyId, password });
  if (!created.ok) throw new Error(created.error);
  return { id: created.data.id, email };
}

type SignedIn = { token: { sid: string; userId: string }; sessionId: string; requestId: string };

async function signIn(user: { email: string }, now = new Date()): Promise<SignedIn> {
  const req = newRequestContext({ ip: `198.51.100.${ipCounter++}`, userAgent: "Vitest/1.0 (sessions)" });
  const result = await authenticate({ email: user.email, password }, req, now);
  if (!result.ok) throw new Error(`sign-in failed: ${result.reason}`);
  return { token: { sid: result.user.sessionToken, userId: result.user.id }, sessionId: sessionIdOf(result.user.sessionToken), requestId: req.requestId };
}

async function actorOf(s: SignedIn, now?: Date): Promise<Actor | null> {
  return actorOfSession(db, s.token, now);
}

async function mustActor(s: SignedIn): Promise<Actor> {
  const actor = await actorOf(s);
  if (!actor) throw new Error("expected a live session");
  return actor;
}

async function sessionRow(id: string) {
  const [row] = await rows<{ revoked_reason: string | null; revoked_by: string | null; revoked: boolean; ip: string | null; user_agent: string | null; lifetime_s: number }>(
    sql`select revoked_reason, revoked_by, revoked_at is not null as revoked, ip, user_agent, extract(epoch from expires_at - created_at)::int as lifetime_s from user_sessions where id = ${id}`,
  );
  return row;
}

const auditOf = (requestId: string) =>
  rows<{ action: string; outcome: string; entity_id: string | null; sessions: string | null }>(
    sql`select action, outcome, entity_id, diff->'after'->>'sessions' as sessions from audit_events where request_id = ${requestId} order by id`,
  );

describe("a sign-in", () => {
  it("creates a session row with the request's IP and user agent, 8 hours long, audited with its id", async () => {
    const user = await newUser();
    const s = await signIn(user);
    expect(await sessionRow(s.sessionId)).toEqual({ revoked_reason: null, revoked_by: null, revoked: false, ip: expect.stringMatching(/^198\.51\.100\.\d+$/), user_agent: "Vitest/1.0 (sessions)", lifetime_s: 28_800 });
    const [audit] = await rows<{ action: string; entity_id: string; session_id: string }>(
      sql`select action, entity_id, diff->'after'->>'sessionId' as session_id from audit_events where request_id = ${s.requestId}`,
    );
    expect(audit).toEqual({ action: "auth.login", entity_id: user.id, session_id: s.sessionId });
    const actor = await actorOf(s);
    expect(actor).toEqual({ id: user.id, email: user.email, name: "Session Tester", role: "buyer", companyId: expect.any(String), sessionId: s.sessionId });
    // The token's secret itself is stored nowhere.
    const [stored] = await rows<{ n: number }>(sql`select count(*)::int as n from user_sessions where id = ${s.token.sid}`);
    expect(stored!.n).toBe(0);
  });

  it("counts only with its own user and its own token", async () => {
    const a = await signIn(await newUser());
    const b = await signIn(await newUser());
    expect(await actorOf({ ...a, token: { sid: a.token.sid, userId: b.token.userId } })).toBeNull();
    expect(await actorOf({ ...a, token: { sid: `${a.token.sid}x`, userId: a.token.userId } })).toBeNull();
    expect(await actorOf({ ...a, token: { sid: "", userId: a.token.userId } })).toBeNull();
    expect(await actorOf({ ...a, token: { sid: a.token.sid, userId: "not-a-uuid" } })).toBeNull();
    expect((await actorOf(a))?.id).toBe(a.token.userId);
  });
});

describe("a session ends", () => {
  it("when it expires, to the second", async () => {
    const now = new Date();
    const s = await signIn(await newUser(), now);
    expect(await actorOf(s, new Date(now.getTime() + 28_800_000 - 1000))).not.toBeNull();
    expect(await actorOf(s, new Date(now.getTime() + 28_800_000))).toBeNull();
  });

  it("on sign-out: that session only, revoked by the user, audited", async () => {
    const user = await newUser();
    const here = await signIn(user);
    const elsewhere = await signIn(user);
    const req = request();
    const result = await runMutation(signOutSession, { actor: await mustActor(here), request: req }, {});
    expect(result).toEqual({ ok: true, data: { revoked: 1 } });
    expect(await actorOf(here)).toBeNull();
    expect((await actorOf(elsewhere))?.id).toBe(user.id);
    expect(await sessionRow(here.sessionId)).toMatchObject({ revoked: true, revoked_reason: "sign_out", revoked_by: user.id });
    expect(await auditOf(req.requestId)).toEqual([{ action: "session.sign_out", outcome: "success", entity_id: user.id, sessions: "1" }]);
    // A copy of the signed-out session signs out nothing else, and revokes nothing twice.
    expect(await runMutation(signOutSession, { actor: { ...(await mustActor(elsewhere)), sessionId: here.sessionId }, request: request() }, {})).toEqual({ ok: true, data: { revoked: 0 } });
    expect((await actorOf(elsewhere))?.id).toBe(user.id);
  });

  it("everywhere: all of the user's sessions, nobody else's", async () => {
    const user = await newUser("sales");
    const other = await newUser("sales");
    const [one, two, three] = [await signIn(user), await signIn(user), await signIn(user)];
    const others = await signIn(other);
    const req = request();
    expect(await runMutation(signOutEverywhere, { actor: await mustActor(one), request: req }, {})).toEqual({ ok: true, data: { revoked: 3 } });
    for (const s of [one, two, three]) expect(await actorOf(s)).toBeNull();
    expect((await actorOf(others))?.id).toBe(other.id);
    expect(await auditOf(req.requestId)).toEqual([{ action: "session.sign_out_everywhere", outcome: "success", entity_id: user.id, sessions: "3" }]);
  });

  it("when the password changes: every session, the rows marked so", async () => {
    const user = await newUser();
    const one = await signIn(user);
    const two = await signIn(user);
    const result = await runMutation(changeOwnPassword, { actor: await mustActor(one), request: request() }, { currentPassword: password, newPassword: "amber-lantern-57-quarry" });
    expect(result.ok).toBe(true);
    expect(await actorOf(one)).toBeNull();
    expect(await actorOf(two)).toBeNull();
    expect(await sessionRow(two.sessionId)).toMatchObject({ revoked: true, revoked_reason: "password_changed" });
  });

  it("when the version moves even without the row (a bump by hand voids the session)", async () => {
    const user = await newUser();
    const s = await signIn(user);
    await rows(sql`update users set session_version = session_version + 1 where id = ${user.id}`);
    expect(await actorOf(s)).toBeNull();
    expect(await sessionRow(s.sessionId)).toMatchObject({ revoked: false });
  });

  it("when an admin deactivates the user", async () => {
    const user = await newUser();
    const s = await signIn(user);
    const admin = await actorByEmail("admin@demo.test");
    expect((await runMutation(setUserActive, { actor: admin, request: request() }, { id: user.id, active: "false" })).ok).toBe(true);
    expect(await actorOf(s)).toBeNull();
    expect(await sessionRow(s.sessionId)).toMatchObject({ revoked: true, revoked_reason: "admin", revoked_by: admin.id });
  });
});

describe("revoking another user's sessions", () => {
  it("is refused to anyone but an admin: nothing changes, the attempt is audited as denied", async () => {
    const target = await signIn(await newUser());
    for (const email of ["buyer@acme.test", "approver@acme.test", "sales@demo.test", "finance@demo.test"]) {
      const actor = await actorByEmail(email);
      const req = request();
      expect(await runMutation(revokeUserSession, { actor, request: req }, { userId: target.token.userId, sessionId: target.sessionId })).toMatchObject({ ok: false, code: "forbidden" });
      expect(await runMutation(revokeAllUserSessions, { actor, request: request() }, { userId: target.token.userId })).toMatchObject({ ok: false, code: "forbidden" });
      expect(await auditOf(req.requestId)).toEqual([{ action: "session.revoke", outcome: "denied", entity_id: null, sessions: null }]);
    }
    expect((await actorOf(target))?.id).toBe(target.token.userId);
    expect(await sessionRow(target.sessionId)).toMatchObject({ revoked: false });
  });

  it("by an admin: one session, then all; a session of another user is not found", async () => {
    const user = await newUser();
    const [one, two, three] = [await signIn(user), await signIn(user), await signIn(user)];
    const stranger = await signIn(await newUser());
    const admin = await actorByEmail("admin@demo.test");

    const req = request();
    expect(await runMutation(revokeUserSession, { actor: admin, request: req }, { userId: user.id, sessionId: two.sessionId })).toEqual({ ok: true, data: { revoked: 1 } });
    expect(await actorOf(two)).toBeNull();
    expect(await actorOf(one)).not.toBeNull();
    expect(await sessionRow(two.sessionId)).toMatchObject({ revoked: true, revoked_reason: "admin", revoked_by: admin.id });
    expect(await auditOf(req.requestId)).toEqual([{ action: "session.revoke", outcome: "success", entity_id: user.id, sessions: "1" }]);

    // Again: already ended, nothing to do, no audit row.
    const again = request();
    expect(await runMutation(revokeUserSession, { actor: admin, request: again }, { userId: user.id, sessionId: two.sessionId })).toEqual({ ok: true, data: { revoked: 0 } });
    expect(await auditOf(again.requestId)).toEqual([]);

    // The stranger's session under this user's id: not found, and it lives on.
    expect(await runMutation(revokeUserSession, { actor: admin, request: request() }, { userId: user.id, sessionId: stranger.sessionId })).toMatchObject({ ok: false, code: "not_found" });
    expect(await actorOf(stranger)).not.toBeNull();
    expect(await runMutation(revokeUserSession, { actor: admin, request: request() }, { userId: user.id, sessionId: "nope" })).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { sessionId: ["Choose a session."] } });

    const all = request();
    expect(await runMutation(revokeAllUserSessions, { actor: admin, request: all }, { userId: user.id })).toEqual({ ok: true, data: { revoked: 2 } });
    expect(await actorOf(one)).toBeNull();
    expect(await actorOf(three)).toBeNull();
    expect(await actorOf(stranger)).not.toBeNull();
    expect(await auditOf(all.requestId)).toEqual([{ action: "session.revoke_all", outcome: "success", entity_id: user.id, sessions: "2" }]);

    const listed = await listUserSessions(db, user.id);
    expect(listed.map((s) => [s.id, s.revokedReason, s.revokedByName])).toEqual(
      [three, two, one].map((s) => [s.sessionId, "admin", "Ada Admin"]),
    );
  });
});

describe("bookkeeping", () => {
  it("moves last_seen_at at most once a minute", async () => {
    const start = new Date(Date.now() - 10 * 60_000);
    const s = await signIn(await newUser(), start);
    const lastSeen = async () => (await rows<{ t: string }>(sql`select last_seen_at::text as t from user_sessions where id = ${s.sessionId}`))[0]!.t;
    const initial = await lastSeen();
    await actorOf(s, new Date(start.getTime() + 59_000));
    expect(await lastSeen()).toBe(initial);
    await actorOf(s, new Date(start.getTime() + 61_000));
    const moved = await lastSeen();
    expect(new Date(moved).getTime()).toBe(start.getTime() + 61_000);
    await actorOf(s, new Date(start.getTime() + 90_000));
    expect(await lastSeen()).toBe(moved);
  });

  it("deletes expired sessions: the user's own on their next sign-in, everyone's in the job", async () => {
    const user = await newUser();
    const long = new Date(Date.now() - 9 * 3600_000);
    const old = await signIn(user, long);
    const other = await signIn(await newUser(), long);
    const live = await signIn(user);
    const exists = async (id: string) => (await rows<{ n: number }>(sql`select count(*)::int as n from user_sessions where id = ${id}`))[0]!.n;
    expect(await exists(old.sessionId)).toBe(0);
    expect(await exists(other.sessionId)).toBe(1);
    expect(await purgeExpiredSessions(db)).toBeGreaterThanOrEqual(1);
    expect(await exists(other.sessionId)).toBe(0);
    expect(await exists(live.sessionId)).toBe(1);
  });
});
