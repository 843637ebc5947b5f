import "server-only";
import { and, desc, eq, isNull, lt, sql, type Placeholder, type SQL } from "drizzle-orm";
import { webhookDeliveries, webhookEndpoints } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { jsonParam, statement } from "@/db/prepared";
import { INTERNAL_EVENT_TYPES, WEBHOOK_POLICY, type EmittedEvent } from "@/lib/domain/webhook-events";

const p = sql.placeholder;

/**
 * Internal events (security notices) never reach an endpoint, whatever its stored subscription says:
 * the relay makes no delivery of them, and a delivery or replay of one finds no target. Literal SQL
 * from the constant list (fit for prepared statements; outbox_events_type_check allows [a-z_.] only).
 */
const deliverable = (type: SQL) => sql`${type} not in (${sql.raw(INTERNAL_EVENT_TYPES.map((t) => `'${t}'`).join(", "))})`;

// ---------------------------------------------------------------------------------------------
// The outbox
// ---------------------------------------------------------------------------------------------

const insertEvent = statement<{ id: string }, { type: string; companyId: string | null; payload: string }>(
  "outbox.insert",
  sql`insert into outbox_events (type, company_id, payload)
      values (${p("type")}::text, ${p("companyId")}::uuid, ${p("payload")}::jsonb) returning id`,
);

/**
 * The insert of outbox events passed as one JSON array (outboxEventsParam), as a CTE of the statement
 * that ends a mutation (its audit rows, its idempotency key's completion): the events a mutation
 * emits cost no round trip of their own. Written in the order emitted.
 */
export function insertOutboxEventsSql(events: Placeholder): SQL {
  return sql`insert into outbox_events (type, company_id, payload)
    select e.type, e.company_id, e.payload
    from jsonb_array_elements(${events}::text::jsonb) with ordinality as x(row, n)
    cross join lateral jsonb_to_record(x.row) as e(type text, company_id uuid, payload jsonb)
    order by x.n`;
}

/** The JSON parameter of insertOutboxEventsSql (bigints as strings, as insertOutboxEvent writes them). */
export function outboxEventsParam(events: readonly EmittedEvent[]): string {
  return jsonParam(events.map((e) => ({ type: e.type, company_id: e.companyId, payload: e.data })));
}

