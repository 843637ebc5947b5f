import Link from "next/link";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Badge, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { DeliveryRow, EndpointRow } from "@/db/queries/webhooks";
import { WEBHOOK_POLICY } from "@/lib/domain/webhook-events";

/** The retry and disabling rule in words (the numbers come from WEBHOOK_POLICY). */
export function RetryPolicyNote() {
  return (
    <p className="text-sm text-slate-600">
      Each delivery is signed per Standard Webhooks and must answer 2xx within {WEBHOOK_POLICY.TIMEOUT_MS / 1000} s. Failures are retried up to{" "}
      {WEBHOOK_POLICY.RETRY_LIMIT} times with exponential backoff (30 s doubling, at most 6 h apart, about 34 h in all). An endpoint is disabled
      after {WEBHOOK_POLICY.DISABLE_AFTER_FAILURES} consecutive failures spanning at least {WEBHOOK_POLICY.DISABLE_AFTER_HOURS} hours; enable it
      again below once it is fixed.
    </p>
  );
}

export function EndpointsTable({ endpoints, basePath, timeZone }: { endpoints: EndpointRow[]; basePath: string; timeZone: string }) {
  if (endpoints.length === 0) return <EmptyState title="No webhook endpoints" description="Add one below to receive events as they happen." />;
  return (
    <Table caption="Webhook endpoints" stack>
      <THead>
        <tr>
          <TH>URL</TH>
          <TH>Events</TH>
          <TH>Status</TH>
          <TH>Failures in a row</TH>
          <TH>{zonedHeader("Added", timeZone)}</TH>
        </tr>
      </THead>
      <TBody>
        {endpoints.map((e) => (
          <TR key={e.id}>
            <TD>
              <Link className="underline" href={`${basePath}/${e.id}`}>
                {e.url}
              </Link>
              {e.description && <div className="text-xs text-slate-600">{e.description}</div>}
            </TD>
            <TD label="Events">{e.eventTypes.join(", ")}</TD>
            <TD label="Status">
              {e.enabled ? <Badge tone="success">Enabled</Badge> : <Badge tone="danger">{e.disabledReason === "failures" ? "Disabled after failures" : "Disabled"}</Badge>}
            </TD>
            <TD label="Failures in a row">{e.failureCount}</TD>
            <TD label="Added">
              <DateTime value={e.createdAt} timeZone={timeZone} />
            </TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}

export function DeliveriesTable({
  deliveries,
  timeZone,
  replay,
}: {
  deliveries: DeliveryRow[];
  timeZone: string;
  replay: (d: DeliveryRow) => React.ReactNode;
}) {
  if (deliveries.length === 0) return <EmptyState title="No deliveries yet" description="Attempts appear here as events are sent to this endpoint." />;
  return (
    <Table caption="Delivery log" stack>
      <THead>
        <tr>
          <TH>{zonedHeader("Attempted", timeZone)}</TH>
          <TH>Event</TH>
          <TH>Attempt</TH>
          <TH>Result</TH>
          <TH>Duration</TH>
          <TH>Response</TH>
          <TH>{zonedHeader("Next attempt", timeZone)}</TH>
          <TH>Replay</TH>
        </tr>
      </THead>
      <TBody>
        {deliveries.map((d) => (
          <TR key={d.id}>
            <TD>
              <DateTime value={d.attemptedAt} timeZone={timeZone} />
            </TD>
            <TD label="Event">
              {d.eventType}
              <div className="font-mono text-xs text-slate-600">{d.eventId}</div>
            </TD>
            <TD label="Attempt">
              {d.attempt}
              {d.manual ? " (replay)" : ""}
            </TD>
            <TD label="Result">{d.succeeded ? <Badge tone="success">{d.statusCode}</Badge> : <Badge tone="danger">{d.statusCode ?? d.error ?? "failed"}</Badge>}</TD>
            <TD label="Duration">{d.durationMs} ms</TD>
            <TD label="Response" className="max-w-xs truncate font-mono text-xs">{d.responseExcerpt ?? ""}</TD>
            <TD label="Next attempt">{d.nextAttemptAt ? <DateTime value={d.nextAttemptAt} timeZone={timeZone} /> : "—"}</TD>
            <TD>{replay(d)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
