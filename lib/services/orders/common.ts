import "server-only";
import { getTableColumns, sql } from "drizzle-orm";
import { companies, orders, type Company, type Order } from "@/db/schema";
import type { Tx } from "@/db/client";
import { dateIn } from "@/lib/domain/dates";
import { DomainError, notFound } from "@/lib/domain/errors";
import { formatMoney } from "@/lib/domain/money";
import { eventLabels, nextState, stateLabels, type OrderEvent } from "@/lib/domain/order-state";
import { isCustomerRole } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import type { MutationContext } from "@/lib/mutation";
import { recordAudit } from "../audit";
import type { Actor } from "@/lib/domain/actor";
import { statement, tableRow, type Statement } from "@/db/prepared";

const p = sql.placeholder;
/** Order rows from hand-written statements: `select ${orderRow.list} from orders …`, then orderRow.map. */
export const orderRow = tableRow(orders, "orders");

const lockOrderStatement = statement<Record<string, unknown>, { id: string }>("orders.lock", sql`select ${orderRow.list} from orders where id = ${p("id")} for update`);
const lockCompanyOrderStatement = statement<Record<string, unknown>, { id: string; companyId: string }>(
  "orders.lock_for_company",
  sql`select ${orderRow.list} from orders where id = ${p("id")} and company_id = ${p("companyId")} for update`,
);

/** Locks an order the actor may act on. A customer asking for another company's order gets 404. */
export async function lockOrder(ctx: Pick<MutationContext, "tx" | "actor">, orderId: string): Promise<Order> {
  const { tx, actor } = ctx;
  const [row] = !isCustomerRole(actor.role)
    ? await lockOrderStatement(tx, { id: orderId })
    : actor.companyId
      ? await lockCompanyOrderStatement(tx, { id: orderId, companyId: actor.companyId })
      : [];
  if (!row) throw notFound("Order", { entityType: "order", entityId: orderId });
  return orderRow.map(row);
}

const companyRow = tableRow(companies, "companies");
const loadCompanyStatement = statement<Record<string, unknown>, { id: string }>("companies.load", sql`select ${companyRow.list} from companies where id = ${p("id")}`);
const lockCompanyStatement = statement<Record<string, unknown>, { id: string }>("companies.lock", sql`select ${companyRow.list} from companies where id = ${p("id")} for update`);

export async function loadCompany(tx: Tx, companyId: string, opts: { lock?: boolean } = {}): Promise<Company> {
  const [row] = await (opts.lock ? lockCompanyStatement : loadCompanyStatement)(tx, { id: companyId });
  if (!row) throw notFound("Company");
  return companyRow.map(row);
}

/**
 * Moves an order by one event of the state machine: the update is conditional on the status and
 * version that were read, records the timeline event and the audit row. Throws a clear conflict
 * when the move is not allowed from the current state.
 */
export type TransitionContext = { tx: Tx; actor: Actor | null; audit: MutationContext["audit"] };

/** A context for the system itself (scheduled jobs, lazy expiry on read): audited as "system". */
export function systemContext(tx: Tx): TransitionContext {
  return { tx, actor: null, audit: (event) => recordAudit(tx, { actor: "system", request: null }, event) };
}

/** Refuses, before any work, an event the order's current state does not allow. */
export function assertAllowed(order: Order, event: OrderEvent): void {
  if (!nextState(order.status, event)) {
    throw new DomainError("conflict", `This order is "${stateLabels[order.status]}": "${eventLabels[event]}" is not possible now.`);
  }
}

type OrderPatch = Partial<typeof orders.$inferInsert>;
const orderColumns = getTableColumns(orders);
// Set by transition() itself, whatever the patch says.
const transitionOwned = new Set<string>(["status", "version", "updatedAt"]);
const transitionStatements = new Map<string, Statement<Record<string, unknown>, Record<string, unknown>>>();

/**
 * The conditional update and its timeline event in one statement, one per set of patched columns
 * (a handful: each event patches the same ones every time), so each is prepared once.
 */
function transitionStatement(keys: readonly (keyof typeof orderColumns)[]) {
  const id = keys.join(",");
  let s = transitionStatements.get(id);
  if (!s) {
    const sets = keys.map((k) => sql`${sql.identifier(orderColumns[k].name)} = ${p(`set_${k}`)}`);
    s = statement(
      `orders.transition(${id})`,
      sql`with moved as (
          update orders set ${sql.join([...sets, sql`status = ${p("to")}::order_status, version = ${p("version")}::int + 1, updated_at = ${p("now")}::text::timestamptz`], sql`, `)}
          where id = ${p("id")} and status = ${p("from")}::order_status and version = ${p("version")}::int
          returning *
        ), event as (
          insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status, note)
          select id, ${p("actorId")}::uuid, ${p("actorRole")}::text, ${p("event")}::text, ${p("from")}::order_status, ${p("to")}::order_status, ${p("note")}::text from moved
        )
        select ${orderRow.list} from moved orders`,
    );
    transitionStatements.set(id, s);
  }
  return s;
}

export async function transition(ctx: TransitionContext, order: Order, event: OrderEvent, patch: OrderPatch = {}, note = ""): Promise<Order> {
  assertAllowed(order, event);
  const to = nextState(order.status, event)!;
  const keys = (Object.keys(patch) as (keyof OrderPatch)[]).filter((k) => patch[k] !== undefined && !transitionOwned.has(k)).sort();
  const params: Record<string, unknown> = {
    id: order.id,
    from: order.status,
    to,
    version: order.version,
    now: new Date().toISOString(),
    actorId: ctx.actor?.id ?? null,
    actorRole: ctx.actor?.role ?? "system",
    event,
    note,
  };
  for (const k of keys) {
    const value = patch[k];
    params[`set_${k}`] = value === null ? null : orderColumns[k].mapToDriverValue(value);
  }
  const [row] = await transitionStatement(keys)(ctx.tx, params);
  if (!row) throw new DomainError("conflict", "This order was changed by someone else at the same time. Reload it and try again.");
  const updated = orderRow.map(row);
  await ctx.audit({
    action: `order.${event}`,
    entityType: "order",
    entityId: order.id,
    companyId: order.companyId,
    before: { status: order.status, version: order.version },
    after: { status: to, version: updated.version, ...(note ? { note } : {}) },
  });
  return updated;
}

export const money = (currency: string) => (minor: bigint) => formatMoney(minor, currency);

export function sellerParty() {
  const e = env();
  return { name: e.SELLER_NAME, address: e.SELLER_ADDRESS, taxId: e.SELLER_TAX_ID, email: e.SELLER_EMAIL, bank: e.SELLER_BANK_NAME, iban: e.SELLER_IBAN, bic: e.SELLER_BIC };
}

/** Document numbers and dates follow the seller's calendar. */
export function sellerToday(now = new Date()): string {
  return dateIn(env().SELLER_TIME_ZONE, now);
}

export function orderReference(): string {
  // Short, unambiguous, not guessable from the previous one (letters without I/O, digits without 0/1).
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return "ORD-" + [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
}

export function customerActor(actor: Actor): asserts actor is Actor & { companyId: string } {
  if (!actor.companyId) throw new DomainError("forbidden", "Only customer users can do this.");
}
