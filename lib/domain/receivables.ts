// Invoices as receivables: status derived from verified allocations, oldest-first allocation of
// a remittance, and ageing buckets. Pure; the database holds the facts.

export type InvoiceStatus = "open" | "partially_paid" | "paid" | "overdue" | "cancelled";

export function invoiceStatus(args: { cancelled: boolean; totalMinor: bigint; paidMinor: bigint; dueDate: string; today: string }): InvoiceStatus {
  if (args.cancelled) return "cancelled";
  if (args.paidMinor >= args.totalMinor) return "paid";
  if (args.today > args.dueDate) return "overdue";
  return args.paidMinor > 0n ? "partially_paid" : "open";
}

export type OpenItem = { invoiceId: string; number: string; issueDate: string; dueDate: string; outstandingMinor: bigint };

/** Spreads an amount over open invoices, oldest due date first (then number); what is left over is returned. */
export function allocateOldestFirst(amountMinor: bigint, items: readonly OpenItem[]): { allocations: { invoiceId: string; amountMinor: bigint }[]; unallocatedMinor: bigint } {
  const sorted = [...items].sort((a, b) => (a.dueDate === b.dueDate ? a.number.localeCompare(b.number) : a.dueDate < b.dueDate ? -1 : 1));
  let left = amountMinor;
  const allocations: { invoiceId: string; amountMinor: bigint }[] = [];
  for (const item of sorted) {
    if (left <= 0n) break;
    if (item.outstandingMinor <= 0n) continue;
    const take = left < item.outstandingMinor ? left : item.outstandingMinor;
    allocations.push({ invoiceId: item.invoiceId, amountMinor: take });
    left -= take;
  }
  return { allocations, unallocatedMinor: left };
}

export const ageingBuckets = ["current", "1-30", "31-60", "61-90", "90+"] as const;
export type AgeingBucket = (typeof ageingBuckets)[number];

/** Whole days past the due date (0 when not yet due). */
export function daysPastDue(dueDate: string, today: string): number {
  return Math.max(0, Math.floor((Date.parse(today) - Date.parse(dueDate)) / 86_400_000));
}

export function ageingBucket(dueDate: string, today: string): AgeingBucket {
  const days = daysPastDue(dueDate, today);
  if (days <= 0) return "current";
  if (days <= 30) return "1-30";
  if (days <= 60) return "31-60";
  if (days <= 90) return "61-90";
  return "90+";
}
