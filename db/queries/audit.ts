import "server-only";
import { and, count, desc, eq, like, sql, type Placeholder, type SQL } from "drizzle-orm";
import { auditEvents, users, type AuditDiff } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { jsonParam, statement } from "@/db/prepared";
import { PAGE_SIZE } from "./users";

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

/** Writes audit rows built earlier, in one prepared statement per thousand (one round trip each). */
export async function insertAuditRows(tx: DbOrTx, rows: AuditRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) await insertAudit(tx, { rows: jsonParam(rows.slice(i, i + 1000)) });
}

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
