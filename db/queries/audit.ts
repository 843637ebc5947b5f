import "server-only";
import { and, asc, desc, eq, gt, gte, inArray, isNull, like, lt, sql, type Placeholder, type SQL } from "drizzle-orm";
import {
  auditEvents,
  bankStatementLines,
  bankStatements,
  companies,
  creditNotes,
  invoices,
  orders,
  payments,
  priceLists,
  products,
  quotations,
  users,
  type AuditDiff,
} from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { jsonParam, statement } from "@/db/prepared";
import { insertOutboxEventsSql, outboxEventsParam } from "@/db/queries/webhooks";
import type { EmittedEvent } from "@/lib/domain/webhook-events";
import { isUuid } from "@/lib/domain/ids";

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
const insertAuditAndEvents = statement<never, { rows: string; events: string }>(
  "audit.insert_with_events",
  sql`with events as (${insertOutboxEventsSql(sql.placeholder("events"))}) ${insertAuditRowsSql(sql.placeholder("rows"))}`,
);

/**
 * Writes audit rows built earlier, in one prepared statement per thousand (one round trip each),
 * and with the first of them the outbox events the mutation emitted (MutationContext.emit).
 */
export async function insertAuditRows(tx: DbOrTx, rows: AuditRow[], events: readonly EmittedEvent[] = []): Promise<void> {
  if (events.length > 0) await insertAuditAndEvents(tx, { rows: jsonParam(rows.slice(0, 1000)), events: outboxEventsParam(events) });
  for (let i = events.length > 0 ? 1000 : 0; i < rows.length; i += 1000) await insertAudit(tx, { rows: jsonParam(rows.slice(i, i + 1000)) });
}

// ---- the audit viewer (staff with audit.read; the callers check the permission) ----

/** An entity an audit row names: entity_type and entity_id. */
export type EntityKey = { type: string; id: string };

/**
 * What the viewer selects, already resolved: actor emails to user ids (findAuditActors), dates to
 * instants in the viewer's zone, a History link's entity to the entities its history includes
 * (historyEntities). `before` / `after` are keyset cursors (event ids).
 */
export type AuditListFilter = {
  actorIds?: string[];
  actorType?: "system" | "anonymous";
  since?: Date;
  until?: Date;
  action?: string;
  outcome?: "success" | "denied";
  entityType?: string;
  entities?: EntityKey[];
};

/**
 * How long (at most) a transaction runs from its start to its audit insert. occurred_at is the
 * transaction's start (now()) and ids are taken at insert, so ids follow occurred_at within this
 * margin; the date filter uses it to turn a date range into an id range (see dateBounds).
 */
const TX_MARGIN = sql.raw(`interval '1 hour'`);

/**
 * A date range as id bounds as well as times: keyset pages then read one range of the primary key
 * (or of a filter's index ending in id) instead of every newer row. An event that started before
 * `since - margin` got its id before any event of the range did, so any such event's id is a safe
 * lower bound (the newest one by time: one probe of the occurred_at index); likewise for the upper
 * bound. The bounds are read first and passed as constants, so the planner can estimate the range
 * (as sub-selects it could not, and chose the action index over the id range: 12× slower at 1M).
 * The time conditions stay, so the bounds only narrow the scan and never change the result.
 */
async function dateBounds(db: DbOrTx, f: AuditListFilter): Promise<SQL[]> {
  if (!f.since && !f.until) return [];
  const [b] = await queryRows<{ lo: string | null; hi: string | null }>(
    db,
    sql`select
      ${f.since ? sql`(select b.id from audit_events b where b.occurred_at < ${f.since.toISOString()}::timestamptz - ${TX_MARGIN} order by b.occurred_at desc limit 1)` : sql`null::bigint`}::text as lo,
      ${f.until ? sql`(select b.id from audit_events b where b.occurred_at >= ${f.until.toISOString()}::timestamptz + ${TX_MARGIN} order by b.occurred_at asc limit 1)` : sql`null::bigint`}::text as hi`,
  );
  const out: SQL[] = [];
  if (f.since) out.push(gte(auditEvents.occurredAt, f.since));
  if (f.until) out.push(lt(auditEvents.occurredAt, f.until));
  if (b?.lo) out.push(gt(auditEvents.id, BigInt(b.lo)));
  if (b?.hi) out.push(lt(auditEvents.id, BigInt(b.hi)));
  return out;
}

