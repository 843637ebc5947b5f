import { Badge, type BadgeTone } from "@/components/ui";
import { stateLabels, type OrderState } from "@/lib/domain/order-state";

/** Who reads the badge: customers see their own wording, staff read the same states from the seller's side. */
export type StatusAudience = "customer" | "staff";

// stateLabels speak to the customer ("your company's approval"); staff read the same states from the seller's side.
const staffOverrides: Partial<Record<OrderState, string>> = {
  awaiting_customer_approval: "Waiting for the customer's approval",
};

export function staffStateLabel(state: OrderState): string {
  return staffOverrides[state] ?? stateLabels[state];
}

const tones: Record<OrderState, BadgeTone> = {
  draft: "neutral",
  quoted: "info",
  awaiting_customer_approval: "warning",
  awaiting_seller_approval: "warning",
  approved: "success",
  shipped: "success",
  delivered: "success",
  completed: "success",
  declined: "neutral",
  expired: "neutral",
  rejected: "danger",
  cancelled: "neutral",
};

// Staff lists mark shipments still in transit and cancellations more strongly than the customer pages do.
const staffTones: Partial<Record<OrderState, BadgeTone>> = {
  shipped: "info",
  cancelled: "danger",
};

/** An order's (effective) state in words, e.g. "Quotation issued". */
export function OrderStatusBadge({
  status,
  audience = "customer",
  className,
  testId,
}: {
  status: OrderState;
  audience?: StatusAudience;
  className?: string;
  testId?: string;
}) {
  const staff = audience === "staff";
  return (
    <Badge tone={(staff && staffTones[status]) || tones[status]} className={className} data-testid={testId}>
      {staff ? staffStateLabel(status) : stateLabels[status]}
    </Badge>
  );
}
