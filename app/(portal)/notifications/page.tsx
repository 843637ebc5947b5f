import type { Metadata } from "next";
import { NotificationList } from "@/components/notifications/notification-list";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, type SearchParams } from "@/components/lists/search-params";
import { PageHeader } from "@/components/ui";
import { db } from "@/db/client";
import { listNotifications, NOTIFICATIONS_PAGE_SIZE } from "@/lib/notifications/queries";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { markAllNotificationsReadAction, markNotificationReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("portal.access");
  const tz = await getViewerTimeZone(actor);
  const page = pageParam(await searchParams);
  // listNotifications reads the signed-in user's own rows only.
  const { rows, total } = await listNotifications(db, actor.id, page);
  return (
    <>
      <PageHeader title="Notifications" description="What happened to your orders, approvals, invoices and payments." />
      <NotificationList rows={rows} timeZone={tz} markReadAction={markNotificationReadAction} markAllReadAction={markAllNotificationsReadAction} />
      <Pagination label="Notifications pagination" page={page} total={total} pageSize={NOTIFICATIONS_PAGE_SIZE} href={(p) => hrefWith("/notifications", { page: p })} />
    </>
  );
}
