import "server-only";
import { and, count, desc, eq, like, type SQL } from "drizzle-orm";
import { auditEvents, users } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { PAGE_SIZE } from "./users";

export type AuditFilter = { action?: string; entityType?: string; entityId?: string; outcome?: "success" | "denied"; page?: number };

/** Staff only (audit.read): the newest events first. */
export async function listAuditEvents(db: DbOrTx, f: AuditFilter) {
  const filters: (SQL | undefined)[] = [
    f.action ? like(auditEvents.action, `${f.action.replace(/[%_\\]/g, "\\$&")}%`) : undefined,
    f.entityType ? eq(auditEvents.entityType, f.entityType) : undefined,
    f.entityId ? eq(auditEvents.entityId, f.entityId) : undefined,
    f.outcome ? eq(auditEvents.outcome, f.outcome) : undefined,
  ];
  const where = and(...filters);
  const page = Math.max(1, f.page ?? 1);
  const rows = await db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorEmail: users.email,
      actorRole: auditEvents.actorRole,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      diff: auditEvents.diff,
      ip: auditEvents.ip,
      requestId: auditEvents.requestId,
      outcome: auditEvents.outcome,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(where)
    .orderBy(desc(auditEvents.id))
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(auditEvents).where(where);
  return { rows, total: total?.n ?? 0 };
}
