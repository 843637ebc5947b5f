import "server-only";
import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { openInvoicesOutstandingVerifiedSql } from "@/db/queries/invoice-balances";
import { quotationExpiringSql } from "@/db/queries/orders";
import type { EmittedEvent } from "@/lib/domain/webhook-events";

// The reminders job's reads and its one write (lib/services/reminders.ts). A reminder is sent exactly
// when its `reminders` row and its outbox event are written, and both are written by one statement:
// the reminder's insert (on conflict do nothing) answers its event id only when the row is new, and the
// outbox insert takes its rows from that answer. A second run of the job, or two runs at once, insert
// nothing the second time: the unique key (kind, subject_id, stage) decides, not a read before the write.
// (The reminder's foreign key to the event is checked at the end of the statement, after both inserts.)

export type ReminderKind = "invoice_overdue" | "quotation_expiring" | "low_stock";

const json = (data: Record<string, unknown>) => JSON.stringify(data, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

/**
 * Inserts the reminder whose stage is `stage` (an SQL expression) when `unless` (SQL) finds nothing,
 * and its event with it; answers the event id, or null when nothing was written.
 */
async function insertReminder(tx: DbOrTx, r: { kind: ReminderKind; subjectId: string; stage: SQL; unless: SQL; event: EmittedEvent }): Promise<{ eventId: string; stage: number } | null> {
  const eventId = randomUUID();
  const [row] = await queryRows<{ id: string; stage: number }>(
    tx,
    sql`with r as (
          insert into reminders (kind, subject_id, stage, event_id)
          select ${r.kind}, ${r.subjectId}::uuid, ${r.stage}, ${eventId}::uuid
          where not exists (${r.unless})
          on conflict (kind, subject_id, stage) do nothing
          returning event_id, stage
        ), e as (
          insert into outbox_events (id, type, company_id, payload)
          select r.event_id, ${r.event.type}, ${r.event.companyId}::uuid, ${json(r.event.data)}::jsonb from r
          returning id
        )
        select e.id, r.stage from e join r on r.event_id = e.id`,
  );
  return row ? { eventId: row.id, stage: row.stage } : null;
}

/**
 * The reminder of `stage` for a subject, unless that stage or a later one was sent already (dunning:
 * an invoice first seen 10 days overdue gets the 7-day reminder only, and never the 1-day one later).
 */
export function insertStagedReminder(tx: DbOrTx, r: { kind: ReminderKind; subjectId: string; stage: number; event: EmittedEvent }) {
  return insertReminder(tx, {
    ...r,
    stage: sql`${r.stage}::int`,
    unless: sql`select 1 from reminders x where x.kind = ${r.kind} and x.subject_id = ${r.subjectId}::uuid and x.stage >= ${r.stage}::int`,
  });
}

/** A new low-stock episode for a product (its stage one past the last), unless one is open. */
export function insertLowStockEpisode(tx: DbOrTx, productId: string, event: EmittedEvent) {
  return insertReminder(tx, {
    kind: "low_stock",
    subjectId: productId,
    event,
    stage: sql`coalesce((select max(x.stage) from reminders x where x.kind = 'low_stock' and x.subject_id = ${productId}::uuid), 0) + 1`,
    // An open episode, or stock back at the threshold since the scan read it: nothing to say.
    unless: sql`select 1 from reminders x where x.kind = 'low_stock' and x.subject_id = ${productId}::uuid and x.closed_at is null
                union all
                select 1 from products p left join inventory i on i.product_id = p.id
                where p.id = ${productId}::uuid and coalesce(i.on_hand, 0) - coalesce(i.reserved, 0) >= p.low_stock_threshold`,
  });
}

/** An outbox event of the reminders job that is no reminder of its own (the low-stock digest of a run); its id. */
export async function insertReminderEvent(tx: DbOrTx, event: EmittedEvent): Promise<string> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`insert into outbox_events (type, company_id, payload) values (${event.type}, ${event.companyId}::uuid, ${json(event.data)}::jsonb) returning id`,
  );
  return row!.id;
}

/** Ends the open low-stock episodes of products whose availability is back at or above the threshold (or that no longer have one). */
export async function closeLowStockEpisodes(tx: DbOrTx): Promise<number> {
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`update reminders r set closed_at = now()
        from products p left join inventory i on i.product_id = p.id
        where r.kind = 'low_stock' and r.closed_at is null and r.subject_id = p.id
          and (p.low_stock_threshold = 0 or p.archived_at is not null
               or coalesce(i.on_hand, 0) - coalesce(i.reserved, 0) >= p.low_stock_threshold)
        returning r.id`,
  );
  return rows.length;
}

export type LowStockProduct = { productId: string; sku: string; name: string; onHand: number; reserved: number; threshold: number };

