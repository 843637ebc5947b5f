import "server-only";
import { sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { mailMessages, notifications, type NewMailMessage } from "@/db/schema";
import { isUuid } from "@/lib/domain/ids";
import type { Role } from "@/lib/domain/roles";

// The reads and writes of the notifications fan-out (lib/notifications/fan-out.ts, security.ts,
// preview.ts): who hears of an event, their email choices, and the rows the fan-out writes.

export type OutboxRow = { id: string; type: string; companyId: string | null; payload: Record<string, unknown>; occurredAt: Date };

export type Person = { id: string; email: string; name: string; role: Role };

const person = sql`u.id, u.email, u.name, u.role::text as role`;

/** The buyer of an order, when active. */
export function buyerOfOrder(tx: DbOrTx, orderId: string): Promise<Person[]> {
  if (!isUuid(orderId)) return Promise.resolve([]);
  return queryRows<Person>(tx, sql`select ${person} from orders o join users u on u.id = o.buyer_id where o.id = ${orderId}::uuid and u.active`);
}

/** The user who requested a return, when active (a return's decisions and receipt are told to them). */
export function returnRequester(tx: DbOrTx, returnId: string): Promise<Person[]> {
  if (!isUuid(returnId)) return Promise.resolve([]);
  return queryRows<Person>(tx, sql`select ${person} from returns r join users u on u.id = r.requested_by where r.id = ${returnId}::uuid and u.active`);
}

export type ReturnFacts = { number: string; reference: string; credit_total_minor: string | null; credit_currency: string | null };

/** A return's number, its order's reference and its credit note's total, once received (what a return's mails name). */
export async function returnOf(tx: DbOrTx, returnId: string): Promise<ReturnFacts | null> {
  if (!isUuid(returnId)) return null;
  const [row] = await queryRows<ReturnFacts>(
    tx,
    sql`select r.number, o.reference, n.total_minor::text as credit_total_minor, n.currency as credit_currency
        from returns r join orders o on o.id = r.order_id left join credit_notes n on n.return_id = r.id
        where r.id = ${returnId}::uuid`,
  );
  return row ?? null;
}

/** A company's active customer admins. */
export function customerAdmins(tx: DbOrTx, companyId: string): Promise<Person[]> {
  return queryRows<Person>(tx, sql`select ${person} from users u where u.company_id = ${companyId}::uuid and u.role = 'customer_admin' and u.active order by u.email`);
}

/** The active staff users of a role. */
export function staffOfRole(tx: DbOrTx, role: "sales" | "finance" | "admin"): Promise<Person[]> {
  return queryRows<Person>(tx, sql`select ${person} from users u where u.role = ${role}::user_role and u.active order by u.email`);
}

/**
 * Who a payment decision is for: the customer user who submitted it (a remittance), else the buyers
 * of the orders whose invoices it pays.
 */
export function paymentCustomers(tx: DbOrTx, paymentId: string): Promise<Person[]> {
  if (!isUuid(paymentId)) return Promise.resolve([]);
  return queryRows<Person>(
    tx,
    sql`with submitter as (
          select ${person} from payments p join users u on u.id = p.recorded_by
          where p.id = ${paymentId}::uuid and u.company_id = p.company_id and u.active
        )
        select * from submitter
        union
        select ${person} from payment_allocations a join invoices i on i.id = a.invoice_id join orders o on o.id = i.order_id join users u on u.id = o.buyer_id
        where a.payment_id = ${paymentId}::uuid and u.active and not exists (select 1 from submitter)`,
  );
}

/** The invoices a payment is allocated to, with their orders (what a payment mail names). */
export function paidInvoices(tx: DbOrTx, paymentId: string): Promise<{ number: string; reference: string }[]> {
  if (!isUuid(paymentId)) return Promise.resolve([]);
  return queryRows<{ number: string; reference: string }>(
    tx,
    sql`select i.number, o.reference from payment_allocations a join invoices i on i.id = a.invoice_id join orders o on o.id = i.order_id
        where a.payment_id = ${paymentId}::uuid order by i.number`,
  );
}

/** A company's name and accounts-payable address (empty for no company). */
export async function companyOf(tx: DbOrTx, companyId: string | null): Promise<{ name: string; apEmail: string | null }> {
  if (!companyId) return { name: "", apEmail: null };
  const [row] = await queryRows<{ name: string; ap: string | null }>(tx, sql`select name, accounts_payable_email as ap from companies where id = ${companyId}::uuid`);
  return { name: row?.name ?? "", apEmail: row?.ap ?? null };
}

/** Whether an order needs finance approval, and why it was closed. */
export async function orderOf(tx: DbOrTx, orderId: string): Promise<{ needs_finance: boolean; close_reason: string | null } | null> {
  if (!isUuid(orderId)) return null;
  const [row] = await queryRows<{ needs_finance: boolean; close_reason: string | null }>(
    tx,
    sql`select needs_finance_approval as needs_finance, close_reason from orders where id = ${orderId}::uuid`,
  );
  return row ?? null;
}

/**
 * The seller-side approval steps given on an order by the time an event happened (an approval and
 * its event share their transaction's now(); compared in SQL, at full microsecond precision).
 */
export async function approvalStepsGivenBy(tx: DbOrTx, orderId: string, eventId: string): Promise<string[]> {
  const given = await queryRows<{ step: string }>(
    tx,
    sql`select step::text as step from order_approvals where order_id = ${orderId}::uuid and decision = 'approved' and decided_at <= (select occurred_at from outbox_events where id = ${eventId}::uuid)`,
  );
  return given.map((g) => g.step);
}

/** The users' stored email choice for one kind (a user without a row has made none). */
export async function emailChoices(tx: DbOrTx, userIds: string[], kind: string): Promise<Map<string, boolean>> {
  if (userIds.length === 0) return new Map();
  const rows = await queryRows<{ user_id: string; email: boolean }>(
    tx,
    sql`select user_id, email from notification_preferences where kind = ${kind} and user_id = any(${`{${userIds.join(",")}}`}::uuid[])`,
  );
  return new Map(rows.map((r) => [r.user_id, r.email]));
}

/** In-app notifications; a second run of the same event writes nothing (unique user, event, kind). */
export async function insertNotifications(tx: DbOrTx, rows: (typeof notifications.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(notifications).values(rows).onConflictDoNothing();
}

/** Outgoing mails; answers the ids of those that are new (unique event, kind, recipient). */
export async function insertMails(tx: DbOrTx, rows: NewMailMessage[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await tx.insert(mailMessages).values(rows).onConflictDoNothing().returning({ id: mailMessages.id });
  return inserted.map((r) => r.id);
}

/** The claimed events' rows, in the relay's transaction. */
export async function outboxRows(tx: DbOrTx, ids: string[]): Promise<OutboxRow[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: string; type: string; company_id: string | null; payload: Record<string, unknown>; occurred_at: Date | string }>(
    tx,
    sql`select id, type, company_id, payload, occurred_at from outbox_events where id = any(${`{${ids.join(",")}}`}::uuid[]) order by occurred_at, id`,
  );
  return rows.map((r) => ({ id: r.id, type: r.type, companyId: r.company_id, payload: r.payload, occurredAt: new Date(r.occurred_at) }));
}

// Security notices (lib/notifications/security.ts).

/** An active user by id ([] when gone or deactivated: a deactivated account is told nothing). */
export function activeUser(tx: DbOrTx, userId: string): Promise<Person[]> {
  if (!isUuid(userId)) return Promise.resolve([]);
  return queryRows<Person>(tx, sql`select ${person} from users u where u.id = ${userId}::uuid and u.active`);
}

/** A key's owner and, for a company key, the company's active customer admins (the owner first). */
export function keyAudience(tx: DbOrTx, ownerId: string, companyId: string | null): Promise<Person[]> {
  if (!isUuid(ownerId)) return Promise.resolve([]);
  return queryRows<Person>(
    tx,
    sql`select ${person} from users u
        where u.active and (u.id = ${ownerId}::uuid
          ${companyId ? sql`or (u.company_id = ${companyId}::uuid and u.role = 'customer_admin')` : sql``})
        order by (u.id = ${ownerId}::uuid) desc, u.email`,
  );
}

// The template preview (lib/notifications/preview.ts).

/**
 * The latest event that produced each kind (an in-app notification or a mail of it): the outbox has
 * no kind column, the fan-out decides kinds, so its rows are where kinds are known.
 */
export async function latestEventByKind(tx: DbOrTx, kinds: readonly string[]): Promise<Map<string, string>> {
  const rows = await queryRows<{ kind: string; event_id: string | null }>(
    tx,
    sql`select k.kind,
               (select x.event_id from (
                  (select m.event_id, m.created_at from mail_messages m where m.kind = k.kind order by m.created_at desc limit 1)
                  union all
                  (select n.event_id, n.created_at from notifications n where n.kind = k.kind order by n.created_at desc limit 1)
                ) x order by x.created_at desc limit 1) as event_id
        from unnest(${`{${kinds.join(",")}}`}::text[]) as k(kind)`,
  );
  return new Map(rows.filter((r) => r.event_id !== null).map((r) => [r.kind, r.event_id!]));
}
