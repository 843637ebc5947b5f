import "server-only";
import type { AuditDiff } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { insertAuditRows, type AuditRow } from "@/db/queries/audit";
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
    diff: viaApiKey(auditDiff(event.before, event.after, event.reason), actor),
    request_id: who.request?.requestId ?? null,
    ip: who.request?.ip ?? null,
    user_agent: who.request?.userAgent?.slice(0, 512) ?? null,
    outcome: event.outcome ?? "success",
  };
}

/**
 * A request made with an API key is attributed to the key as well as to its owner (actor_id): in
 * the diff column, which the audit chain already hashes (audit-v1), so no new column and every
 * old row still verifies.
 */
function viaApiKey(diff: AuditDiff | null, actor: Who["actor"]): AuditDiff | null {
  if (!actor || actor === "system" || !actor.apiKeyId) return diff;
  return { ...diff, apiKey: { id: actor.apiKeyId, prefix: actor.apiKeyPrefix ?? "" } };
}

// The statement lives in db/queries/audit.ts; re-exported for the callers that build rows here.
export { insertAuditRows, insertAuditRowsSql, type AuditRow } from "@/db/queries/audit";
