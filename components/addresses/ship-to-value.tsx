import type { AddressSnapshot } from "@/db/schema";
import { addressLines } from "@/lib/domain/addresses";

/** The order's copy of its ship-to address (orders.ship_to), for the order pages' detail lists. */
export function ShipToValue({ shipTo }: { shipTo: AddressSnapshot | null }) {
  if (!shipTo) return <>—</>;
  return (
    <address className="whitespace-pre-line not-italic">
      {shipTo.label && <span className="block font-medium">{shipTo.label}</span>}
      {addressLines(shipTo).join("\n")}
    </address>
  );
}