/** Active products whose availability (on hand − reserved) is below their threshold (> 0) and that have no open episode. */
export async function productsNewlyLow(tx: DbOrTx): Promise<LowStockProduct[]> {
  const rows = await queryRows<{ id: string; sku: string; name: string; on_hand: number; reserved: number; threshold: number }>(
    tx,
    sql`select p.id, p.sku, p.name, coalesce(i.on_hand, 0) as on_hand, coalesce(i.reserved, 0) as reserved, p.low_stock_threshold as threshold
        from products p left join inventory i on i.product_id = p.id
        where p.low_stock_threshold > 0 and p.archived_at is null
          and coalesce(i.on_hand, 0) - coalesce(i.reserved, 0) < p.low_stock_threshold
          and not exists (select 1 from reminders x where x.kind = 'low_stock' and x.subject_id = p.id and x.closed_at is null)
        order by p.sku`,
  );
  return rows.map((r) => ({ productId: r.id, sku: r.sku, name: r.name, onHand: r.on_hand, reserved: r.reserved, threshold: r.threshold }));
}

export type OverdueCandidate = { invoiceId: string; dueDate: string; lastStage: number };

/**
 * Invoices with something still due (verified payments; open, not credited: the receivables rollup
 * holds exactly those) whose due date is before `today`, with the last dunning stage sent for each.
 * The caller re-reads each one's balance under lock before it reminds.
 */
export async function overdueCandidates(tx: DbOrTx, today: string): Promise<OverdueCandidate[]> {
  const rows = await queryRows<{ invoice_id: string; due_date: string; last_stage: number }>(
    tx,
    sql`select o.invoice_id, i.due_date::text as due_date,
          coalesce((select max(x.stage) from reminders x where x.kind = 'invoice_overdue' and x.subject_id = o.invoice_id), 0)::int as last_stage
        from (${openInvoicesOutstandingVerifiedSql()}) o join invoices i on i.id = o.invoice_id
        where i.due_date < ${today}::date
        order by i.due_date, i.number`,
  );
  return rows.map((r) => ({ invoiceId: r.invoice_id, dueDate: r.due_date, lastStage: r.last_stage }));
}

export type InvoiceOrder = { orderId: string; reference: string; credited: boolean };

/** The order of an invoice, and whether a credit note cancels the invoice. */
export async function invoiceOrder(tx: DbOrTx, invoiceId: string): Promise<InvoiceOrder | null> {
  const [row] = await queryRows<{ order_id: string; reference: string; credited: boolean }>(
    tx,
    sql`select o.id as order_id, o.reference, exists (select 1 from credit_notes n where n.invoice_id = i.id) as credited
        from invoices i join orders o on o.id = i.order_id where i.id = ${invoiceId}::uuid`,
  );
  return row ? { orderId: row.order_id, reference: row.reference, credited: row.credited } : null;
}

export type ExpiringQuotation = {
  quotationId: string;
  number: string;
  version: number;
  orderId: string;
  reference: string;
  companyId: string;
  validUntil: Date;
  timeZone: string;
  totalMinor: bigint;
  currency: string;
};

/**
 * The current quotation (latest version) of every order still waiting for the customer's acceptance
 * ("quoted") that is valid at `now` and ends before `until`, not yet reminded of.
 */
export async function expiringQuotations(tx: DbOrTx, now: Date, until: Date): Promise<ExpiringQuotation[]> {
  const rows = await queryRows<{
    id: string;
    number: string;
    version: number;
    order_id: string;
    reference: string;
    company_id: string;
    valid_until: Date | string;
    time_zone: string;
    total: string;
    currency: string;
  }>(
    tx,
    sql`select q.id, q.number, q.version, o.id as order_id, o.reference, o.company_id, q.valid_until, c.time_zone, q.total_minor::text as total, q.currency::text as currency
        from orders o
        join companies c on c.id = o.company_id
        join lateral (select * from quotations where order_id = o.id order by version desc limit 1) q on true
        where o.status = 'quoted' and ${quotationExpiringSql(sql`q.valid_until`, now, until)}
          and not exists (select 1 from reminders x where x.kind = 'quotation_expiring' and x.subject_id = q.id)
        order by q.valid_until, o.reference`,
  );
  return rows.map((r) => ({
    quotationId: r.id,
    number: r.number,
    version: r.version,
    orderId: r.order_id,
    reference: r.reference,
    companyId: r.company_id,
    validUntil: new Date(r.valid_until),
    timeZone: r.time_zone,
    totalMinor: BigInt(r.total),
    currency: r.currency,
  }));
}

/**
 * Locks an order that still waits for the customer's acceptance of this quotation version (acceptance
 * and revision take the same lock): null when it moved on or was revised meanwhile.
 */
export async function lockQuotedOrderAtVersion(tx: DbOrTx, orderId: string, quotationId: string): Promise<{ id: string } | null> {
  const [row] = await queryRows<{ id: string }>(
    tx,
    sql`select o.id from orders o where o.id = ${orderId}::uuid and o.status = 'quoted'
          and (select id from quotations where order_id = o.id order by version desc limit 1) = ${quotationId}::uuid
        for update of o`,
  );
  return row ?? null;
}
