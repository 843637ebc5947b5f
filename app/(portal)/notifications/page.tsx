import type { Metadata } from "next";
import { pageParam, type SearchParams } from "@/components/lists/search-params";
import { NotificationsPage } from "@/components/notifications/notifications-page";
import { requirePermission } from "@/lib/session";
import { markAllNotificationsReadAction, markNotificationReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

export default async function Page({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("portal.access");
  const page = pageParam(await searchParams);
  return <NotificationsPage actor={actor} page={page} path="/notifications" markReadAction={markNotificationReadAction} markAllReadAction={markAllNotificationsReadAction} />;
}
