import "server-only";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { statement } from "@/db/prepared";
import { WEBHOOK_POLICY, type EmittedEvent } from "@/lib/domain/webhook-events";

const p = sql.placeholder;

// ---------------------------------------------------------------------------------------------
// The outbox
// ---------------------------------------------------------------------------------------------

const insertEvent = statement<{ id: string }, { type: string; companyId: string | null; payload: string }>(
  "outbox.insert",
  sql`insert into outbox_events (type, company_id, payload)
      values (${p("type")}::text, ${p("companyId")}::uuid, ${p("payload")}::jsonb) returning id`,
);

/** Writes one event inside the caller's transaction (MutationContext.emit); returns its id. */
export async function insertOutboxEvent(tx: DbOrTx, event: EmittedEvent): Promise<string> {
  const payload = JSON.stringify(event.data, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  const [row] = await insertEvent(tx, { type: event.type, companyId: event.companyId, payload });
  return row!.id;
}

export type RelayTarget = { eventId: string; endpointId: string };

/**
 * The relay's one statement: claims up to `limit` unrelayed events (oldest first; rows another relay
 * holds are skipped, not waited for), marks them relayed, and answers one row per event and endpoint
 * that should receive it: enabled, subscribed to the type, and either staff-owned or of the event's
 * own company. The caller enqueues those deliveries in the same transaction, so a crash before commit
 * leaves the events unrelayed and nothing enqueued; after commit, both.
 */
export async function claimEventsForRelay(tx: DbOrTx, limit: number): Promise<{ claimed: number; eventIds: string[]; targets: RelayTarget[] }> {
  const rows = await queryRows<{ event_id: string; endpoint_id: string | null }>(
    tx,
    sql`with claimed as (
          select id from outbox_events where relayed_at is null
          order by occurred_at, id limit ${limit} for update skip locked
        ), marked as (
          update outbox_events e set relayed_at = now() from claimed where e.id = claimed.id
          returning e.id, e.type, e.company_id, e.occurred_at
        )
        select m.id as event_id, w.id as endpoint_id
        from marked m
        left join webhook_endpoints w
          on w.enabled and m.type = any (w.event_types) and (w.company_id is null or w.company_id = m.company_id)
        order by m.occurred_at, m.id, w.id`,
  );
  const eventIds = [...new Set(rows.map((r) => r.event_id))];
  return { claimed: eventIds.length, eventIds, targets: rows.filter((r) => r.endpoint_id !== null).map((r) => ({ eventId: r.event_id, endpointId: r.endpoint_id! })) };
}

export async function countUnrelayedEvents(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events where relayed_at is null`);
  return row!.n;
}

// ---------------------------------------------------------------------------------------------
// Delivery
// ---------------------------------------------------------------------------------------------

export type DeliveryTarget = {
  url: string;
  secret: string;
  enabled: boolean;
  type: string;
  payload: unknown;
  occurredAt: Date;
};

const deliveryTarget = statement<
  { url: string; secret: string; enabled: boolean; type: string; payload: unknown; occurred_at: string | Date },
  { endpointId: string; eventId: string }
>(
  "webhook.delivery_target",
  sql`select w.url, w.secret, w.enabled, e.type, e.payload, e.occurred_at
      from webhook_endpoints w, outbox_events e
      where w.id = ${p("endpointId")}::uuid and e.id = ${p("eventId")}::uuid
        and (w.company_id is null or w.company_id = e.company_id)`,
);

/**
 * What a batch of delivery jobs needs, in one statement: keyed by `${endpointId}:${eventId}`; a pair
 * is missing when its endpoint is gone or the event is not the endpoint's company's.
 */
export async function getDeliveryTargets(db: DbOrTx, pairs: readonly { endpointId: string; eventId: string }[]): Promise<Map<string, DeliveryTarget>> {
  const out = new Map<string, DeliveryTarget>();
  if (pairs.length === 0) return out;
  const rows = await queryRows<{ endpoint_id: string; event_id: string; url: string; secret: string; enabled: boolean; type: string; payload: unknown; occurred_at: string | Date }>(
    db,
    sql`select p.endpoint_id, p.event_id, w.url, w.secret, w.enabled, e.type, e.payload, e.occurred_at
        from jsonb_to_recordset(${JSON.stringify(pairs.map((p) => ({ endpoint_id: p.endpointId, event_id: p.eventId })))}::jsonb) as p(endpoint_id uuid, event_id uuid)
        join webhook_endpoints w on w.id = p.endpoint_id
        join outbox_events e on e.id = p.event_id
        where w.company_id is null or w.company_id = e.company_id`,
  );
  for (const r of rows) {
    out.set(`${r.endpoint_id}:${r.event_id}`, { url: r.url, secret: r.secret, enabled: r.enabled, type: r.type, payload: r.payload, occurredAt: new Date(r.occurred_at) });
  }
  return out;
}

/** What a delivery job needs; null when the endpoint is gone or the event is not its company's. */
export async function getDeliveryTarget(db: DbOrTx, endpointId: string, eventId: string): Promise<DeliveryTarget | null> {
  const [r] = await deliveryTarget(db, { endpointId, eventId });
  if (!r) return null;
  return { url: r.url, secret: r.secret, enabled: r.enabled, type: r.type, payload: r.payload, occurredAt: new Date(r.occurred_at) };
}

export type AttemptRecord = {
  endpointId: string;
  eventId: string;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
  nextAttemptAt: Date | null;
  manual: boolean;
  now: Date;
};

const recordAttemptStatement = statement<
  { failure_count: number; enabled: boolean; disabled: boolean },
  {
    endpointId: string;
    eventId: string;
    succeeded: boolean;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    responseExcerpt: string | null;
    nextAttemptAt: string | null;
    manual: boolean;
    now: string;
  }
>(
  "webhook.record_attempt",
  sql`with attempt as (
        insert into webhook_deliveries (endpoint_id, event_id, attempt, succeeded, status_code, error, duration_ms, response_excerpt, attempted_at, next_attempt_at, manual)
        select ${p("endpointId")}::uuid, ${p("eventId")}::uuid,
               1 + (select count(*) from webhook_deliveries where endpoint_id = ${p("endpointId")}::uuid and event_id = ${p("eventId")}::uuid),
               ${p("succeeded")}::boolean, ${p("statusCode")}::int, ${p("error")}::text, ${p("durationMs")}::int, ${p("responseExcerpt")}::text,
               ${p("now")}::timestamptz, ${p("nextAttemptAt")}::timestamptz, ${p("manual")}::boolean
        returning 1
      ), streak as (
        select case when ${p("succeeded")}::boolean then 0 else failure_count + 1 end as failure_count,
               case when ${p("succeeded")}::boolean then null else coalesce(first_failure_at, ${p("now")}::timestamptz) end as first_failure_at
        from webhook_endpoints where id = ${p("endpointId")}::uuid
      ), updated as (
        update webhook_endpoints w
           set failure_count = s.failure_count,
               first_failure_at = s.first_failure_at,
               enabled = w.enabled and not (s.failure_count >= ${WEBHOOK_POLICY.DISABLE_AFTER_FAILURES}
                         and s.first_failure_at <= ${p("now")}::timestamptz - make_interval(hours => ${WEBHOOK_POLICY.DISABLE_AFTER_HOURS})),
               disabled_at = case when w.enabled and s.failure_count >= ${WEBHOOK_POLICY.DISABLE_AFTER_FAILURES}
                         and s.first_failure_at <= ${p("now")}::timestamptz - make_interval(hours => ${WEBHOOK_POLICY.DISABLE_AFTER_HOURS})
                         then ${p("now")}::timestamptz else w.disabled_at end,
               disabled_reason = case when w.enabled and s.failure_count >= ${WEBHOOK_POLICY.DISABLE_AFTER_FAILURES}
                         and s.first_failure_at <= ${p("now")}::timestamptz - make_interval(hours => ${WEBHOOK_POLICY.DISABLE_AFTER_HOURS})
                         then 'failures' else w.disabled_reason end
          from streak s, (select count(*) from attempt) a
         where w.id = ${p("endpointId")}::uuid
        returning w.failure_count, w.enabled, (w.disabled_reason = 'failures' and w.disabled_at = ${p("now")}::timestamptz) as disabled
      )
      select failure_count, enabled, coalesce(disabled, false) as disabled from updated`,
);

/**
 * Logs one attempt and moves the endpoint's failure streak in one statement: a success resets it; a
 * failure extends it and disables the endpoint when the streak is long and old enough (WEBHOOK_POLICY).
 * Answers whether this attempt disabled it (the job then stops retrying).
 */
export async function recordDeliveryAttempt(db: DbOrTx, a: AttemptRecord): Promise<{ failureCount: number; enabled: boolean; disabledNow: boolean }> {
  const [r] = await recordAttemptStatement(db, {
    endpointId: a.endpointId,
    eventId: a.eventId,
    succeeded: a.succeeded,
    statusCode: a.statusCode,
    error: a.error,
    durationMs: a.durationMs,
    responseExcerpt: a.responseExcerpt,
    nextAttemptAt: a.nextAttemptAt?.toISOString() ?? null,
    manual: a.manual,
    now: a.now.toISOString(),
  });
  if (!r) return { failureCount: 0, enabled: false, disabledNow: false };
  return { failureCount: r.failure_count, enabled: r.enabled, disabledNow: r.disabled };
}

// ---------------------------------------------------------------------------------------------
// Endpoints (management pages)
// ---------------------------------------------------------------------------------------------

/** Who owns endpoints: one company, or the staff (company null). */
export type EndpointOwner = { companyId: string | null };

const ownerIs = (owner: EndpointOwner) =>
  owner.companyId === null ? isNull(webhookEndpoints.companyId) : eq(webhookEndpoints.companyId, owner.companyId);

const endpointColumns = {
  id: webhookEndpoints.id,
  companyId: webhookEndpoints.companyId,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  eventTypes: webhookEndpoints.eventTypes,
  enabled: webhookEndpoints.enabled,
  failureCount: webhookEndpoints.failureCount,
  firstFailureAt: webhookEndpoints.firstFailureAt,
  disabledAt: webhookEndpoints.disabledAt,
  disabledReason: webhookEndpoints.disabledReason,
  createdAt: webhookEndpoints.createdAt,
};

export type EndpointRow = {
  id: string;
  companyId: string | null;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  failureCount: number;
  firstFailureAt: Date | null;
  disabledAt: Date | null;
  disabledReason: string | null;
  createdAt: Date;
};

/** The owner's endpoints, newest first, without their secrets. */
export function listEndpoints(db: DbOrTx, owner: EndpointOwner): Promise<EndpointRow[]> {
  return db.select(endpointColumns).from(webhookEndpoints).where(ownerIs(owner)).orderBy(desc(webhookEndpoints.createdAt), webhookEndpoints.id);
}

/** One endpoint of this owner (null for another owner's: a 404, not a 403). */
export async function getEndpoint(db: DbOrTx, owner: EndpointOwner, id: string, opts: { lock?: boolean } = {}): Promise<EndpointRow | null> {
  const q = db.select(endpointColumns).from(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), ownerIs(owner)));
  const [row] = opts.lock ? await q.for("update") : await q;
  return row ?? null;
}

export async function insertEndpoint(
  tx: DbOrTx,
  values: { companyId: string | null; url: string; description: string; eventTypes: string[]; secret: string; createdBy: string | null },
): Promise<EndpointRow> {
  const [row] = await tx.insert(webhookEndpoints).values(values).returning(endpointColumns);
  return row!;
}

export async function updateEndpoint(
  tx: DbOrTx,
  owner: EndpointOwner,
  id: string,
  patch: { url?: string; description?: string; eventTypes?: string[]; enabled?: boolean },
): Promise<EndpointRow | null> {
  const reenable = patch.enabled === true ? { failureCount: 0, firstFailureAt: null, disabledAt: null, disabledReason: null } : {};
  const disable = patch.enabled === false ? { disabledAt: new Date(), disabledReason: "manual" } : {};
  const [row] = await tx
    .update(webhookEndpoints)
    .set({ ...patch, ...reenable, ...disable, updatedAt: new Date() })
    .where(and(eq(webhookEndpoints.id, id), ownerIs(owner)))
    .returning(endpointColumns);
  return row ?? null;
}

export async function deleteEndpoint(tx: DbOrTx, owner: EndpointOwner, id: string): Promise<boolean> {
  const rows = await tx.delete(webhookEndpoints).where(and(eq(webhookEndpoints.id, id), ownerIs(owner))).returning({ id: webhookEndpoints.id });
  return rows.length === 1;
}

export type DeliveryRow = {
  id: string;
  eventId: string;
  eventType: string;
  attempt: number;
  succeeded: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  responseExcerpt: string | null;
  attemptedAt: Date;
  nextAttemptAt: Date | null;
  manual: boolean;
};

/** An endpoint's delivery log, newest first, keyset-paged by attempted_at. */
export async function listDeliveries(db: DbOrTx, endpointId: string, opts: { before?: Date; limit?: number } = {}): Promise<DeliveryRow[]> {
  const rows = await queryRows<{
    id: string; event_id: string; event_type: string; attempt: number; succeeded: boolean; status_code: number | null; error: string | null;
    duration_ms: number; response_excerpt: string | null; attempted_at: string | Date; next_attempt_at: string | Date | null; manual: boolean;
  }>(
    db,
    sql`select d.id, d.event_id, e.type as event_type, d.attempt, d.succeeded, d.status_code, d.error, d.duration_ms,
               d.response_excerpt, d.attempted_at, d.next_attempt_at, d.manual
        from ${webhookDeliveries} d join outbox_events e on e.id = d.event_id
        where d.endpoint_id = ${endpointId}::uuid ${opts.before ? sql`and d.attempted_at < ${opts.before.toISOString()}::timestamptz` : sql``}
        order by d.attempted_at desc, d.id desc limit ${opts.limit ?? 50}`,
  );
  return rows.map((r) => ({
    id: r.id, eventId: r.event_id, eventType: r.event_type, attempt: r.attempt, succeeded: r.succeeded, statusCode: r.status_code, error: r.error,
    durationMs: r.duration_ms, responseExcerpt: r.response_excerpt, attemptedAt: new Date(r.attempted_at),
    nextAttemptAt: r.next_attempt_at === null ? null : new Date(r.next_attempt_at), manual: r.manual,
  }));
}

/** Whether this event was ever meant for this endpoint (replay only re-sends what the endpoint may see). */
export async function eventVisibleToEndpoint(db: DbOrTx, endpointId: string, eventId: string): Promise<boolean> {
  const [row] = await queryRows<{ ok: boolean }>(
    db,
    sql`select true as ok from webhook_endpoints w join outbox_events e on e.id = ${eventId}::uuid
        where w.id = ${endpointId}::uuid and (w.company_id is null or w.company_id = e.company_id)`,
  );
  return row?.ok === true;
}

/** Deletes delivery log rows older than the cutoff (retention; the scheduled purge). */
export async function purgeDeliveries(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(webhookDeliveries).where(lt(webhookDeliveries.attemptedAt, before)).returning({ id: webhookDeliveries.id });
  return rows.length;
}
