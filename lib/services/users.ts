import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { companies, users, type User } from "@/db/schema";
import type { Tx } from "@/db/client";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { emailField, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { passwordProblem } from "@/lib/domain/password-policy";
import { customerRoles, isCustomerRole, roles, type Role } from "@/lib/domain/roles";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { pgConstraint, pgErrorCode } from "@/lib/pg-error";
import { hashPassword, verifyPassword } from "./passwords";

export type UserSummary = { id: string; email: string; role: Role; companyId: string | null; active: boolean };

function summary(u: User): UserSummary {
  return { id: u.id, email: u.email, role: u.role, companyId: u.companyId, active: u.active };
}

const password = z.string({ error: "Password is required." });

/** Inserts a user after the rules every creation path shares; used by staff, customer admins and scripts. */
export async function insertUser(
  tx: Tx,
  input: { email: string; name: string; role: Role; companyId: string | null; password: string },
): Promise<User> {
  const problem = passwordProblem(input.password, { email: input.email });
  if (problem) throw fieldError("password", problem);
  if (isCustomerRole(input.role) && !input.companyId) throw fieldError("companyId", "Customer users belong to a company.");
  const companyId = isCustomerRole(input.role) ? input.companyId : null;
  if (companyId) {
    const [company] = await tx.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId));
    if (!company) throw fieldError("companyId", "Choose an existing company.");
  }
  const [taken] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, input.email.toLowerCase()));
  if (taken) throw fieldError("email", "A user with this email already exists.");
  const [created] = await tx
    .insert(users)
    .values({
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      companyId,
      passwordHash: await hashPassword(input.password),
    })
    .returning()
    .catch(rethrowDuplicateEmail);
  return created!;
}

/** Two requests taking the same email at once: the unique index decides, the user sees a field error. */
function rethrowDuplicateEmail(error: unknown): never {
  if (pgErrorCode(error) === "23505" && pgConstraint(error) === "users_email_lower_key") {
    throw fieldError("email", "A user with this email already exists.");
  }
  throw error;
}

/** A user the actor may manage: any user for staff admins, own company's users for customer admins. */
async function loadManagedUser(ctx: MutationContext, id: string): Promise<User> {
  const scope =
    ctx.actor.role === "admin" ? eq(users.id, id) : and(eq(users.id, id), eq(users.companyId, ctx.actor.companyId ?? sql`null`));
  const [user] = await ctx.tx.select().from(users).where(scope).for("update");
  if (!user) throw notFound("User", { entityType: "user", entityId: id });
  return user;
}

export const createUser = defineMutation({
  name: "user.create",
  entityType: "user",
  permission: "users.manage",
  idempotent: true,
  input: z.object({
    email: emailField,
    name: requiredText("Name", 200),
    role: z.enum(roles, { error: "Choose a role." }),
    companyId: z.preprocess((v) => (v === "" ? null : v), uuidField("company").nullable()).default(null),
    password,
  }),
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
  input: z.object({
    email: emailField,
    name: requiredText("Name", 200),
    role: z.enum(customerRoles, { error: "Choose a role." }),
    password,
  }),
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
    if (before.id === ctx.actor.id && input.role !== before.role) {
      throw fieldError("role", "You cannot change your own role.");
    }
    const companyId = isCustomerRole(input.role) ? input.companyId : null;
    if (isCustomerRole(input.role) && !companyId) throw fieldError("companyId", "Customer users belong to a company.");
    if (companyId) {
      const [company] = await ctx.tx.select({ id: companies.id }).from(companies).where(eq(companies.id, companyId));
      if (!company) throw fieldError("companyId", "Choose an existing company.");
    }
    if (input.email !== before.email.toLowerCase()) {
      const [taken] = await ctx.tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, input.email));
      if (taken) throw fieldError("email", "A user with this email already exists.");
    }
    // A new role or company changes what the user may see: end their current sessions.
    const accessChanged = input.role !== before.role || companyId !== before.companyId;
    const [after] = await ctx.tx
      .update(users)
      .set({
        email: input.email,
        name: input.name,
        role: input.role,
        companyId,
        updatedAt: new Date(),
        ...(accessChanged ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}),
      })
      .where(eq(users.id, input.id))
      .returning()
      .catch(rethrowDuplicateEmail);
    await ctx.audit({ action: "user.update", entityType: "user", entityId: after!.id, companyId: after!.companyId, before: before, after: after! });
    return summary(after!);
  },
});

