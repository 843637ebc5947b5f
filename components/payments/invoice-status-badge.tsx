import { Badge, type BadgeTone } from "@/components/ui";
import type { InvoiceStatus } from "@/lib/domain/receivables";

/** The one wording of an invoice status (the invoice list, the order pages). */
export const invoiceStatusLabels: Record<InvoiceStatus, string> = {
  open: "Open",
  partially_paid: "Partially paid",
  paid: "Paid",
  overdue: "Overdue",
  cancelled: "Cancelled",
};

const tones: Record<InvoiceStatus, BadgeTone> = {
  open: "info",
  partially_paid: "warning",
  paid: "success",
  overdue: "danger",
  cancelled: "neutral",
};

export function InvoiceStatusBadge({ status }: { status: InvoiceStatus }) {
  return <Badge tone={tones[status]}>{invoiceStatusLabels[status]}</Badge>;
}
