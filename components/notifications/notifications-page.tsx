import { Pagination } from "@/components/lists/pagination";
import { hrefWith } from "@/components/lists/search-params";
import { PageHeader } from "@/components/ui";
import { db } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";
import { listNotifications, NOTIFICATIONS_PAGE_SIZE } from "@/db/queries/notifications";
import { getViewerTimeZone } from "@/lib/time-zone";
import { NotificationList } from "./notification-list";

type Action = (form: FormData) => Promise<void>;

/** The notifications page of either side (portal, admin): the signed-in user's own rows, newest first, paged. */
export async function NotificationsPage({ actor, page, path, markReadAction, markAllReadAction }: { actor: Actor; page: number; path: string; markReadAction: Action; markAllReadAction: Action }) {
  const tz = await getViewerTimeZone(actor);
  // listNotifications reads the signed-in user's own rows only.
  const { rows, total } = await listNotifications(db, actor.id, page);
  return (
    <>
      <PageHeader title="Notifications" description="What happened to your orders, approvals, invoices and payments." />
      <NotificationList rows={rows} timeZone={tz} markReadAction={markReadAction} markAllReadAction={markAllReadAction} />
      <Pagination label="Notifications pagination" page={page} total={total} pageSize={NOTIFICATIONS_PAGE_SIZE} href={(p) => hrefWith(path, { page: p })} />
    </>
  );
}
