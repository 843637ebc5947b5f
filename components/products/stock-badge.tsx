import { formatCount } from "@/components/lists/format";
import { Badge, type BadgeTone } from "@/components/ui";
import type { Availability } from "@/lib/domain/catalog";

const tones: Record<Availability["status"], BadgeTone> = { in_stock: "success", low: "warning", out: "danger" };
const suffix: Record<Availability["status"], string> = { in_stock: "", low: " · low", out: " · out of stock" };

/** Available units, coloured by stock status: "40" (green), "3 · low" (amber), "0 · out of stock" (red). */
export function StockBadge({ stock, className }: { stock: Availability; className?: string }) {
  return (
    <Badge tone={tones[stock.status]} title={stock.label} className={className}>
      {formatCount(stock.available)}
      {suffix[stock.status]}
    </Badge>
  );
}
