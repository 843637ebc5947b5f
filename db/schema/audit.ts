import { sql } from "drizzle-orm";
import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const auditOutcome = pgEnum("audit_outcome", ["success", "denied"]);
export const auditActorType = pgEnum("audit_actor_type", ["user", "system", "anonymous"]);

// Append-only: triggers in migration 0001 refuse UPDATE, DELETE and TRUNCATE.
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull().defaultNow(),
    actorType: auditActorType("actor_type").notNull(),
    actorId: uuid("actor_id"),
    actorRole: text("actor_role"),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id"),
    companyId: uuid("company_id"),
    diff: jsonb("diff").$type<AuditDiff | null>(),
    requestId: text("request_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    outcome: auditOutcome("outcome").notNull(),
  },
  (t) => [
    index("audit_events_occurred_at_idx").on(t.occurredAt),
    // The viewer pages newest first by id (keyset): each filter's index ends in id, so a page is
    // one index range read backwards from the cursor, whatever the table's size.
    index("audit_events_entity_idx").on(t.entityType, t.entityId, t.id),
    index("audit_events_entity_type_idx").on(t.entityType, t.id),
    index("audit_events_company_id_idx").on(t.companyId),
    index("audit_events_actor_id_idx").on(t.actorId, t.id),
    // text_pattern_ops serves both "starts with" (LIKE 'x%') and equality; id orders an exact action.
    index("audit_events_action_idx").on(sql`${t.action} text_pattern_ops`, t.id),
    index("audit_events_denied_idx").on(t.id).where(sql`${t.outcome} = 'denied'`),
  ],
);

export type AuditDiff = {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  reason?: string;
};

export type AuditEvent = typeof auditEvents.$inferSelect;
