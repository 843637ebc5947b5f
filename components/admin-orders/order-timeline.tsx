import { DateTime } from "@/components/lists/date-time";
import { staffStateLabel } from "@/components/orders/order-status-badge";
import { Badge } from "@/components/ui";
import type { OrderDetail } from "@/db/queries/orders";
import { timelineLabel } from "@/lib/domain/order-state";
import { roleLabels, roles, type Role } from "@/lib/domain/roles";

type Event = OrderDetail["timeline"][number];

function actorText(e: Event): string {
  const role = e.actorRole && (roles as readonly string[]).includes(e.actorRole) ? roleLabels[e.actorRole as Role] : null;
  if (e.actorName) return role ? `${e.actorName} (${role})` : e.actorName;
  return role ?? "System";
}

/** Everything that happened to the order, oldest first; internal notes are marked as such. */
export function OrderTimeline({ events, timeZone }: { events: Event[]; timeZone: string }) {
  if (events.length === 0) return (
      <p className="text-sm text-slate-600" data-testid="timeline">
        Nothing has happened yet.
      </p>
    );
  return (
    <ol className="space-y-3" data-testid="timeline">
      {events.map((e) => (
        <li
          key={String(e.id)}
          data-testid="timeline-event"
          className={e.internal ? "rounded-md border border-amber-200 bg-amber-50 p-3" : "rounded-md border border-slate-200 p-3"}
        >
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium text-slate-900">{timelineLabel(e.event)}</span>
            {e.internal && <Badge tone="warning">Internal</Badge>}
            {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus && (
              <span className="text-slate-600">
                {staffStateLabel(e.fromStatus)} → {staffStateLabel(e.toStatus)}
              </span>
            )}
          </div>
          <p className="mt-0.5 text-xs text-slate-600">
            <DateTime value={e.occurredAt} timeZone={timeZone} /> · {actorText(e)}
          </p>
          {e.note && <p className="mt-1 text-sm whitespace-pre-line text-slate-800">{e.note}</p>}
        </li>
      ))}
    </ol>
  );
}
