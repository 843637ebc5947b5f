import Link from "next/link";
import type { ReactNode } from "react";
import { performMutation } from "@/lib/action";
import { signOut } from "@/lib/auth";
import { roleLabels } from "@/lib/domain/roles";
import { signOutSession } from "@/lib/services/sessions";
import type { Actor } from "@/lib/domain/actor";
import { NavLinks, type NavItem } from "./nav-links";

async function signOutAction() {
  "use server";
  // Revoke the server-side session first: a copy of the cookie is worthless from here on. A session
  // that had already ended answers "unauthenticated", and the cookie is cleared all the same.
  await performMutation(signOutSession, {});
  await signOut({ redirectTo: "/login" });
}

/** Header with navigation and the signed-in user; the same frame for the portal and the admin area. */
export function AppShell({ actor, area, nav, headerExtra, children }: { actor: Actor; area: string; nav: NavItem[]; /** Header items before the user (the notifications menu). */ headerExtra?: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <Link href={nav[0]?.href ?? "/"} className="font-semibold text-brand-700">
            Orderly B2B <span className="font-normal text-slate-600">· {area}</span>
          </Link>
          <div className="flex items-center gap-3 text-sm">
            {headerExtra}
            <span className="hidden text-slate-700 sm:inline" data-testid="current-user">
              {actor.name} <span className="text-slate-500">({roleLabels[actor.role]})</span>
            </span>
            <form action={signOutAction}>
              <button type="submit" className="rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100">
                Sign out
              </button>
            </form>
          </div>
        </div>
        <NavLinks items={nav} />
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {children}
      </main>
    </div>
  );
}
