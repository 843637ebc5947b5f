import { Badge, type BadgeTone } from "@/components/ui";
import { orderStates, stateLabels, type OrderState } from "@/lib/domain/order-state";

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
  shipped: "info",
  delivered: "success",
  declined: "neutral",
  expired: "neutral",
  rejected: "danger",
  cancelled: "danger",
};

export function OrderStatusBadge({ status, className, testId }: { status: OrderState; className?: string; testId?: string }) {
  return (
    <Badge tone={tones[status]} className={className} data-testid={testId}>
      {staffStateLabel(status)}
    </Badge>
  );
}

/** States a staff list can filter by: every state an order reaches after the cart. */
export const listableStates = orderStates.filter((s) => s !== "draft");

export function isListableState(value: string | undefined): value is Exclude<OrderState, "draft"> {
  return value !== undefined && (listableStates as readonly string[]).includes(value);
}

export const stepLabels: Record<string, string> = { customer: "Customer", sales: "Sales", finance: "Finance" };

/** "3 h" below a day, "2 d" from then on. */
export function formatAge(hours: number): string {
  return hours < 24 ? `${Math.max(0, hours)} h` : `${Math.floor(hours / 24)} d`;
}

/** A PDF route handler: a plain link, since it is a download and not a page. */
export function PdfLink({ href, children }: { href: string; children: string }) {
  return (
    <a href={href} className="font-medium text-brand-700 hover:underline">
      {children}
    </a>
  );
}
