// The order state machine: one table of (state, event) → next state. Every transition in the
// services looks its move up here; the database update is additionally conditional on the
// expected state and version, so two racing transitions cannot both win.

export const orderStates = [
  "draft", // the buyer's cart
  "quoted", // quotation issued, waiting for the customer's decision
  "awaiting_customer_approval", // accepted by a buyer above their spending limit
  "awaiting_seller_approval", // accepted (stock reserved), seller approvals pending
  "approved", // all approvals given, invoice issued
  "shipped",
  "delivered",
  "completed", // delivered and its invoice fully paid
  "declined", // customer declined the quotation
  "expired", // quotation validity passed
  "rejected", // an approver rejected the order
  "cancelled",
] as const;
export type OrderState = (typeof orderStates)[number];

export const orderEvents = [
  "submit",
  "revise",
  "accept", // accepted within the buyer's limit
  "accept_over_limit", // accepted above the buyer's limit: customer admin must approve
  "decline",
  "expire",
  "customer_approve",
  "customer_reject",
  "seller_approve", // an approval that leaves others outstanding
  "final_approve", // the last approval: invoice issued
  "reject",
  "ship",
  "deliver",
  "complete", // the invoice of a delivered order is fully paid
  "cancel_by_customer",
  "cancel_by_staff",
] as const;
export type OrderEvent = (typeof orderEvents)[number];

const transitions: Partial<Record<OrderState, Partial<Record<OrderEvent, OrderState>>>> = {
  draft: { submit: "quoted" },
  quoted: {
    revise: "quoted",
    accept: "awaiting_seller_approval",
    accept_over_limit: "awaiting_customer_approval",
    decline: "declined",
    expire: "expired",
    cancel_by_customer: "cancelled",
    cancel_by_staff: "cancelled",
  },
  awaiting_customer_approval: {
    customer_approve: "awaiting_seller_approval",
    customer_reject: "rejected",
    cancel_by_customer: "cancelled",
    cancel_by_staff: "cancelled",
  },
  awaiting_seller_approval: {
    seller_approve: "awaiting_seller_approval",
    final_approve: "approved",
    reject: "rejected",
    cancel_by_customer: "cancelled",
    cancel_by_staff: "cancelled",
  },
  approved: { ship: "shipped", cancel_by_staff: "cancelled" },
  shipped: { deliver: "delivered" },
  delivered: { complete: "completed" },
};

export function nextState(state: OrderState, event: OrderEvent): OrderState | null {
  return transitions[state]?.[event] ?? null;
}

/** Whether the event may happen in this state: pages ask this before offering an action. */
export function canTransition(state: OrderState, event: OrderEvent): boolean {
  return nextState(state, event) !== null;
}

/**
 * The quotation-expiry rule: a quotation is valid up to and including its `validUntil` instant
 * and expired from the next moment on. The SQL form of the same rule is
 * db/queries/orders.ts quotationExpiredSql; keep the two the same.
 */
export function isQuotationExpired(validUntil: Date, now: Date = new Date()): boolean {
  return validUntil.getTime() < now.getTime();
}

/**
 * The status an order has when read: a quoted order whose latest quotation has expired counts as
 * expired before the scheduled job (or the lazy expiry on read) has moved it.
 */
export function effectiveStatus(state: OrderState, validUntil: Date | null, now: Date = new Date()): OrderState {
  return isExpiryDue(state, validUntil, now) ? "expired" : state;
}

/** Whether a quoted order is due to move to "expired" (its latest quotation's validity has passed). */
export function isExpiryDue(state: OrderState, validUntil: Date | null, now: Date = new Date()): boolean {
  return state === "quoted" && validUntil !== null && isQuotationExpired(validUntil, now);
}

/** The "open" filter of order lists: orders still in progress (submitted, not yet delivered or closed). */
export const openStates: readonly OrderState[] = ["quoted", "awaiting_customer_approval", "awaiting_seller_approval", "approved", "shipped"];
/** The "closed" filter of order lists: delivered or ended. */
export const closedStates: readonly OrderState[] = ["delivered", "completed", "declined", "expired", "rejected", "cancelled"];

/** States in which stock is reserved for the order. */
export const reservingStates: readonly OrderState[] = ["awaiting_customer_approval", "awaiting_seller_approval", "approved"];

export const stateLabels: Record<OrderState, string> = {
  draft: "Cart",
  quoted: "Quotation issued",
  awaiting_customer_approval: "Waiting for your company's approval",
  awaiting_seller_approval: "Waiting for seller approval",
  approved: "Approved and invoiced",
  shipped: "Shipped",
  delivered: "Delivered",
  completed: "Completed",
  declined: "Declined",
  expired: "Quotation expired",
  rejected: "Rejected",
  cancelled: "Cancelled",
};

export const eventLabels: Record<OrderEvent, string> = {
  submit: "Submitted; quotation issued",
  revise: "Quotation revised",
  accept: "Quotation accepted",
  accept_over_limit: "Quotation accepted; above the buyer's spending limit",
  decline: "Quotation declined",
  expire: "Quotation expired",
  customer_approve: "Approved by the customer's admin",
  customer_reject: "Rejected by the customer's admin",
  seller_approve: "Approved",
  final_approve: "Final approval; invoice issued",
  reject: "Rejected",
  ship: "Shipped",
  deliver: "Delivered",
  complete: "Invoice paid in full; order completed",
  cancel_by_customer: "Cancelled by the customer",
  cancel_by_staff: "Cancelled by the seller",
};

/** What a timeline entry says: a state machine event, or one of the timeline's own entries (notes, payments). */
export function timelineLabel(event: string): string {
  if (event === "note") return "Note";
  if (event === "invoice_paid") return "Invoice paid";
  if (event === "invoice_unpaid") return "Invoice no longer paid";
  if (event === "shipment") return "Partly shipped";
  if (event === "return") return "Return";
  return (orderEvents as readonly string[]).includes(event) ? eventLabels[event as OrderEvent] : event;
}
