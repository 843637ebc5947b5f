import "server-only";
import { auditEvents, type AuditDiff } from "@/db/schema";
import type { DbOrTx } from "@/lib/db";
import type { Actor, RequestContext } from "./context";

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
  for (let i = 0; i < events.length; i += 1000) {
    await tx.insert(auditEvents).values(events.slice(i, i + 1000).map((event) => auditRow(who, event)));
  }
}

function auditRow(who: Who, event: AuditInput): typeof auditEvents.$inferInsert {
  const actor = who.actor;
  return {
    actorType: actor === "system" ? "system" : actor ? "user" : "anonymous",
    actorId: actor && actor !== "system" ? actor.id : null,
    actorRole: actor && actor !== "system" ? actor.role : null,
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId ?? null,
    companyId: event.companyId ?? (actor && actor !== "system" ? actor.companyId : null),
    diff: auditDiff(event.before, event.after, event.reason),
    requestId: who.request?.requestId ?? null,
    ip: who.request?.ip ?? null,
    userAgent: who.request?.userAgent?.slice(0, 512) ?? null,
    outcome: event.outcome ?? "success",
  };
}
