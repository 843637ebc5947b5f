import { sql } from "drizzle-orm";
import { bigint, bigserial, customType, index, jsonb, pgEnum, pgTable, smallint, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const auditOutcome = pgEnum("audit_outcome", ["success", "denied"]);
export const auditActorType = pgEnum("audit_actor_type", ["user", "system", "anonymous"]);

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

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
    // Hash chain (migration 0014): set by the BEFORE INSERT trigger audit_events_chain, whatever the
    // insert says. hash = sha256(prev_hash || canonical content); see lib/domain/audit-chain.ts.
    chainId: smallint("chain_id").notNull(),
    chainSeq: bigint("chain_seq", { mode: "bigint" }).notNull(),
    prevHash: bytea("prev_hash").notNull(),
    hash: bytea("hash").notNull(),
  },
  (t) => [
    uniqueIndex("audit_events_chain_seq_idx").on(t.chainId, t.chainSeq),
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

// Chain bookkeeping. The app never touches this table: the SECURITY DEFINER functions of migration
// 0014 do (owned by the migration owner), so the app's role needs no rights on it.
/** Chain heads seen by a successful verification: truncating a chain's tail below one is detected. */
export const auditChainAnchors = pgTable(
  "audit_chain_anchors",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    chainId: smallint("chain_id").notNull(),
    chainSeq: bigint("chain_seq", { mode: "bigint" }).notNull(),
    hash: bytea("hash").notNull(),
    anchoredAt: timestamp("anchored_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_chain_anchors_chain_idx").on(t.chainId, t.chainSeq)],
);

export type AuditDiff = {
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  reason?: string;
  /** The API key the change was made with (the actor is its owner); part of the hashed content, like the rest of diff. */
  apiKey?: { id: string; prefix: string };
};

export type AuditEvent = typeof auditEvents.$inferSelect;
