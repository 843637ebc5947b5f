// The business events the outbox carries (issue 12 webhooks; issue 13 notifications reuse them).
// An event's type is its name on the wire (Standard Webhooks "type"), so a rename is a breaking change.
export const EVENT_TYPES = [
  "quotation.issued",
  "order.status_changed",
  "invoice.issued",
  "credit_note.issued",
  "payment.recorded",
  "payment.verified",
  "payment.rejected",
  "payment.refunded",
  "invoice.overdue",
  "quotation.expiring",
  "product.low_stock",
  "shipment.created",
  "return.requested",
  "return.status_changed",
  "return.received",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const eventTypeLabels: Record<EventType, string> = {
  "quotation.issued": "Quotation issued",
  "order.status_changed": "Order status changed",
  "invoice.issued": "Invoice issued",
  "credit_note.issued": "Credit note issued",
  "payment.recorded": "Payment recorded",
  "payment.verified": "Payment verified",
  "payment.rejected": "Payment rejected",
  "payment.refunded": "Payment refunded",
  "invoice.overdue": "Invoice overdue (reminder)",
  "quotation.expiring": "Quotation expiring in 3 days",
  "product.low_stock": "Product low on stock",
  "shipment.created": "Shipment created (delivery note issued)",
  "return.requested": "Return requested",
  "return.status_changed": "Return approved or rejected",
  "return.received": "Return received (stock back, credit note issued)",
};

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * Event types emitted for no company (companyId null): the relay delivers them to staff endpoints
 * only, so a company's endpoint is neither offered them nor allowed to subscribe.
 */
export const STAFF_ONLY_EVENT_TYPES: readonly EventType[] = ["product.low_stock"];

/** The event types an endpoint can receive: a company's endpoint (customer side) or a staff one. */
export function eventTypesForEndpoint(owner: { companyId: string | null }): EventType[] {
  return owner.companyId === null ? [...EVENT_TYPES] : EVENT_TYPES.filter((t) => !STAFF_ONLY_EVENT_TYPES.includes(t));
}

/**
 * Events only the app itself consumes (security notices, issue 13): on the same outbox, but no
 * webhook endpoint may subscribe to them (they are not in EVENT_TYPES) and the relay never delivers
 * them (db/queries/webhooks.ts), so a password change or a new API key never leaves the app.
 * product.low_stock_digest: the products one reminders run found newly low, told to staff in one
 * mail (each product still has its own product.low_stock webhook event).
 */
export const INTERNAL_EVENT_TYPES = ["security.password_changed", "security.sessions_ended", "security.api_key_created", "product.low_stock_digest"] as const;

export type InternalEventType = (typeof INTERNAL_EVENT_TYPES)[number];

export function isInternalEventType(value: string): value is InternalEventType {
  return (INTERNAL_EVENT_TYPES as readonly string[]).includes(value);
}

/** What a mutation emits: the event, and the company it concerns (null: staff endpoints only). */
export type EmittedEvent = { type: EventType | InternalEventType; companyId: string | null; data: Record<string, unknown> };

/** The payment event for a payment status, or null for statuses that are no event. */
export function paymentEventType(status: string): EventType | null {
  if (status === "verified") return "payment.verified";
  if (status === "rejected") return "payment.rejected";
  if (status === "refunded") return "payment.refunded";
  return null;
}

/**
 * Webhook retries and automatic disabling (numbers stated once, used by the worker and the pages):
 * a delivery is tried up to 1 + RETRY_LIMIT times, the delay before retry n being about
 * retryDelay · 2^n with jitter (pg-boss's retryBackoff: between half and all of it), capped at
 * RETRY_DELAY_MAX_SECONDS. With the default 30 s base: 30 s, 1 min, 2 min … 6 h, about 34 h in all.
 * An endpoint is disabled after DISABLE_AFTER_FAILURES consecutive failed attempts (any event) when
 * the first of them is at least DISABLE_AFTER_HOURS old: one bad hour never disables it.
 */
export const WEBHOOK_POLICY = {
  RETRY_LIMIT: 15,
  RETRY_DELAY_MAX_SECONDS: 6 * 60 * 60,
  DISABLE_AFTER_FAILURES: 15,
  DISABLE_AFTER_HOURS: 24,
  TIMEOUT_MS: 10_000,
  RESPONSE_EXCERPT_CHARS: 500,
} as const;

/** Whether a failure streak disables the endpoint (pure; the SQL in db/queries/webhooks.ts applies the same rule). */
export function shouldDisable(failureCount: number, firstFailureAt: Date, now: Date): boolean {
  return failureCount >= WEBHOOK_POLICY.DISABLE_AFTER_FAILURES && now.getTime() - firstFailureAt.getTime() >= WEBHOOK_POLICY.DISABLE_AFTER_HOURS * 3600_000;
}
