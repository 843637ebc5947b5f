import { spawnSync } from "node:child_process";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getUser, listUsers } from "@/db/queries/users";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { authenticate } from "@/lib/services/authentication";
import { changeOwnPassword, createUser, inviteCompanyUser, setCompanyUserActive, setSpendingLimits, setUserActive, updateUser } from "@/lib/services/users";

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

describe("the user forms report all field errors at once", () => {
  it("names a malformed email and a weak password together", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: "all-errors-1" }, { email: "not-an-email", name: "", role: "sales", password: "password1234" });
    expect(result).toEqual({
      ok: false,
      code: "validation_failed",
      error: "Some fields need attention.",
      fieldErrors: {
        email: ["Enter a valid email address."],
        name: ["Name is required."],
        password: ["This password is too common. Choose a less predictable one."],
      },
    });
  });

  it("names a taken email and a missing company together", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: "all-errors-2" }, { email: "buyer@acme.test", name: "Dup", role: "buyer", password: strong });
    expect(result).toEqual({
      ok: false,
      code: "validation_failed",
      error: "Some fields need attention.",
      fieldErrors: { companyId: ["Customer users belong to a company."], email: ["A user with this email already exists."] },
    });
  });

  it("on edit, names a taken email and a missing company together, and changes nothing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const email = uniqueEmail("editee");
    const created = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: `create-${email.split("@")[0]}` }, { email, name: "Editee", role: "sales", password: strong });
    if (!created.ok) throw new Error(created.error);
    const result = await runMutation(updateUser, { actor: admin, request: request() }, { id: created.data.id, email: "finance@demo.test", name: "Editee", role: "buyer", companyId: "" });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { email: ["A user with this email already exists."], companyId: ["Customer users belong to a company."] },
    });
    const [row] = await rows<{ email: string; role: string }>(sql`select email, role from users where id = ${created.data.id}`);
    expect(row).toEqual({ email, role: "sales" });
  });

  it("names both bad spending limits", async () => {
    const approver = await actorByEmail("approver@acme.test");
    const buyer = await actorByEmail("buyer@acme.test");
    const result = await runMutation(setSpendingLimits, { actor: approver, request: request() }, { id: buyer.id, orderLimit: "12.345", monthlyLimit: "1.234" });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { orderLimit: ["Enter an amount in EUR with at most 2 decimals."], monthlyLimit: ["Enter an amount in EUR with at most 2 decimals."] },
    });
  });
});

describe("password changes and the first admin", () => {
  it("changing one's password ends existing sessions (session version) and only the new password works", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const email = uniqueEmail("changer");
    const created = await runMutation(createUser, { actor: admin, request: request(), idempotencyKey: `create-${email.split("@")[0]}` }, { email, name: "Changer", role: "finance", password: strong });
    if (!created.ok) throw new Error(created.error);
    const self = await actorByEmail(email);
    const wrong = await runMutation(changeOwnPassword, { actor: self, request: request() }, { currentPassword: "not-my-password-1", newPassword: "copper-lantern-58-meadow" });
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { currentPassword: ["The current password is incorrect."] } });
    const changed = await runMutation(changeOwnPassword, { actor: self, request: request() }, { currentPassword: strong, newPassword: "copper-lantern-58-meadow" });
    expect(changed.ok).toBe(true);
    const [row] = await rows<{ session_version: number }>(sql`select session_version from users where id = ${self.id}`);
    expect(row!.session_version).toBe(2);
    expect(await authenticate({ email, password: strong }, request())).toEqual({ ok: false, reason: "invalid" });
    expect((await authenticate({ email, password: "copper-lantern-58-meadow" }, request())).ok).toBe(true);
  });

  it("npm run user:create makes an admin from the command line, password from the environment", async () => {
    if (!isPostgres()) return; // the command runs in its own process, which needs a database server
    const email = uniqueEmail("first-admin");
    const run = (password: string) =>
      spawnSync("npx", ["tsx", "--conditions=react-server", "lib/cli/user-create.ts", "--email", email, "--role", "admin", "--name", "First Admin"], {
        env: { ...process.env, USER_PASSWORD: password },
        encoding: "utf8",
      });
    const weak = run("password1234");
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain("Not created: This password is too common.");
    const ok = run("granite-orchard-77-falcon");
    expect(ok.stdout).toMatch(/^Created admin first-admin-[0-9a-f]{8}@example\.test \(/m);
    expect(ok.status).toBe(0);
    expect((await authenticate({ email, password: "granite-orchard-77-falcon" }, request())).ok).toBe(true);
  }, 60_000);
});
