import "server-only";
import { eq } from "drizzle-orm";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { companies, users } from "@/db/schema";
import { auth } from "@/lib/auth";
import { db } from "@/db/client";
import { can, type Permission } from "@/lib/domain/permissions";
import type { Actor } from "@/lib/domain/actor";

/**
 * The signed-in user for this request, re-read from the database: a token for a deactivated
 * user, a deactivated company or an older session version (password changed) counts as signed out.
 * Cached per request so a page and its components share one lookup.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  const claims = session?.user;
  if (!claims?.id) return null;
  const [row] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      companyId: users.companyId,
      active: users.active,
      sessionVersion: users.sessionVersion,
      companyActive: companies.active,
    })
    .from(users)
    .leftJoin(companies, eq(companies.id, users.companyId))
    .where(eq(users.id, claims.id));
  if (!row || !row.active || row.companyActive === false || row.sessionVersion !== claims.sessionVersion) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role, companyId: row.companyId };
});

/** For pages: the actor, or a redirect to the login page. */
export async function requireActor(): Promise<Actor> {
  const actor = await getActor();
  if (!actor) redirect("/login");
  return actor;
}

/** For pages: the actor holding `permission`; anyone else gets a 404, which reveals nothing. */
export async function requirePermission(permission: Permission): Promise<Actor> {
  const actor = await requireActor();
  if (!can(actor.role, permission)) notFound();
  return actor;
}
