import type { ConvertedTotal } from "@/db/queries/analytics/converted";
import { formatCount } from "@/components/lists/format";
import { formatMoney } from "@/lib/domain/money";

// One converted total under per-currency figures (issue 15): "≈ €12,345.67 total, converted at the
// documents' rates", and the documents that kept no rate named per currency, never left out silently.
// Nothing is shown while every document is in the base currency (the figure above is the total).

/** The sentence for a converted total, or null when there is nothing to convert. */
export function convertedTotalText(total: ConvertedTotal): string | null {
  if (total.currencies.every((c) => c === total.currency)) return null;
  const parts = [`≈ ${formatMoney(total.minor, total.currency)} total, converted at the documents' rates`];
  if (total.notConverted.length > 0) {
    const missing = total.notConverted.map((n) => `${formatCount(n.documents)} ${n.currency} ${n.documents === 1 ? "document" : "documents"} (${formatMoney(n.minor, n.currency)})`);
    parts.push(`not included: ${missing.join(", ")} without an exchange rate`);
  }
  return `${parts.join("; ")}.`;
}

export function ConvertedTotalLine({ total, testId }: { total: ConvertedTotal | undefined; testId: string }) {
  const text = total ? convertedTotalText(total) : null;
  if (!text) return null;
  return (
    <span className="mt-1 block text-sm font-normal text-slate-600" data-testid={testId}>
      {text}
    </span>
  );
}
