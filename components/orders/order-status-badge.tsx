import { Badge, type BadgeTone } from "@/components/ui";
import { stateLabels, type OrderState } from "@/lib/domain/order-state";

const tones: Record<OrderState, BadgeTone> = {
  draft: "neutral",
  quoted: "info",
  awaiting_customer_approval: "warning",
  awaiting_seller_approval: "warning",
  approved: "success",
  shipped: "success",
  delivered: "success",
  declined: "neutral",
  expired: "neutral",
  rejected: "danger",
  cancelled: "neutral",
};

/** An order's (effective) state in words, e.g. "Quotation issued". */
export function OrderStatusBadge({ status, testId }: { status: OrderState; testId?: string }) {
  return (
    <Badge tone={tones[status]} data-testid={testId}>
      {stateLabels[status]}
    </Badge>
  );
}
