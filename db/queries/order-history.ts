import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { db, type Db } from "@/db/client";
import * as schema from "@/db/schema";
import { env } from "@/lib/env";

// Moves orders back in time, for the analytics workload test and the demo history of the seed: the
// services stamp every document with the real clock, so a year of history is made by running them
// now and then rewriting each order's timestamps. Owner only: quotations, invoices and credit notes
// refuse any change to the app role (document immutability triggers, which the owner disables for
// the length of its transaction; ALTER TABLE is transactional, so no other session sees them off).
//
// Per order, anchors (real instant → shifted instant) define a monotone step mapping: an instant t
// at or after anchor k (and before anchor k+1) becomes shifted_k + (t − real_k); before the first
// anchor, the first one's offset applies. As long as every anchor moves at least as far forward as
// the real clock did between two anchors, the order of events is kept. Dates follow their instants
// on the seller's calendar: issue dates from issued_at, due dates keep their distance to the issue
// date, a payment's paid_on is the date it was recorded on, a valid_until keeps its distance to the
// quotation's issue. Payments move with the order of the (one) invoice they are allocated to.

export type TimelineAnchor = { orderId: string; real: Date; shifted: Date };

const immutable = [
  ["quotations", "quotations_immutable"],
  ["invoices", "invoices_immutable"],
  ["credit_notes", "credit_notes_immutable"],
  ["shipments", "shipments_immutable"],
] as const;

/** The sales rollups' triggers (migration 0020), off during the rewrite and refreshed after it. */
const rollups = [
  ["orders", "booked_orders_order"],
  ["orders", "order_cycle_times_order"],
  ["order_approvals", "order_cycle_times_approval"],
] as const;

/** The mapped value of a timestamp column `t` of order `orderId` (both SQL expressions). */
function mapped(t: SQL, orderId: SQL): SQL {
  return sql`(select a.shifted + (${t} - a.real) from history_anchors a where a.order_id = ${orderId}
    order by (a.real <= ${t}) desc, case when a.real <= ${t} then a.real end desc, a.real asc limit 1)`;
}