const escapeLike = (s: string) => s.replace(/[%_\\]/g, "\\$&");

/** The WHERE of a filter, or null when it can match nothing (an actor search that found no user). */
async function whereOf(db: DbOrTx, f: AuditListFilter): Promise<SQL | undefined | null> {
  if (f.actorIds && f.actorIds.length === 0) return null;
  if (f.entities && f.entities.length === 0) return null;
  const entities = f.entities?.filter((e) => isUuid(e.id));
  if (entities && entities.length === 0) return null;
  const parts: (SQL | undefined)[] = [
    f.actorIds ? (f.actorIds.length === 1 ? eq(auditEvents.actorId, f.actorIds[0]!) : inArray(auditEvents.actorId, f.actorIds)) : undefined,
    f.actorType ? eq(auditEvents.actorType, f.actorType) : undefined,
    ...(await dateBounds(db, f)),
    // Starts with: "order." is every order action, "order.approve" that one (and its index range).
    f.action ? like(auditEvents.action, `${escapeLike(f.action)}%`) : undefined,
    f.outcome ? eq(auditEvents.outcome, f.outcome) : undefined,
    f.entityType ? eq(auditEvents.entityType, f.entityType) : undefined,
    entities
      ? entities.length === 1
        ? and(eq(auditEvents.entityType, entities[0]!.type), eq(auditEvents.entityId, entities[0]!.id))
        : sql`(${auditEvents.entityType}, ${auditEvents.entityId}) in (${sql.join(
            entities.map((e) => sql`(${e.type}, ${e.id})`),
            sql`, `,
          )})`
      : undefined,
  ];
  return and(...parts);
}

/**
 * Runs the viewer's reads planned for their actual values. The app prepares its statements, and
 * after five runs PostgreSQL may switch a prepared statement to a generic plan that knows neither
 * the id range, the date range, the action prefix nor the page size: measured at 1M events, the
 * action + date page then read a month through the occurred_at index and sorted it (111-245 ms
 * instead of 9). SET LOCAL needs a transaction: three short statements more, on a staff page.
 */
