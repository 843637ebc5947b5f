import { orderStates, type OrderState } from "@/lib/domain/order-state";

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
