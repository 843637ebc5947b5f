import "server-only";
import { sql, type Placeholder, type SQL } from "drizzle-orm";
import type { AuditDiff } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { jsonParam, statement } from "@/db/prepared";
import type { Actor, RequestContext } from "@/lib/domain/actor";

export type AuditInput = {
  action: string;
  entityType: string;
  entityId?: string | null;
  companyId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  reason?: string;
  outcome?: "success" | "denied";
};

// Never copied into the trail; a change to them is recorded as "[changed]".
const secretFields = new Set(["passwordHash", "password", "sessionVersion"]);
const ignoredFields = new Set(["updatedAt", "createdAt"]);

function jsonValue(v: unknown): unknown {
  if (typeof v === "bigint") return v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** Before/after restricted to the fields that changed (all fields for a create or a removal). */
export function auditDiff(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
  reason?: string,
): AuditDiff | null {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of keys) {
    if (ignoredFields.has(key)) continue;
    const bv = jsonValue(before?.[key]);
    const av = jsonValue(after?.[key]);
    if (before && after && JSON.stringify(bv) === JSON.stringify(av)) continue;
    if (before && key in before) b[key] = secretFields.has(key) ? "[redacted]" : bv;
    if (after && key in after) a[key] = secretFields.has(key) ? "[changed]" : av;
  }
  const diff: AuditDiff = {};
  if (before) diff.before = b;
  if (after) diff.after = a;
  if (reason) diff.reason = reason;
  return Object.keys(diff).length ? diff : null;
}

type Who = { actor: Actor | null | "system"; request: RequestContext | null };

/** Appends one audit row using the caller's executor, so it commits or rolls back with the change. */
export async function recordAudit(tx: DbOrTx, who: Who, event: AuditInput): Promise<void> {
  await recordAuditMany(tx, who, [event]);
}

/** Appends many audit rows in a few statements (bulk operations such as imports). */
export async function recordAuditMany(tx: DbOrTx, who: Who, events: AuditInput[]): Promise<void> {
  await insertAuditRows(tx, events.map((event) => auditRow(who, event)));
}

/** An audit row as the insert statement takes it (column names, JSON values), built when the event happens. */
export type AuditRow = {
  actor_type: "user" | "system" | "anonymous";
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  company_id: string | null;
  diff: AuditDiff | null;
  request_id: string | null;
  ip: string | null;
  user_agent: string | null;
  outcome: "success" | "denied";
};

export function auditRow(who: Who, event: AuditInput): AuditRow {
  const actor = who.actor;
  return {
    actor_type: actor === "system" ? "system" : actor ? "user" : "anonymous",
    actor_id: actor && actor !== "system" ? actor.id : null,
    actor_role: actor && actor !== "system" ? actor.role : null,
    action: event.action,
    entity_type: event.entityType,
    entity_id: event.entityId ?? null,
    company_id: event.companyId ?? (actor && actor !== "system" ? actor.companyId : null),
    diff: auditDiff(event.before, event.after, event.reason),
    request_id: who.request?.requestId ?? null,
    ip: who.request?.ip ?? null,
    user_agent: who.request?.userAgent?.slice(0, 512) ?? null,
    outcome: event.outcome ?? "success",
  };
}

/**
 * The insert of audit rows passed as one JSON array (see jsonParam), to run alone or as a CTE of a
 * bigger statement: the idempotency key's completion writes the mutation's audit rows with it.
 */
export function insertAuditRowsSql(rows: Placeholder): SQL {
  return sql`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, ip, user_agent, outcome)
    select r.actor_type, r.actor_id, r.actor_role, r.action, r.entity_type, r.entity_id, r.company_id, r.diff, r.request_id, r.ip, r.user_agent, r.outcome
    from jsonb_array_elements(${rows}::text::jsonb) with ordinality as e(row, n)
    cross join lateral jsonb_to_record(e.row) as r(actor_type audit_actor_type, actor_id uuid, actor_role text, action text, entity_type text,
      entity_id text, company_id uuid, diff jsonb, request_id text, ip text, user_agent text, outcome audit_outcome)
    order by e.n`;
}

const insertAudit = statement<never, { rows: string }>("audit.insert", insertAuditRowsSql(sql.placeholder("rows")));

/** Writes audit rows built earlier with auditRow, in one statement per thousand. */
export async function insertAuditRows(tx: DbOrTx, rows: AuditRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await insertAudit(tx, { rows: jsonParam(rows.slice(i, i + 1000)) });
}
