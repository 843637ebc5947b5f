import "server-only";
import { type Company, type Order } from "@/db/schema";
import type { Tx } from "@/db/client";
import { getCompany } from "@/db/queries/companies";
import { lockOrderRow, moveOrder, type OrderPatch } from "@/db/queries/orders";
import { DomainError, notFound } from "@/lib/domain/errors";
import { formatMoney } from "@/lib/domain/money";
import { eventLabels, nextState, stateLabels, type OrderEvent } from "@/lib/domain/order-state";
import { isCustomerRole } from "@/lib/domain/roles";
import { env } from "@/lib/env";
import type { MutationContext } from "@/lib/mutation";
import { recordAudit } from "../audit";
import { insertOutboxEvent } from "@/db/queries/webhooks";
import type { Actor } from "@/lib/domain/actor";

/** Locks an order the actor may act on. A customer asking for another company's order gets 404. */
export async function lockOrder(ctx: Pick<MutationContext, "tx" | "actor">, orderId: string): Promise<Order> {
  const { tx, actor } = ctx;
  const order = !isCustomerRole(actor.role) ? await lockOrderRow(tx, orderId) : actor.companyId ? await lockOrderRow(tx, orderId, { companyId: actor.companyId }) : null;
  if (!order) throw notFound("Order", { entityType: "order", entityId: orderId });
  return order;
}

export async function loadCompany(tx: Tx, companyId: string, opts: { lock?: boolean } = {}): Promise<Company> {
  const company = await getCompany(tx, companyId, opts);
  if (!company) throw notFound("Company");
  return company;
}

export type TransitionContext = { tx: Tx; actor: Actor | null; audit: MutationContext["audit"]; emit: MutationContext["emit"] };

/** A context for the system itself (scheduled jobs, lazy expiry on read): audited as "system". */
export function systemContext(tx: Tx): TransitionContext {
  return {
    tx,
    actor: null,
    audit: (event) => recordAudit(tx, { actor: "system", request: null }, event),
    emit: async (event) => {
      await insertOutboxEvent(tx, event);
    },
  };
}

/** Refuses, before any work, an event the order's current state does not allow. */
export function assertAllowed(order: Order, event: OrderEvent): void {
  if (!nextState(order.status, event)) {
    throw new DomainError("conflict", `This order is "${stateLabels[order.status]}": "${eventLabels[event]}" is not possible now.`);
  }
}

/**
 * Moves an order by one event of the state machine: the update is conditional on the status and
 * version that were read, records the timeline event and the audit row. Throws a clear conflict
 * when the move is not allowed from the current state.
 */
export async function transition(ctx: TransitionContext, order: Order, event: OrderEvent, patch: OrderPatch = {}, note = ""): Promise<Order> {
  assertAllowed(order, event);
  const to = nextState(order.status, event)!;
  const updated = await moveOrder(ctx.tx, { order, to, event, patch, note, actorId: ctx.actor?.id ?? null, actorRole: ctx.actor?.role ?? "system", now: new Date() });
  if (!updated) throw new DomainError("conflict", "This order was changed by someone else at the same time. Reload it and try again.");
  await ctx.audit({
    action: `order.${event}`,
    entityType: "order",
    entityId: order.id,
    companyId: order.companyId,
    before: { status: order.status, version: order.version },
    after: { status: to, version: updated.version, ...(note ? { note } : {}) },
  });
  await ctx.emit({
    type: "order.status_changed",
    companyId: order.companyId,
    data: { orderId: order.id, reference: order.reference, event, previousStatus: order.status, status: to, version: updated.version },
  });
  return updated;
}

export const money = (currency: string) => (minor: bigint) => formatMoney(minor, currency);

export function sellerParty() {
  const e = env();
  return { name: e.SELLER_NAME, address: e.SELLER_ADDRESS, taxId: e.SELLER_TAX_ID, email: e.SELLER_EMAIL, bank: e.SELLER_BANK_NAME, iban: e.SELLER_IBAN, bic: e.SELLER_BIC };
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
