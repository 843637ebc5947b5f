import "server-only";
import { isUuid } from "@/lib/domain/ids";
import { and, asc, count, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import { companies, users, type NewUser, type User } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";

export const PAGE_SIZE = 25;

const userColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  active: users.active,
  companyId: users.companyId,
  companyName: companies.name,
  lastLoginAt: users.lastLoginAt,
  createdAt: users.createdAt,
  orderLimitMinor: users.orderLimitMinor,
  monthlyLimitMinor: users.monthlyLimitMinor,
};

export type UserRow = { id: string; email: string; name: string; role: Actor["role"]; active: boolean; companyId: string | null; companyName: string | null; lastLoginAt: Date | null; createdAt: Date; orderLimitMinor: bigint | null; monthlyLimitMinor: bigint | null };

/**
 * Users visible to the actor: every user for staff with users.manage, only their own company's
 * users for a customer admin (scoped in SQL, whatever the caller passes).
 */
export async function listUsers(
  db: DbOrTx,
  actor: Actor,
  params: { q?: string; page?: number; companyId?: string; role?: Actor["role"]; active?: boolean },
): Promise<{ rows: UserRow[]; total: number }> {
  const filters: (SQL | undefined)[] = [];
  if (params.role) filters.push(eq(users.role, params.role));
  if (params.active !== undefined) filters.push(eq(users.active, params.active));
  if (actor.role !== "admin") filters.push(eq(users.companyId, actor.companyId ?? "00000000-0000-0000-0000-000000000000"));
  else if (params.companyId) filters.push(eq(users.companyId, params.companyId));
  if (params.q) {
    const like = `%${params.q.replace(/[%_\\]/g, "\\$&")}%`;
    filters.push(or(ilike(users.email, like), ilike(users.name, like)));
  }
  const where = and(...filters);
  const page = Math.max(1, params.page ?? 1);
  const rows = await db
    .select(userColumns)
    .from(users)
    .leftJoin(companies, eq(companies.id, users.companyId))
    .where(where)
    .orderBy(asc(users.email), asc(users.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(users).where(where);
  return { rows, total: total?.n ?? 0 };
}

/** One user the actor may see, or null (a foreign company's user is indistinguishable from none). */
export async function getUser(db: DbOrTx, actor: Actor, id: string): Promise<UserRow | null> {
  if (!isUuid(id)) return null;
  const scope = actor.role === "admin" ? eq(users.id, id) : and(eq(users.id, id), eq(users.companyId, actor.companyId ?? "00000000-0000-0000-0000-000000000000"));
  const [row] = await db.select(userColumns).from(users).leftJoin(companies, eq(companies.id, users.companyId)).where(scope);
  return row ?? null;
}

/** The user with this email (case-insensitive), if any: whether an email is taken, where a fresh sign-in lands. */
export async function userByEmail(db: DbOrTx, email: string): Promise<{ id: string; role: Actor["role"] } | null> {
  const [row] = await db.select({ id: users.id, role: users.role }).from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return row ?? null;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

export async function insertUserRow(tx: DbOrTx, values: NewUser): Promise<User> {
  const [created] = await tx.insert(users).values(values).returning();
  return created!;
}

/**
 * Locks a user for a change. `companyId` scopes the lookup to one company (a customer admin's);
 * "any" is for staff. A user outside the scope is indistinguishable from none.
 */
export async function lockUser(tx: DbOrTx, id: string, scope: { companyId: string | null } | "any"): Promise<User | null> {
  const where =
    scope === "any" ? eq(users.id, id) : and(eq(users.id, id), scope.companyId === null ? sql`false` : eq(users.companyId, scope.companyId));
  const [user] = await tx.select().from(users).where(where).for("update");
  return user ?? null;
}

/** Updates a user; `endSessions` bumps the session version, which signs the user out everywhere. */
export async function updateUserRow(tx: DbOrTx, id: string, set: Partial<NewUser>, options: { endSessions?: boolean } = {}): Promise<User> {
  const [after] = await tx
    .update(users)
    .set({ ...set, updatedAt: new Date(), ...(options.endSessions ? { sessionVersion: sql`${users.sessionVersion} + 1` } : {}) })
    .where(eq(users.id, id))
    .returning();
  return after!;
}

/** What a sign-in needs to know of the user: their company's state and the session version (getActor's check is db/queries/sessions.ts). */
const sessionColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  companyId: users.companyId,
  active: users.active,
  sessionVersion: users.sessionVersion,
  companyActive: companies.active,
};

/** The user behind a sign-in attempt, with the password hash (never leaves the authentication service). */
export async function userForLogin(db: DbOrTx, email: string) {
  const [user] = await db
    .select({ ...sessionColumns, passwordHash: users.passwordHash })
    .from(users)
    .leftJoin(companies, eq(companies.id, users.companyId))
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return user ?? null;
}

export async function setLastLoginAt(tx: DbOrTx, userId: string, at: Date): Promise<void> {
  await tx.update(users).set({ lastLoginAt: at }).where(eq(users.id, userId));
}

/** The company a user belongs to (null: staff, or no such user). */
export async function companyIdOfUser(db: DbOrTx, userId: string): Promise<string | null> {
  if (!isUuid(userId)) return null;
  const [row] = await db.select({ companyId: users.companyId }).from(users).where(eq(users.id, userId));
  return row?.companyId ?? null;
}
