import "server-only";
import { isUuid } from "@/lib/domain/ids";
import { and, asc, count, eq, ilike, or, type SQL } from "drizzle-orm";
import { companies, users } from "@/db/schema";
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
  params: { q?: string; page?: number; companyId?: string },
): Promise<{ rows: UserRow[]; total: number }> {
  const filters: (SQL | undefined)[] = [];
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
