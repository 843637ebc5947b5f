import "server-only";
import { z } from "zod";
import type { User } from "@/db/schema";
import type { Tx } from "@/db/client";
import { companyBrief } from "@/db/queries/companies";
import { insertUserRow, lockUser, updateUserRow, userByEmail } from "@/db/queries/users";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { FieldProblems } from "@/lib/domain/field-problems";
import { emailField, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { passwordProblem } from "@/lib/domain/password-policy";
import { customerRoles, isCustomerRole, roles, type Role } from "@/lib/domain/roles";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { uniqueViolation } from "@/lib/pg-error";
import { hashPassword, verifyPassword } from "./passwords";
import { endAllSessionsOf } from "./sessions";

export type UserSummary = { id: string; email: string; role: Role; companyId: string | null; active: boolean };

function summary(u: User): UserSummary {
  return { id: u.id, email: u.email, role: u.role, companyId: u.companyId, active: u.active };
}

const password = z.string({ error: "Password is required." });

/**
 * The password policy as part of the form's validation, checked even when other fields failed so
 * the form lists every problem at once (insertUser checks it again for the scripts).
 */
function withPasswordPolicy<T extends z.ZodType<{ email: string; password: string }>>(schema: T) {
  return schema.refine((v) => passwordProblem(v.password, { email: v.email }) === null, {
    path: ["password"],
    when: ({ value }) => typeof (value as { password?: unknown }).password === "string",
    error: (issue) => {
      const v = issue.input as { email?: unknown; password: string };
      return passwordProblem(v.password, { email: typeof v.email === "string" ? v.email : undefined }) ?? undefined;
    },
  });
}

/** Inserts a user after the rules every creation path shares; used by staff, customer admins and scripts. */
export async function insertUser(
  tx: Tx,
  input: { email: string; name: string; role: Role; companyId: string | null; password: string },
): Promise<User> {
  // Every rule is checked before any is reported, so the form shows all the problems at once.
  const problems = new FieldProblems();
  const weak = passwordProblem(input.password, { email: input.email });
  if (weak) problems.add("password", weak);
  const companyId = isCustomerRole(input.role) ? input.companyId : null;
  await checkCompanyAndEmail(tx, problems, { role: input.role, companyId, email: input.email });
  problems.throwIfAny();
  return insertUserRow(tx, {
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    companyId,
    passwordHash: await hashPassword(input.password),
  }).catch(rethrowDuplicateEmail);
}

/** A customer user needs an existing company; an email belongs to one user (case-insensitive). */
async function checkCompanyAndEmail(
  tx: Tx,
  problems: FieldProblems,
  input: { role: Role; companyId: string | null; email: string; currentEmail?: string },
): Promise<void> {
  if (isCustomerRole(input.role) && !input.companyId) problems.add("companyId", "Customer users belong to a company.");
  if (input.companyId && !(await companyBrief(tx, input.companyId))) problems.add("companyId", "Choose an existing company.");
  if (input.email.toLowerCase() !== input.currentEmail?.toLowerCase() && (await userByEmail(tx, input.email))) {
    problems.add("email", "A user with this email already exists.");
  }
}

/** Two requests taking the same email at once: the unique index decides, the user sees a field error (also for callers outside runMutation, such as the seed). */
function rethrowDuplicateEmail(error: unknown): never {
  const duplicate = uniqueViolation(error);
  if (duplicate) throw fieldError(duplicate.field, duplicate.message);
  throw error;
}

/** A user the actor may manage: any user for staff admins, own company's users for customer admins. */
async function loadManagedUser(ctx: MutationContext, id: string): Promise<User> {
  const user = await lockUser(ctx.tx, id, ctx.actor.role === "admin" ? "any" : { companyId: ctx.actor.companyId });
  if (!user) throw notFound("User", { entityType: "user", entityId: id });
  return user;
}

export const createUser = defineMutation({
  name: "user.create",
  entityType: "user",
  permission: "users.manage",
  idempotent: true,
  input: withPasswordPolicy(
    z.object({
      email: emailField,
      name: requiredText("Name", 200),
      role: z.enum(roles, { error: "Choose a role." }),
      companyId: z.preprocess((v) => (v === "" ? null : v), uuidField("company").nullable()).default(null),
      password,
    }),
  ),
  async run(ctx, input) {
    const user = await insertUser(ctx.tx, input);
    await ctx.audit({ action: "user.create", entityType: "user", entityId: user.id, companyId: user.companyId, after: user });
    return summary(user);
  },
});

export const inviteCompanyUser = defineMutation({
  name: "user.invite",
  entityType: "user",
  permission: "users.manage_own_company",
  idempotent: true,
  input: withPasswordPolicy(
    z.object({
      email: emailField,
      name: requiredText("Name", 200),
      role: z.enum(customerRoles, { error: "Choose a role." }),
      password,
    }),
  ),
  async run(ctx, input) {
    const user = await insertUser(ctx.tx, { ...input, companyId: ctx.actor.companyId });
    await ctx.audit({ action: "user.invite", entityType: "user", entityId: user.id, companyId: user.companyId, after: user });
    return summary(user);
  },
});

export const updateUser = defineMutation({
  name: "user.update",
  entityType: "user",
  permission: "users.manage",
  input: z.object({
    id: uuidField("user"),
    email: emailField,
    name: requiredText("Name", 200),
    role: z.enum(roles, { error: "Choose a role." }),
    companyId: z.preprocess((v) => (v === "" ? null : v), uuidField("company").nullable()).default(null),
  }),
  async run(ctx, input) {
    const before = await loadManagedUser(ctx, input.id);
    const problems = new FieldProblems();
    if (before.id === ctx.actor.id && input.role !== before.role) problems.add("role", "You cannot change your own role.");
    const companyId = isCustomerRole(input.role) ? input.companyId : null;
    await checkCompanyAndEmail(ctx.tx, problems, { role: input.role, companyId, email: input.email, currentEmail: before.email });
    problems.throwIfAny();
    // A new role or company changes what the user may see: end their current sessions.
    const accessChanged = input.role !== before.role || companyId !== before.companyId;
    const after = await updateUserRow(
      ctx.tx,
      input.id,
      { email: input.email, name: input.name, role: input.role, companyId },
      { endSessions: accessChanged },
    ).catch(rethrowDuplicateEmail);
    if (accessChanged) await endAllSessionsOf(ctx, input.id, "admin");
    await ctx.audit({ action: "user.update", entityType: "user", entityId: after.id, companyId: after.companyId, before: before, after });
    return summary(after);
  },
});

async function setActive(ctx: MutationContext, id: string, active: boolean, action: string) {
  const before = await loadManagedUser(ctx, id);
  if (before.id === ctx.actor.id && !active) throw new DomainError("conflict", "You cannot deactivate your own account.");
  if (before.active === active) return summary(before);
  const after = await updateUserRow(ctx.tx, id, { active }, { endSessions: true });
  await endAllSessionsOf(ctx, id, "admin");
  await ctx.audit({ action, entityType: "user", entityId: id, companyId: after.companyId, before: before, after });
  return summary(after);
}

const setActiveInput = z.object({ id: uuidField("user"), active: z.enum(["true", "false"]).transform((v) => v === "true") });

export const setUserActive = defineMutation({
  name: "user.set_active",
  entityType: "user",
  permission: "users.manage",
  input: setActiveInput,
  run: (ctx, input) => setActive(ctx, input.id, input.active, input.active ? "user.reactivate" : "user.deactivate"),
});

export const setCompanyUserActive = defineMutation({
  name: "user.set_active_own_company",
  entityType: "user",
  permission: "users.manage_own_company",
  input: setActiveInput,
  run: (ctx, input) => setActive(ctx, input.id, input.active, input.active ? "user.reactivate" : "user.deactivate"),
});

export const resetUserPassword = defineMutation({
  name: "user.reset_password",
  entityType: "user",
  permission: "users.manage",
  input: z.object({ id: uuidField("user"), password }),
  async run(ctx, input) {
    const before = await loadManagedUser(ctx, input.id);
    const problem = passwordProblem(input.password, { email: before.email });
    if (problem) throw fieldError("password", problem);
    const after = await updateUserRow(ctx.tx, input.id, { passwordHash: await hashPassword(input.password) }, { endSessions: true });
    // The password notice says the sessions ended too: one mail, not two.
    await endAllSessionsOf(ctx, input.id, "admin", { notify: false });
    await ctx.emit({ type: "security.password_changed", companyId: after.companyId, data: { userId: input.id, by: "admin" } });
    await ctx.audit({ action: "user.reset_password", entityType: "user", entityId: input.id, companyId: after.companyId, before: before, after });
    return summary(after);
  },
});

export const changeOwnPassword = defineMutation({
  name: "user.change_password",
  entityType: "user",
  permission: "account.change_password",
  input: z.object({ currentPassword: z.string().min(1, "Enter your current password."), newPassword: password }),
  async run(ctx, input) {
    const before = await lockUser(ctx.tx, ctx.actor.id, "any");
    if (!before) throw notFound("User");
    const problems = new FieldProblems();
    if (!(await verifyPassword(input.currentPassword, before.passwordHash))) {
      problems.add("currentPassword", "The current password is incorrect.");
    }
    const weak = passwordProblem(input.newPassword, { email: before.email });
    if (weak) problems.add("newPassword", weak);
    problems.throwIfAny();
    const after = await updateUserRow(ctx.tx, ctx.actor.id, { passwordHash: await hashPassword(input.newPassword) }, { endSessions: true });
    // The version bump already voids every session; the rows say so too (this one included).
    await endAllSessionsOf(ctx, ctx.actor.id, "password_changed");
    await ctx.emit({ type: "security.password_changed", companyId: after.companyId, data: { userId: ctx.actor.id, by: "self" } });
    await ctx.audit({ action: "user.change_password", entityType: "user", entityId: ctx.actor.id, before: before, after });
    return summary(after);
  },
});

const optionalMoney = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v ?? ""),
  z.string().max(30).regex(/^(\d[\d,_ ]*(\.\d{1,3})?)?$/, "Enter an amount such as 5000 or 5000.00, or leave it empty for no limit."),
);

