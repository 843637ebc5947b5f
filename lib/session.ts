import "server-only";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { db } from "@/db/client";
import { auth } from "@/lib/auth";
import { can, type Permission } from "@/lib/domain/permissions";
import type { Actor } from "@/lib/domain/actor";
import { actorOfSession } from "@/lib/services/sessions";

/**
 * The signed-in user for this request. The token only names a server-side session; one query
 * (actorOfSession) checks that its row is live (not signed out, revoked or expired) and that the
 * user is active, in an active company and at the session's version (a password change bumps
 * it). Anything else counts as signed out. Cached per request so a page and its components
 * share one lookup.
 */
export const getActor = cache(async (): Promise<Actor | null> => {
  const session = await auth();
  return actorOfSession(db, { sid: session?.user?.sid, userId: session?.user?.id });
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
