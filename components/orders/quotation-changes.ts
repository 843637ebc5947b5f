import { formatTaxRate } from "@/lib/domain/catalog";
import { formatMoney } from "@/lib/domain/money";

type Line = { productId: string; sku: string; name: string; quantity: number; unitPriceMinor: bigint; discountBp: number };

export type LineChange = { sku: string; name: string; kind: "changed" | "removed" | "added"; details: string[] };

/**
 * Per-line differences between two quotation versions, matched by product (a revision renumbers
 * lines when one is removed). Unchanged lines are left out.
 */
export function quotationChanges(previous: readonly Line[], latest: readonly Line[], currency: string): LineChange[] {
  const changes: LineChange[] = [];
  for (const before of previous) {
    const after = latest.find((l) => l.productId === before.productId);
    if (!after) {
      changes.push({ sku: before.sku, name: before.name, kind: "removed", details: [] });
      continue;
    }
    const details: string[] = [];
    if (after.quantity !== before.quantity) details.push(`quantity ${before.quantity} → ${after.quantity}`);
    if (after.unitPriceMinor !== before.unitPriceMinor) {
      details.push(`unit price ${formatMoney(before.unitPriceMinor, currency)} → ${formatMoney(after.unitPriceMinor, currency)}`);
    }
    if (after.discountBp !== before.discountBp) details.push(`discount ${formatTaxRate(before.discountBp)}% → ${formatTaxRate(after.discountBp)}%`);
    if (details.length) changes.push({ sku: after.sku, name: after.name, kind: "changed", details });
  }
  for (const after of latest) {
    if (!previous.some((l) => l.productId === after.productId)) {
      changes.push({ sku: after.sku, name: after.name, kind: "added", details: [`quantity ${after.quantity}`, `unit price ${formatMoney(after.unitPriceMinor, currency)}`] });
    }
  }
  return changes;
}
