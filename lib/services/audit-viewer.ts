import "server-only";
import type { DbOrTx } from "@/db/client";
import { findAuditActors, historyEntities, referenceOf, type AuditListFilter, type AuditListRow, type AuditReference } from "@/db/queries/audit";
import { rangeInstants, type AuditQuery } from "@/lib/domain/audit-filter";
import { formatLocalDateTime } from "@/lib/domain/dates";
import { csvStream } from "@/lib/http/csv-stream";

export type ResolvedAuditFilter = {
  filter: AuditListFilter;
  /** The users an actor search matched (none: the page says so and lists nothing). */
  actors: { id: string; email: string }[] | null;
  /** A History view: the entity, its reference and how many entities its history spans. */
  history: { type: string; id: string; reference: AuditReference | null; entities: number } | null;
};

/**
 * The viewer's parsed query parameters as the listing's filter, for the page and the CSV export
 * alike: dates in the viewer's zone, an actor email to user ids, an entity to its History set.
 * Read-only; the callers have checked audit.read.
 */
export async function resolveAuditFilter(db: DbOrTx, q: AuditQuery, timeZone: string): Promise<ResolvedAuditFilter> {
  const filter: AuditListFilter = { ...rangeInstants(q, timeZone), action: q.action, outcome: q.outcome };
  let actors: ResolvedAuditFilter["actors"] = null;
  if (q.actor === "system" || q.actor === "anonymous") filter.actorType = q.actor;
  else if (q.actor) {
    actors = await findAuditActors(db, q.actor);
    filter.actorIds = actors.map((a) => a.id);
  }
  let history: ResolvedAuditFilter["history"] = null;
  if (q.entityType && q.entityId) {
    const [entities, reference] = await Promise.all([historyEntities(db, q.entityType, q.entityId), referenceOf(db, q.entityType, q.entityId)]);
    filter.entities = entities;
    history = { type: q.entityType, id: q.entityId, reference, entities: entities.length };
  } else if (q.entityType) {
    filter.entityType = q.entityType;
  }
  return { filter, actors, history };
}

const CSV_HEADER = [
  "id",
  "occurred_at_utc",
  "occurred_at_local",
  "actor_type",
  "actor_email",
  "actor_role",
  "action",
  "entity_type",
  "entity_reference",
  "entity_id",
  "outcome",
  "ip",
  "request_id",
  "diff",
];

function csvRecords(rows: AuditListRow[], timeZone: string): string[][] {
  return rows.map((r) => [
    String(r.id),
    r.occurredAt.toISOString(),
    formatLocalDateTime(r.occurredAt, timeZone, { seconds: true }),
    r.actorType,
    r.actorEmail ?? "",
    r.actorRole ?? "",
    r.action,
    r.entityType,
    r.entity?.reference ?? "",
    r.entityId ?? "",
    r.outcome,
    r.ip ?? "",
    r.requestId ?? "",
    r.diff ? JSON.stringify(r.diff) : "",
  ]);
}

/**
 * The CSV of a filter as a byte stream that pulls one keyset batch at a time (auditEventBatches,
 * through csvStream): a million events never sit in memory. `batches` is there for tests to count reads.
 */
export function auditCsvStream(batches: AsyncGenerator<AuditListRow[]>, timeZone: string, onError?: (error: unknown) => void): ReadableStream<Uint8Array> {
  return csvStream(CSV_HEADER, batches, (rows) => csvRecords(rows, timeZone), onError);
}