/** Rewrites the timestamps of the anchored orders and of their documents, decisions, events and payments. */
export async function rewriteOrderTimelines(owner: Db, anchors: readonly TimelineAnchor[], timeZone: string): Promise<void> {
  if (anchors.length === 0) return;
  const json = JSON.stringify(anchors.map((a) => ({ order_id: a.orderId, real: a.real.toISOString(), shifted: a.shifted.toISOString() })));
  const tz = sql`${timeZone}::text`;
  await owner.transaction(async (tx) => {
    await tx.execute(sql`create temporary table history_anchors (order_id uuid not null, real timestamptz not null, shifted timestamptz not null) on commit drop`);
    await tx.execute(sql`insert into history_anchors select * from jsonb_to_recordset(${json}::jsonb) as r(order_id uuid, real timestamptz, shifted timestamptz)`);
    await tx.execute(sql`create index on history_anchors (order_id, real)`);
    await tx.execute(sql`analyze history_anchors`);
    for (const [table, trigger] of immutable) await tx.execute(sql.raw(`alter table ${table} disable trigger ${trigger}`));
    // The sales rollups' triggers would recompute each order's rows on every update below; they are off
    // for the rewrite and the anchored orders are refreshed once at the end.
    for (const [table, trigger] of rollups) await tx.execute(sql.raw(`alter table ${table} disable trigger ${trigger}`));
    const o = sql`o.id`;
    // An expired order's closed_at is the instant the expiry job was told it was (after validity):
    // it is the expiry's own timeline entry that dates it.
    await tx.execute(sql`update orders o set
        submitted_at = ${mapped(sql`o.submitted_at`, o)}, accepted_at = ${mapped(sql`o.accepted_at`, o)},
        approved_at = ${mapped(sql`o.approved_at`, o)}, shipped_at = ${mapped(sql`o.shipped_at`, o)},
        delivered_at = ${mapped(sql`o.delivered_at`, o)}, paid_at = ${mapped(sql`o.paid_at`, o)},
        closed_at = case when o.status = 'expired' then ${mapped(sql`o.updated_at`, o)} else ${mapped(sql`o.closed_at`, o)} end,
        created_at = ${mapped(sql`o.created_at`, o)}, updated_at = ${mapped(sql`o.updated_at`, o)}
      where o.id in (select order_id from history_anchors)`);
    await tx.execute(sql`update quotations q set issued_at = ${mapped(sql`q.issued_at`, sql`q.order_id`)},
        valid_until = ${mapped(sql`q.issued_at`, sql`q.order_id`)} + (q.valid_until - q.issued_at)
      where q.order_id in (select order_id from history_anchors)`);
    await tx.execute(sql`update order_approvals d set decided_at = ${mapped(sql`d.decided_at`, sql`d.order_id`)}
      where d.order_id in (select order_id from history_anchors)`);
    await tx.execute(sql`update order_events e set occurred_at = ${mapped(sql`e.occurred_at`, sql`e.order_id`)}
      where e.order_id in (select order_id from history_anchors)`);
    await tx.execute(sql`update invoices i set issued_at = s.at, issue_date = (s.at at time zone ${tz})::date,
        due_date = (s.at at time zone ${tz})::date + (i.due_date - i.issue_date)
      from (select i2.id, ${mapped(sql`i2.issued_at`, sql`i2.order_id`)} as at from invoices i2 where i2.order_id in (select order_id from history_anchors)) s
      where s.id = i.id`);
    await tx.execute(sql`update credit_notes n set issued_at = s.at, issue_date = (s.at at time zone ${tz})::date
      from (select n2.id, ${mapped(sql`n2.issued_at`, sql`n2.order_id`)} as at from credit_notes n2 where n2.order_id in (select order_id from history_anchors)) s
      where s.id = n.id`);
    // The finance dashboard's converted entries date invoices and credit notes by issue date (migration
    // 0035), written once at issue; payments' parts follow paid_on through their trigger.
    await tx.execute(sql`update converted_entries c set on_date = d.issue_date
      from (select id, issue_date from invoices where order_id in (select order_id from history_anchors)
            union all select id, issue_date from credit_notes where order_id in (select order_id from history_anchors)) d
      where c.figure = 'invoiced' and c.source_id = d.id`);
    await tx.execute(sql`update shipments s set shipped_at = ${mapped(sql`s.shipped_at`, sql`s.order_id`)}
      where s.order_id in (select order_id from history_anchors)`);
    await tx.execute(sql`update payments p set created_at = s.created, decided_at = s.decided, paid_on = (s.created at time zone ${tz})::date
      from (select p2.id, ${mapped(sql`p2.created_at`, sql`x.order_id`)} as created, ${mapped(sql`p2.decided_at`, sql`x.order_id`)} as decided
            from payments p2
            join lateral (select i.order_id from payment_allocations a join invoices i on i.id = a.invoice_id where a.payment_id = p2.id order by i.order_id limit 1) x on true
            where x.order_id in (select order_id from history_anchors)) s
      where s.id = p.id`);
    // The receivables rollup copies due dates and counts payments by date; its triggers follow the
    // app's writes (status, allocations), not this rewrite, so its rows are recomputed here.
    await tx.execute(sql`select receivable_balance_refresh(i.id) from invoices i where i.order_id in (select order_id from history_anchors)`);
    // The sales rollups date an order's booking by its accepted_at and keep its approval instants, which moved.
    for (const [table, trigger] of rollups) await tx.execute(sql.raw(`alter table ${table} enable trigger ${trigger}`));
    await tx.execute(sql`select booked_order_refresh(a.order_id), order_cycle_time_refresh(a.order_id)
      from (select distinct order_id from history_anchors order by order_id) a`);
    for (const [table, trigger] of immutable) await tx.execute(sql.raw(`alter table ${table} enable trigger ${trigger}`));
  });
}

/**
 * Runs `fn` on a connection as the schema owner: DATABASE_OWNER_URL when set, else the app's own
 * connection (embedded PGlite has one role; without an owner URL the app role owns the tables).
 */
export async function withOwnerConnection<T>(fn: (owner: Db) => Promise<T>): Promise<T> {
  const url = env().DATABASE_OWNER_URL;
  if (!url) return fn(db);
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return await fn(drizzle({ client, schema }) as unknown as Db);
  } finally {
    await client.end({ timeout: 5 });
  }
}