function customPlan<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local plan_cache_mode = force_custom_plan`);
    return fn(tx);
  });
}

const listColumns = {
  id: auditEvents.id,
  occurredAt: auditEvents.occurredAt,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  actorEmail: users.email,
  actorRole: auditEvents.actorRole,
  action: auditEvents.action,
  entityType: auditEvents.entityType,
  entityId: auditEvents.entityId,
  companyId: auditEvents.companyId,
  diff: auditEvents.diff,
  ip: auditEvents.ip,
  requestId: auditEvents.requestId,
  outcome: auditEvents.outcome,
};

async function selectEvents(db: DbOrTx, where: SQL | undefined, cursor: { before?: bigint; after?: bigint }, limit: number) {
  const keyset = cursor.after !== undefined ? gt(auditEvents.id, cursor.after) : cursor.before !== undefined ? lt(auditEvents.id, cursor.before) : undefined;
  return db
    .select(listColumns)
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(where, keyset))
    .orderBy(cursor.after !== undefined ? asc(auditEvents.id) : desc(auditEvents.id))
    .limit(limit);
}

async function anyBeyond(db: DbOrTx, where: SQL | undefined, keyset: SQL): Promise<boolean> {
  const rows = await db.select({ id: auditEvents.id }).from(auditEvents).where(and(where, keyset)).limit(1);
  return rows.length > 0;
}

export type AuditReference = { reference: string; linkId: string };
export type AuditListRow = Awaited<ReturnType<typeof selectEvents>>[number] & { entity: AuditReference | null };

/**
 * One keyset page, newest first: `before` reads older events than that id, `after` newer ones (the
 * "Newer" link). No COUNT over the table: the page says whether older or newer events exist, each
 * found by one more index probe. Rows carry their entity's business reference (referencesOf).
 */
export function listAuditEvents(
  db: DbOrTx,
  f: AuditListFilter,
  cursor: { before?: bigint; after?: bigint } = {},
  limit = 50,
): Promise<{ rows: AuditListRow[]; hasOlder: boolean; hasNewer: boolean }> {
  return customPlan(db, (tx) => listPage(tx, f, cursor, limit));
}

async function listPage(db: DbOrTx, f: AuditListFilter, cursor: { before?: bigint; after?: bigint }, limit: number) {
  const where = await whereOf(db, f);
  if (where === null) return { rows: [], hasOlder: false, hasNewer: false };
  const fetched = await selectEvents(db, where, cursor, limit + 1);
  const more = fetched.length > limit;
  const page = fetched.slice(0, limit);
  if (cursor.after !== undefined) page.reverse();
  let hasOlder: boolean;
  let hasNewer: boolean;
  if (cursor.after !== undefined) {
    hasNewer = more;
    hasOlder = page.length > 0 ? await anyBeyond(db, where, lt(auditEvents.id, page.at(-1)!.id)) : await anyBeyond(db, where, lt(auditEvents.id, cursor.after + 1n));
  } else {
    hasOlder = more;
    hasNewer =
      cursor.before === undefined ? false : await anyBeyond(db, where, gt(auditEvents.id, page.length > 0 ? page[0]!.id : cursor.before - 1n));
  }
  const refs = await referencesOf(db, page);
  return { rows: page.map((r) => ({ ...r, entity: (r.entityId && refs.get(`${r.entityType}:${r.entityId}`)) || null })), hasOlder, hasNewer };
}

/**
 * Every event of a filter, newest first, in batches read by keyset (each batch one index range and
 * one reference lookup), for the streamed CSV export: memory holds one batch, whatever the total.
 */
export async function* auditEventBatches(db: DbOrTx, f: AuditListFilter, batchSize = 1000): AsyncGenerator<AuditListRow[]> {
  const where = await whereOf(db, f);
  if (where === null) return;
  let before: bigint | undefined;
  for (;;) {
    // Each batch its own short transaction: an export as slow as its client holds no snapshot open.
    const batch = await customPlan(db, async (tx) => {
      const rows = await selectEvents(tx, where, { before }, batchSize);
      const refs = await referencesOf(tx, rows);
      return rows.map((r) => ({ ...r, entity: (r.entityId && refs.get(`${r.entityType}:${r.entityId}`)) || null }));
    });
    if (batch.length === 0) return;
    yield batch;
    if (batch.length < batchSize) return;
    before = batch.at(-1)!.id;
  }
}

const idList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}`), sql`, `);

/**
 * The business reference of each entity the rows name, in one query for the whole page (a UNION ALL
 * of one indexed lookup per entity type present), keyed `type:id`. `linkId` is the id of the page
 * that shows the entity (a quotation's or invoice's order). Entities since deleted have none.
 */
