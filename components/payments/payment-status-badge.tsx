import { Badge, type BadgeTone } from "@/components/ui";

export type PaymentStatus = "pending_verification" | "verified" | "rejected" | "refunded";

const labels: Record<PaymentStatus, string> = {
  pending_verification: "Awaiting verification",
  verified: "Verified",
  rejected: "Rejected",
  refunded: "Refunded",
};

const tones: Record<PaymentStatus, BadgeTone> = {
  pending_verification: "warning",
  verified: "success",
  rejected: "danger",
  refunded: "neutral",
};

export function PaymentStatusBadge({ status }: { status: PaymentStatus }) {
  return <Badge tone={tones[status]}>{labels[status]}</Badge>;
}

const sourceLabels: Record<string, string> = {
  remittance: "Customer remittance",
  manual: "Recorded by staff",
  bank_statement: "Bank statement",
  provider: "Payment provider",
};

export function paymentSourceLabel(source: string): string {
  return sourceLabels[source] ?? source;
}
