import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/db/client";
import { sessionUser } from "@/db/queries/users";
import { auth } from "@/lib/auth";
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
  const row = await sessionUser(db, claims.id);
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
