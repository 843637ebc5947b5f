// What a user is notified of (issue 13): one kind per thing that happened to them, derived from the
// outbox's business events (lib/domain/webhook-events.ts). Pure: no I/O.

/** Security notices (lib/notifications/security.ts): every role may get them, and none can turn their mail off. */
export const SECURITY_KINDS = ["password_changed", "sessions_ended", "api_key_created"] as const;

export const NOTIFICATION_KINDS = [
  "quotation_issued",
  "approval_needed",
  "order_approved",
  "order_rejected",
  "invoice_issued",
  "credit_note_issued",
  "order_shipped",
  "return_requested",
  "return_approved",
  "return_rejected",
  "return_received",
  "payment_recorded",
  "payment_verified",
  "payment_rejected",
  "invoice_overdue",
  "quotation_expiring",
  "low_stock",
  ...SECURITY_KINDS,
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const notificationKindLabels: Record<NotificationKind, string> = {
  quotation_issued: "Quotation issued",
  approval_needed: "An order waits for your approval",
  order_approved: "Order approved",
  order_rejected: "Order rejected",
  invoice_issued: "Invoice issued",
  credit_note_issued: "Credit note issued",
  order_shipped: "Goods shipped (delivery note)",
  return_requested: "A customer requests a return",
  return_approved: "Your return was approved",
  return_rejected: "Your return was rejected",
  return_received: "Your return was received (credit note)",
  payment_recorded: "Payment recorded",
  payment_verified: "Payment verified",
  payment_rejected: "Payment rejected",
  invoice_overdue: "Invoice overdue (payment reminder)",
  quotation_expiring: "Quotation about to expire",
  low_stock: "Product low on stock",
  password_changed: "Your password was changed",
  sessions_ended: "You were signed out everywhere",
  api_key_created: "An API key was created",
};

/**
 * Mails that cannot be turned off: an approval that nobody hears of stalls the order, and a security
 * notice is only worth something if it reaches the person whose account was touched.
 */
export const MANDATORY_EMAIL_KINDS: readonly NotificationKind[] = ["approval_needed", ...SECURITY_KINDS];

export function isNotificationKind(value: string): value is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(value);
}

import type { Role } from "@/lib/domain/roles";

/** The kinds a role can receive: the preferences page offers only these (security ones shown as always on). */
export function kindsForRole(role: Role): NotificationKind[] {
  return [...businessKindsForRole(role), ...SECURITY_KINDS];
}

function businessKindsForRole(role: Role): NotificationKind[] {
  switch (role) {
    case "buyer":
      return [
        "quotation_issued",
        "quotation_expiring",
        "order_approved",
        "order_rejected",
        "order_shipped",
        "return_approved",
        "return_rejected",
        "return_received",
        "invoice_issued",
        "invoice_overdue",
        "credit_note_issued",
        "payment_verified",
        "payment_rejected",
      ];
    case "customer_admin":
      return [
        "quotation_issued",
        "quotation_expiring",
        "approval_needed",
        "order_approved",
        "order_rejected",
        "order_shipped",
        "return_approved",
        "return_rejected",
        "return_received",
        "invoice_issued",
        "invoice_overdue",
        "credit_note_issued",
        "payment_verified",
        "payment_rejected",
      ];
    case "sales":
      // Sales fulfil orders: they decide returns (as they give the sales approval).
      return ["approval_needed", "return_requested", "low_stock"];
    case "finance":
      return ["approval_needed", "payment_recorded"];
    case "admin":
      return ["low_stock"];
  }
}

/** Whether a user gets this kind by email, given their stored choice (undefined: never chosen → on). */
export function wantsEmail(kind: NotificationKind, stored: boolean | undefined): boolean {
  return MANDATORY_EMAIL_KINDS.includes(kind) || stored !== false;
}

/**
 * Dunning (issue 13): reminders of an overdue invoice go 1, 7 and 21 days after its due date (the
 * seller's calendar); the last one carries the company's statement of account. Stage n is the n-th.
 */
export const DUNNING_DAYS = [1, 7, 21] as const;

/** The dunning stage an invoice has reached `daysPastDue` days after its due date (0: none yet). */
export function dunningStage(daysPastDue: number): number {
  let stage = 0;
  DUNNING_DAYS.forEach((days, i) => {
    if (daysPastDue >= days) stage = i + 1;
  });
  return stage;
}

/** Whether a dunning stage is the last one (the statement of account goes with it). */
export const isFinalDunningStage = (stage: number) => stage === DUNNING_DAYS.length;

/** A quotation still waiting for the customer is reminded of once, when it has this many seller days left at most. */
export const QUOTATION_EXPIRY_NOTICE_DAYS = 3;