/** Writes one event inside the caller's transaction (system jobs); returns its id. */
export async function insertOutboxEvent(tx: DbOrTx, event: EmittedEvent): Promise<string> {
  const payload = JSON.stringify(event.data, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  const [row] = await insertEvent(tx, { type: event.type, companyId: event.companyId, payload });
  return row!.id;
}

export type RelayTarget = { eventId: string; endpointId: string };

/**
 * The outbox's two consumers: the webhook relay (relayed_at) and the notifier (notified_at). Each
 * keeps its own marker, so neither waits for the other's work; each runs one batch at a time
 * across every process (a transaction-scoped advisory lock, tried as its transaction's first
 * statement, so that the next statement's snapshot sees what the previous holder committed), which
 * keeps each consumer's hand-off in (occurred_at, id) order.
 *
 * Why not two SKIP LOCKED claims: a row lock is per row, not per marker. The notifier's batch holds
 * its events' rows for as long as its fan-out takes (the FK checks of the notifications and mails it
 * writes take KEY SHARE locks, which FOR UPDATE waits for), so a relay claiming FOR UPDATE SKIP
 * LOCKED would skip, and so delay, exactly the events whose notifications are being written. The
 * relay therefore locks FOR NO KEY UPDATE (compatible with KEY SHARE) and the notifier takes no row
 * lock until its last statement, which marks its batch; both lock in (occurred_at, id) order, so
 * the two never deadlock, and each waits for the other at most for a commit.
 */
export type OutboxConsumer = "relay" | "notify";

/**
 * Makes this transaction the consumer's only batch in flight (released at commit or rollback);
 * false when another transaction holds it (never waited for: the connection's lock_timeout would
 * fail a long wait, and a waiting run holds a connection for nothing).
 */
export async function tryLockOutboxConsumer(tx: DbOrTx, consumer: OutboxConsumer): Promise<boolean> {
  const [row] = await queryRows<{ ok: boolean }>(tx, sql`select pg_try_advisory_xact_lock(hashtext(${`orderly:outbox-${consumer}`})) as ok`);
  return row!.ok;
}

/**
 * One delivery the relay claimed, with what its first attempt needs (the relay sends it itself,
 * lib/jobs/webhooks.ts): the endpoint's address and secret, the event's body, and the endpoint's
 * failure streak as it stood (an endpoint that is failing gets its deliveries queued, not tried inline).
 */
export type ClaimedDelivery = RelayTarget & DeliveryTarget & { failureCount: number };

/**
 * The relay's one statement (after tryLockOutboxConsumer): claims up to `limit` unrelayed events, oldest
 * first, marks them relayed, and answers one row per event and endpoint that should receive it:
 * enabled, subscribed to the type, and either staff-owned or of the event's own company. The caller
 * enqueues those deliveries in the same transaction, so a crash before commit leaves the events
 * unrelayed and nothing enqueued; after commit, both.
 */
export async function claimEventsForRelay(tx: DbOrTx, limit: number): Promise<{ claimed: number; targets: ClaimedDelivery[] }> {
  const rows = await queryRows<{
    event_id: string; endpoint_id: string | null; type: string; payload: unknown; occurred_at: string | Date; url: string | null; secret: string | null; failure_count: number | null;
  }>(
    tx,
    sql`with claimed as (
          select id from outbox_events where relayed_at is null
          order by occurred_at, id limit ${limit} for no key update
        ), marked as (
          update outbox_events e set relayed_at = now() from claimed where e.id = claimed.id
          returning e.id, e.type, e.company_id, e.occurred_at, e.payload
        )
        select m.id as event_id, m.type, m.payload, m.occurred_at, w.id as endpoint_id, w.url, w.secret, w.failure_count
        from marked m
        left join webhook_endpoints w
          on w.enabled and m.type = any (w.event_types) and (w.company_id is null or w.company_id = m.company_id)
          and ${deliverable(sql`m.type`)}
        order by m.occurred_at, m.id, w.id`,
  );
  let claimed = 0;
  let last: string | null = null;
  const targets: ClaimedDelivery[] = [];
  for (const r of rows) {
    if (r.event_id !== last) claimed++;
    last = r.event_id;
    if (r.endpoint_id === null) continue;
    targets.push({
      eventId: r.event_id, endpointId: r.endpoint_id, url: r.url!, secret: r.secret!, enabled: true, failureCount: r.failure_count!,
      type: r.type, payload: r.payload, occurredAt: new Date(r.occurred_at),
    });
  }
  return { claimed, targets };
}

export async function countUnrelayedEvents(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events where relayed_at is null`);
  return row!.n;
}

export type PendingEvent = { id: string; type: string; companyId: string | null; payload: Record<string, unknown>; occurredAt: Date };

/**
 * The notifier's batch (after tryLockOutboxConsumer): up to `limit` events not yet fanned out, oldest
 * first, read without a row lock (the relay goes on claiming them meanwhile).
 */
export async function unnotifiedEvents(tx: DbOrTx, limit: number): Promise<PendingEvent[]> {
  const rows = await queryRows<{ id: string; type: string; company_id: string | null; payload: Record<string, unknown>; occurred_at: Date | string }>(
    tx,
    sql`select id, type, company_id, payload, occurred_at from outbox_events where notified_at is null order by occurred_at, id limit ${limit}`,
  );
  return rows.map((r) => ({ id: r.id, type: r.type, companyId: r.company_id, payload: r.payload, occurredAt: new Date(r.occurred_at) }));
}

/** The notifier's last statement: marks its batch notified, locking the rows in the relay's order. */
export async function markEventsNotified(tx: DbOrTx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await queryRows(
    tx,
    sql`with locked as (
          select id from outbox_events where id = any(${`{${ids.join(",")}}`}::uuid[]) and notified_at is null
          order by occurred_at, id for no key update
        )
        update outbox_events e set notified_at = now() from locked where e.id = locked.id`,
  );
}

export async function countUnnotifiedEvents(db: DbOrTx): Promise<number> {
  const [row] = await queryRows<{ n: number }>(db, sql`select count(*)::int as n from outbox_events where notified_at is null`);
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
        and (w.company_id is null or w.company_id = e.company_id) and ${deliverable(sql`e.type`)}`,
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
        where (w.company_id is null or w.company_id = e.company_id) and ${deliverable(sql`e.type`)}`,
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

export type AttemptOutcome = { failureCount: number; enabled: boolean; disabledNow: boolean };

/**
 * Logs a batch of attempts and moves each endpoint's failure streak, in one statement (the worker
 * calls it once per fetched batch, not once per POST). Per endpoint, the batch's attempts count in
 * the order they finished: after a success in the batch the streak is the failures that finished
 * after the last success; without one, the old streak plus the batch's failures. The endpoint is
 * disabled when the streak is long and old enough (WEBHOOK_POLICY) at the batch's last attempt.
 * The streak is computed from the endpoint row as the UPDATE finds it (w.*, re-read after a
 * concurrent batch's update commits), so two loops updating one endpoint do not lose counts.
 * Attempts of an endpoint deleted meanwhile are dropped (its log went with it). Answers per endpoint
 * whether this batch disabled it (its failed jobs then stop retrying).
 */
export async function recordDeliveryAttempts(db: DbOrTx, attempts: readonly AttemptRecord[]): Promise<Map<string, AttemptOutcome>> {
  const out = new Map<string, AttemptOutcome>();
  if (attempts.length === 0) return out;
  const input = JSON.stringify(
    attempts.map((a, i) => ({
      i,
      endpoint_id: a.endpointId,
      event_id: a.eventId,
      succeeded: a.succeeded,
      status_code: a.statusCode,
      error: a.error,
      duration_ms: a.durationMs,
      response_excerpt: a.responseExcerpt,
      attempted_at: a.now.toISOString(),
      next_attempt_at: a.nextAttemptAt?.toISOString() ?? null,
      manual: a.manual,
    })),
  );
  const N = WEBHOOK_POLICY.DISABLE_AFTER_FAILURES;
  const H = WEBHOOK_POLICY.DISABLE_AFTER_HOURS;
  // The new streak and its start, from the row as updated (w) and the batch's figures (s).
  const count = sql`(case when s.last_success is null then w.failure_count + s.failures_after else s.failures_after end)`;
  const since = sql`(case when s.last_success is null then coalesce(w.first_failure_at, s.first_failure_after) else s.first_failure_after end)`;
  const disables = sql`(w.enabled and ${count} >= ${N} and ${since} <= s.last_at - make_interval(hours => ${H}))`;
  const rows = await queryRows<{ endpoint_id: string; failure_count: number; enabled: boolean; disabled: boolean }>(
    db,
    sql`with input as (
          select a.* from jsonb_to_recordset(${input}::jsonb) as a(
            i int, endpoint_id uuid, event_id uuid, succeeded boolean, status_code int, error text, duration_ms int,
            response_excerpt text, attempted_at timestamptz, next_attempt_at timestamptz, manual boolean)
          where exists (select 1 from webhook_endpoints w where w.id = a.endpoint_id)
        ), logged as (
          insert into webhook_deliveries (endpoint_id, event_id, attempt, succeeded, status_code, error, duration_ms, response_excerpt, attempted_at, next_attempt_at, manual)
          select a.endpoint_id, a.event_id,
                 (select count(*) from webhook_deliveries d where d.endpoint_id = a.endpoint_id and d.event_id = a.event_id)
                   + row_number() over (partition by a.endpoint_id, a.event_id order by a.attempted_at, a.i),
                 a.succeeded, a.status_code, a.error, a.duration_ms, a.response_excerpt, a.attempted_at, a.next_attempt_at, a.manual
          from input a
          returning 1
        ), per_endpoint as (
          select endpoint_id, max(attempted_at) as last_at, max(attempted_at) filter (where succeeded) as last_success
          from input group by endpoint_id
        ), batch as (
          select p.endpoint_id, p.last_at, p.last_success,
                 count(*) filter (where not a.succeeded and (p.last_success is null or a.attempted_at > p.last_success)) as failures_after,
                 min(a.attempted_at) filter (where not a.succeeded and (p.last_success is null or a.attempted_at > p.last_success)) as first_failure_after
          from per_endpoint p join input a on a.endpoint_id = p.endpoint_id
          group by p.endpoint_id, p.last_at, p.last_success
        )
        update webhook_endpoints w
           set failure_count = ${count},
               first_failure_at = ${since},
               enabled = w.enabled and not ${disables},
               disabled_at = case when ${disables} then s.last_at else w.disabled_at end,
               disabled_reason = case when ${disables} then 'failures' else w.disabled_reason end
          from batch s, (select count(*) from logged) l
         where w.id = s.endpoint_id
        returning w.id as endpoint_id, w.failure_count, w.enabled,
                  coalesce(w.disabled_reason = 'failures' and w.disabled_at = s.last_at and not w.enabled, false) as disabled`,
  );
  for (const r of rows) out.set(r.endpoint_id, { failureCount: r.failure_count, enabled: r.enabled, disabledNow: r.disabled });
  return out;
}

/** One attempt (recordDeliveryAttempts with one row): what the tests and single deliveries use. */
export async function recordDeliveryAttempt(db: DbOrTx, a: AttemptRecord): Promise<AttemptOutcome> {
  const outcome = await recordDeliveryAttempts(db, [a]);
  return outcome.get(a.endpointId) ?? { failureCount: 0, enabled: false, disabledNow: false };
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
export async function listDeliveries(db: DbOrTx, endpointId: string, opts: { before?: Date; limit?: number; offset?: number; deliveryId?: string } = {}): Promise<DeliveryRow[]> {
  const rows = await queryRows<{
    id: string; event_id: string; event_type: string; attempt: number; succeeded: boolean; status_code: number | null; error: string | null;
    duration_ms: number; response_excerpt: string | null; attempted_at: string | Date; next_attempt_at: string | Date | null; manual: boolean;
  }>(
    db,
    sql`select d.id, d.event_id, e.type as event_type, d.attempt, d.succeeded, d.status_code, d.error, d.duration_ms,
               d.response_excerpt, d.attempted_at, d.next_attempt_at, d.manual
        from ${webhookDeliveries} d join outbox_events e on e.id = d.event_id
        where d.endpoint_id = ${endpointId}::uuid ${opts.before ? sql`and d.attempted_at < ${opts.before.toISOString()}::timestamptz` : sql``}
          ${opts.deliveryId ? sql`and d.id = ${opts.deliveryId}::uuid` : sql``}
        order by d.attempted_at desc, d.id desc limit ${opts.limit ?? 50} offset ${opts.offset ?? 0}`,
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
        where w.id = ${endpointId}::uuid and (w.company_id is null or w.company_id = e.company_id) and ${deliverable(sql`e.type`)}`,
  );
  return row?.ok === true;
}

/** Deletes delivery log rows older than the cutoff (retention; the scheduled purge). */
export async function purgeDeliveries(db: DbOrTx, before: Date): Promise<number> {
  const rows = await db.delete(webhookDeliveries).where(lt(webhookDeliveries.attemptedAt, before)).returning({ id: webhookDeliveries.id });
  return rows.length;
}
