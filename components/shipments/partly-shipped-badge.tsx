import { Badge } from "@/components/ui";

/** Next to an approved order's status in the order lists when part of it has shipped (the rest is backordered). */
export function PartlyShippedBadge({ show }: { show: boolean }) {
  if (!show) return null;
  return (
    <Badge tone="warning" className="ml-1" data-testid="partly-shipped">
      Partly shipped
    </Badge>
  );
}
