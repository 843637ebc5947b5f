import Link from "next/link";
import { db } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";
import { unreadNotificationCount } from "@/db/queries/notifications";

/** The header's notifications entry: a link to the list with the unread count (server-rendered per request). */
export async function NotificationsMenu({ actor, href }: { actor: Actor; href: string }) {
  const unread = await unreadNotificationCount(db, actor.id);
  const label = unread === 0 ? "Notifications, none unread" : `Notifications, ${unread} unread`;
  return (
    <Link href={href} aria-label={label} data-testid="notifications-menu" className="inline-flex items-center gap-1 rounded-md px-2 py-1 font-medium text-slate-700 hover:bg-slate-100">
      Notifications
      {unread > 0 && (
        <span aria-hidden="true" data-testid="notifications-unread" className="rounded-full bg-brand-700 px-1.5 py-0.5 text-xs font-semibold text-white">
          {unread > 99 ? "99+" : unread}
        </span>
      )}
    </Link>
  );
}