async function setActive(ctx: MutationContext, id: string, active: boolean, action: string) {
  const before = await loadManagedUser(ctx, id);
  if (before.id === ctx.actor.id && !active) throw new DomainError("conflict", "You cannot deactivate your own account.");
  if (before.active === active) return summary(before);
  const [after] = await ctx.tx
    .update(users)
    .set({ active, updatedAt: new Date(), sessionVersion: sql`${users.sessionVersion} + 1` })
    .where(eq(users.id, id))
    .returning();
  await ctx.audit({ action, entityType: "user", entityId: id, companyId: after!.companyId, before: before, after: after! });
  return summary(after!);
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
    const [after] = await ctx.tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.password), sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, input.id))
      .returning();
    await ctx.audit({ action: "user.reset_password", entityType: "user", entityId: input.id, companyId: after!.companyId, before: before, after: after! });
    return summary(after!);
  },
});

export const changeOwnPassword = defineMutation({
  name: "user.change_password",
  entityType: "user",
  permission: "account.change_password",
  input: z.object({ currentPassword: z.string().min(1, "Enter your current password."), newPassword: password }),
  async run(ctx, input) {
    const [before] = await ctx.tx.select().from(users).where(eq(users.id, ctx.actor.id)).for("update");
    if (!before) throw notFound("User");
    if (!(await verifyPassword(input.currentPassword, before.passwordHash))) {
      throw fieldError("currentPassword", "The current password is incorrect.");
    }
    const problem = passwordProblem(input.newPassword, { email: before.email });
    if (problem) throw fieldError("newPassword", problem);
    const [after] = await ctx.tx
      .update(users)
      .set({ passwordHash: await hashPassword(input.newPassword), sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
      .where(eq(users.id, ctx.actor.id))
      .returning();
    await ctx.audit({ action: "user.change_password", entityType: "user", entityId: ctx.actor.id, before: before, after: after! });
    return summary(after!);
  },
});

const optionalMoney = z.preprocess(
  (v) => (typeof v === "string" ? v.trim() : v ?? ""),
  z.string().max(30).regex(/^(\d[\d,_ ]*(\.\d{1,3})?)?$/, "Enter an amount such as 5000 or 5000.00, or leave it empty for no limit."),
);

/** A typed limit in minor units of the company's currency; empty means no limit. */
async function limitMinor(tx: Tx, companyId: string | null, text: string, field: string): Promise<bigint | null> {
  if (text === "") return null;
  const [company] = await tx.select({ currency: companies.currency }).from(companies).where(eq(companies.id, companyId ?? sql`null`));
  const currency = company?.currency ?? "EUR";
  const minor = parseMoneyInput(text, minorDigits(currency));
  if (minor === null || minor < 0n) throw fieldError(field, `Enter an amount in ${currency} with at most ${minorDigits(currency)} decimals.`);
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
    const orderLimitMinor = await limitMinor(ctx.tx, before.companyId, input.orderLimit, "orderLimit");
    const monthlyLimitMinor = await limitMinor(ctx.tx, before.companyId, input.monthlyLimit, "monthlyLimit");
    const [after] = await ctx.tx
      .update(users)
      .set({ orderLimitMinor, monthlyLimitMinor, updatedAt: new Date() })
      .where(eq(users.id, input.id))
      .returning();
    await ctx.audit({
      action: "user.set_spending_limits",
      entityType: "user",
      entityId: input.id,
      companyId: after!.companyId,
      before: { orderLimitMinor: before.orderLimitMinor, monthlyLimitMinor: before.monthlyLimitMinor },
      after: { orderLimitMinor: after!.orderLimitMinor, monthlyLimitMinor: after!.monthlyLimitMinor },
    });
    return summary(after!);
  },
});
