import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getUser, listUsers } from "@/db/queries/users";
import { db } from "@/lib/db";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, uniqueEmail, setupTestDatabase } from "@/test/helpers";
import { authenticate } from "./authentication";
import { createUser, inviteCompanyUser, setCompanyUserActive, setUserActive } from "./users";

setupTestDatabase();

const strong = "violet-harbour-93-kettle";

describe("user management", () => {
  it("lets a customer admin invite only into their own company", async () => {
    const approver = await actorByEmail("approver@acme.test");
    const email = uniqueEmail("invitee");
    const result = await runMutation(
      inviteCompanyUser,
      { actor: approver, request: request(), idempotencyKey: `invite-${email.split("@")[0]}` },
      { email, name: "New Colleague", role: "buyer", password: strong, companyId: "00000000-0000-0000-0000-000000000001" },
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.companyId).toBe(approver.companyId);
  });

  it("answers not_found for another company's user, changes nothing and audits the denied attempt", async () => {
    const approver = await actorByEmail("approver@acme.test");
    const globexBuyer = await actorByEmail("buyer@globex.test");
    expect(await getUser(db, approver, globexBuyer.id)).toBeNull();
    const { rows: visible } = await listUsers(db, approver, { companyId: globexBuyer.companyId! });
    expect(visible.every((u) => u.companyId === approver.companyId)).toBe(true);
    expect(visible.some((u) => u.id === globexBuyer.id)).toBe(false);

    const req = request();
    const result = await runMutation(setCompanyUserActive, { actor: approver, request: req }, { id: globexBuyer.id, active: "false" });
    expect(result).toEqual({ ok: false, code: "not_found", error: "User not found.", fieldErrors: undefined });
    const [still] = await rows<{ active: boolean }>(sql`select active from users where id = ${globexBuyer.id}`);
    expect(still!.active).toBe(true);
    const audit = await rows<{ outcome: string; entity_id: string }>(sql`select outcome, entity_id from audit_events where request_id = ${req.requestId}`);
    expect(audit).toEqual([{ outcome: "denied", entity_id: globexBuyer.id }]);
  });

  it("refuses a buyer managing users", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const result = await runMutation(inviteCompanyUser, { actor: buyer, request: request(), idempotencyKey: "buyer-invite-1" }, { email: uniqueEmail(), name: "X", role: "buyer", password: strong });
    expect(result).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("enforces the password policy and unique emails with field errors", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const weak = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: "weak-pass-1" }, { email: uniqueEmail(), name: "Weak", role: "sales", password: "password1234" });
    expect(weak).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { password: ["This password is too common. Choose a less predictable one."] } });
    const dup = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: "dup-email-1" }, { email: "BUYER@acme.test", name: "Dup", role: "sales", password: strong });
    expect(dup).toMatchObject({ ok: false, fieldErrors: { email: ["A user with this email already exists."] } });
    const noCompany = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: "no-company-1" }, { email: uniqueEmail(), name: "Lost", role: "buyer", password: strong });
    expect(noCompany).toMatchObject({ ok: false, fieldErrors: { companyId: ["Customer users belong to a company."] } });
  });

  it("deactivation bumps the session version and blocks sign-in", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const email = uniqueEmail("leaver");
    const created = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: `create-${email.split("@")[0]}` }, { email, name: "Leaver", role: "sales", password: strong });
    if (!created.ok) throw new Error(created.error);
    const off = await runMutation(setUserActive, { actor: admin, request: request() }, { id: created.data.id, active: "false" });
    expect(off).toMatchObject({ ok: true, data: { active: false } });
    const [row] = await rows<{ session_version: number }>(sql`select session_version from users where id = ${created.data.id}`);
    expect(row!.session_version).toBe(2);
    expect(await authenticate({ email, password: strong }, request())).toEqual({ ok: false, reason: "invalid" });
    const [audit] = await rows<{ before: string; after: string }>(
      sql`select diff->'before'->>'active' as before, diff->'after'->>'active' as after from audit_events where action = 'user.deactivate' and entity_id = ${created.data.id}`,
    );
    expect(audit).toEqual({ before: "true", after: "false" });
  });

  it("refuses an admin deactivating themselves", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(setUserActive, { actor: admin, request: request() }, { id: admin.id, active: "false" });
    expect(result).toMatchObject({ ok: false, code: "conflict" });
  });
});
