import Link from "next/link";
import { DateTime } from "@/components/lists/date-time";
import { Card, EmptyState } from "@/components/ui";
import type { NotificationRow } from "@/db/queries/notifications";
import { MarkReadButton } from "./mark-read-button";

type Action = (form: FormData) => Promise<void>;

/** A user's notifications, newest first; unread ones are marked and can be marked read. */
export function NotificationList({ rows, timeZone, markReadAction, markAllReadAction }: { rows: NotificationRow[]; timeZone: string; markReadAction: Action; markAllReadAction: Action }) {
  if (rows.length === 0) {
    return (
      <Card>
        <EmptyState title="No notifications" description="Quotations, approvals, invoices and payments that concern you appear here." />
      </Card>
    );
  }
  const unread = rows.some((r) => !r.readAt);
  return (
    <Card>
      {unread && (
        <form action={markAllReadAction} className="mb-4">
          <MarkReadButton label="Mark all as read" />
        </form>
      )}
      <ul className="divide-y divide-slate-200" aria-label="Notifications">
        {rows.map((n) => (
          <li key={n.id} className="flex flex-wrap items-start justify-between gap-2 py-3" data-testid={`notification-${n.kind}`}>
            <div className="min-w-0">
              <p className={n.readAt ? "text-slate-700" : "font-semibold text-slate-900"}>
                {!n.readAt && <span className="sr-only">Unread: </span>}
                <Link href={n.link} className="text-brand-700 hover:underline">
                  {n.title}
                </Link>
              </p>
              {n.body && <p className="text-sm text-slate-700">{n.body}</p>}
              <p className="text-xs text-slate-600">
                <DateTime value={n.createdAt} timeZone={timeZone} />
              </p>
            </div>
            {!n.readAt && (
              <form action={markReadAction}>
                <input type="hidden" name="notificationId" value={n.id} />
                <MarkReadButton label="Mark as read" srSuffix={n.title} />
              </form>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
