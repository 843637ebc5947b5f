import type { ReactNode } from "react";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Badge, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { SessionListRow } from "@/db/queries/sessions";

const reasons: Record<string, string> = {
  sign_out: "signed out",
  sign_out_everywhere: "signed out everywhere",
  admin: "revoked",
  password_changed: "password changed",
};

export type SessionState = "current" | "active" | "revoked" | "expired";

export function sessionState(s: SessionListRow, currentId: string | undefined, now: Date): SessionState {
  if (s.revokedAt) return "revoked";
  if (s.expiresAt <= now) return "expired";
  return s.id === currentId ? "current" : "active";
}

/**
 * A user's sessions: when and from where they began, when last seen, and whether they still count.
 * `action` renders a control for a live row (the admin's "Revoke").
 */
export function SessionsTable({
  sessions,
  currentId,
  timeZone,
  caption,
  action,
}: {
  sessions: SessionListRow[];
  currentId: string | undefined;
  timeZone: string;
  caption: string;
  action?: (session: SessionListRow) => ReactNode;
}) {
  if (sessions.length === 0) return <EmptyState title="No sessions" description="Sessions appear here when the user signs in." />;
  const now = new Date();
  return (
    <Table caption={caption} stack>
      <THead>
        <tr>
          <TH>{zonedHeader("Signed in", timeZone)}</TH>
          <TH>Last seen</TH>
          <TH>IP address</TH>
          <TH>Browser</TH>
          <TH>Status</TH>
          {action && (
            <TH className="relative">
              <span className="sr-only">Actions</span>
            </TH>
          )}
        </tr>
      </THead>
      <TBody>
        {sessions.map((s) => {
          const state = sessionState(s, currentId, now);
          return (
            <TR key={s.id} data-testid={`session-${s.id.slice(0, 12)}`} data-state={state}>
              <TD className="whitespace-nowrap">
                <DateTime value={s.createdAt} timeZone={timeZone} zone={false} />
              </TD>
              <TD label="Last seen" className="whitespace-nowrap">
                <DateTime value={s.lastSeenAt} timeZone={timeZone} zone={false} />
              </TD>
              <TD label="IP address" className="whitespace-nowrap">{s.ip ?? "—"}</TD>
              <TD label="Browser" className="max-w-64 truncate" title={s.userAgent ?? undefined}>
                {s.userAgent ?? "—"}
              </TD>
              <TD label="Status" className="whitespace-nowrap">
                {state === "current" && <Badge tone="info">This session</Badge>}
                {state === "active" && <Badge tone="success">Active</Badge>}
                {state === "expired" && <Badge>Expired</Badge>}
                {state === "revoked" && (
                  <Badge tone="danger">
                    Ended: {reasons[s.revokedReason ?? ""] ?? "revoked"}
                    {s.revokedReason === "admin" && s.revokedByName ? ` by ${s.revokedByName}` : ""}
                  </Badge>
                )}
              </TD>
              {action && <TD>{state === "current" || state === "active" ? action(s) : null}</TD>}
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