export async function referencesOf(db: DbOrTx, rows: { entityType: string; entityId: string | null }[]): Promise<Map<string, AuditReference>> {
  const byType = new Map<string, Set<string>>();
  for (const r of rows) {
    if (!r.entityId || !isUuid(r.entityId)) continue;
    const set = byType.get(r.entityType) ?? new Set<string>();
    set.add(r.entityId.toLowerCase());
    byType.set(r.entityType, set);
  }
  const parts: SQL[] = [];
  for (const [type, set] of byType) {
    const ids = idList([...set]);
    switch (type) {
      case "order":
        parts.push(sql`select 'order', id::text, reference, id::text from ${orders} where id in (${ids})`);
        break;
      case "quotation":
        parts.push(sql`select 'quotation', id::text, number || ' v' || version, order_id::text from ${quotations} where id in (${ids})`);
        break;
      case "invoice":
        parts.push(sql`select 'invoice', id::text, number, order_id::text from ${invoices} where id in (${ids})`);
        break;
      case "credit_note":
        parts.push(sql`select 'credit_note', id::text, number, order_id::text from ${creditNotes} where id in (${ids})`);
        break;
      case "payment":
        // The reference the payer quoted; a payment without one by its date and currency.
        parts.push(
          sql`select 'payment', id::text, coalesce(nullif(reference, ''), 'payment of ' || paid_on::text || ' (' || currency || ')'), id::text from ${payments} where id in (${ids})`,
        );
        break;
      case "bank_statement":
        parts.push(sql`select 'bank_statement', id::text, bank_name || ': ' || file_name, id::text from ${bankStatements} where id in (${ids})`);
        break;
      case "bank_statement_line":
        parts.push(
          sql`select 'bank_statement_line', l.id::text, l.bank_name || ' line ' || coalesce(nullif(l.reference, ''), l.id::text), l.statement_id::text from ${bankStatementLines} l where l.id in (${ids})`,
        );
        break;
      case "product":
        parts.push(sql`select 'product', id::text, sku, id::text from ${products} where id in (${ids})`);
        break;
      case "price_list":
        parts.push(sql`select 'price_list', id::text, name, id::text from ${priceLists} where id in (${ids})`);
        break;
      case "user":
        parts.push(sql`select 'user', id::text, email, id::text from ${users} where id in (${ids})`);
        break;
      case "company":
        parts.push(sql`select 'company', id::text, name, id::text from ${companies} where id in (${ids})`);
        break;
    }
  }
  const out = new Map<string, AuditReference>();
  if (parts.length === 0) return out;
  const found = await queryRows<{ type: string; id: string; label: string; link: string }>(
    db,
    // Named here: a branch's own aliases count only when it comes first.
    sql`select * from (${sql.join(parts, sql` union all `)}) as r(type, id, label, link)`,
  );
  for (const r of found) out.set(`${r.type}:${r.id}`, { reference: r.label, linkId: r.link });
  // Keys as the rows spell them (ids from the services are lower-case; the lookup lower-cased them).
  for (const r of rows) {
    if (r.entityId && !out.has(`${r.entityType}:${r.entityId}`)) {
      const hit = out.get(`${r.entityType}:${r.entityId.toLowerCase()}`);
      if (hit) out.set(`${r.entityType}:${r.entityId}`, hit);
    }
  }
  return out;
}

/**
 * The entities an entity's History includes: an order's history is the order's own events and those
 * of its quotations, invoice and credit notes; an invoice's, the invoice's and its credit notes';
 * anything else, its own. Payments are not folded into an invoice's history: a payment can settle
 * several invoices and has its own History link.
 */
export async function historyEntities(db: DbOrTx, type: string, id: string): Promise<EntityKey[]> {
  const self = [{ type, id }];
  if (!isUuid(id)) return self;
  if (type === "order") {
    const related = await queryRows<{ type: string; id: string }>(
      db,
      sql`select 'quotation' as type, id::text as id from ${quotations} where order_id = ${id}
          union all select 'invoice', id::text from ${invoices} where order_id = ${id}
          union all select 'credit_note', id::text from ${creditNotes} where order_id = ${id}`,
    );
    return [...self, ...related];
  }
  if (type === "invoice") {
    const related = await queryRows<{ type: string; id: string }>(db, sql`select 'credit_note' as type, id::text as id from ${creditNotes} where invoice_id = ${id}`);
    return [...self, ...related];
  }
  return self;
}

/** The reference of one entity, for the "History of ORD-…" heading. */
export async function referenceOf(db: DbOrTx, type: string, id: string): Promise<AuditReference | null> {
  return (await referencesOf(db, [{ entityType: type, entityId: id }])).get(`${type}:${id}`) ?? null;
}

/**
 * The users an actor filter means: the one whose email is exactly the text (any case), else up to
 * 20 whose email contains it.
 */
export async function findAuditActors(db: DbOrTx, text: string): Promise<{ id: string; email: string }[]> {
  const exact = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`lower(${users.email}) = ${text.toLowerCase()}`)
    .limit(1);
  if (exact.length > 0) return exact;
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(sql`${users.email} ilike ${`%${escapeLike(text)}%`}`)
    .orderBy(asc(users.email))
    .limit(20);
}

/** Staff emails, for the actor field's suggestions (customers' users can be typed). */
export async function listStaffEmails(db: DbOrTx): Promise<string[]> {
  const rows = await db.select({ email: users.email }).from(users).where(isNull(users.companyId)).orderBy(asc(users.email)).limit(200);
  return rows.map((r) => r.email);
}