/** A typed limit in minor units of the currency; empty means no limit, a bad amount is added to `problems`. */
function limitMinor(problems: FieldProblems, currency: string, text: string, field: string): bigint | null {
  if (text === "") return null;
  const minor = parseMoneyInput(text, minorDigits(currency));
  if (minor === null || minor < 0n) {
    problems.add(field, `Enter an amount in ${currency} with at most ${minorDigits(currency)} decimals.`);
    return null;
  }
  return minor;
}

/** A buyer's spending limits (per order, per month); above them the company's admin approves. */
export const setSpendingLimits = defineMutation({
  name: "user.set_spending_limits",
  entityType: "user",
  permission: "users.set_spending_limits",
  input: z.object({ id: uuidField("user"), orderLimit: optionalMoney.default(""), monthlyLimit: optionalMoney.default("") }),
  async run(ctx, input) {
    const before = await loadManagedUser(ctx, input.id);
    if (before.role !== "buyer") throw new DomainError("conflict", "Spending limits apply to buyers; customer admins approve orders themselves.");
    // A buyer always has a company (users_company_role_check); the limits are in its currency.
    const company = before.companyId ? await companyBrief(ctx.tx, before.companyId) : null;
    if (!company) throw new Error(`buyer ${before.id} has no company`);
    const currency = company.currency;
    const problems = new FieldProblems();
    const orderLimitMinor = limitMinor(problems, currency, input.orderLimit, "orderLimit");
    const monthlyLimitMinor = limitMinor(problems, currency, input.monthlyLimit, "monthlyLimit");
    problems.throwIfAny();
    const after = await updateUserRow(ctx.tx, input.id, { orderLimitMinor, monthlyLimitMinor });
    await ctx.audit({
      action: "user.set_spending_limits",
      entityType: "user",
      entityId: input.id,
      companyId: after.companyId,
      before: { orderLimitMinor: before.orderLimitMinor, monthlyLimitMinor: before.monthlyLimitMinor },
      after: { orderLimitMinor: after.orderLimitMinor, monthlyLimitMinor: after.monthlyLimitMinor },
    });
    return summary(after);
  },
});
