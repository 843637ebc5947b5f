import { documentCardId, documentPdfHref, DocumentPdfLink } from "@/components/documents/document-links";
import { DateTime } from "@/components/lists/date-time";
import { Badge, Card, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { OrderLineShipping, ShipmentSummary } from "@/db/queries/shipments";

/** "Partly shipped" while an approved order has shipped some but not all of its lines. */
export function isPartlyShipped(status: string, lines: OrderLineShipping[]): boolean {
  return status === "approved" && lines.some((l) => l.shipped > 0) && lines.some((l) => l.remaining > 0);
}

/**
 * Shipped and remaining (backordered) per order line, and every shipment with its delivery note and
 * tracking number. The same card on the staff and the customer order page; both read the PDF through
 * /api/documents/delivery-notes/{id}, which answers only staff and the order's company.
 */
export function ShipmentsCard({ lines, shipments, timeZone }: { lines: OrderLineShipping[]; shipments: ShipmentSummary[]; timeZone: string }) {
  if (shipments.length === 0) return null;
  const remaining = lines.reduce((s, l) => s + l.remaining, 0);
  return (
    <Card title="Shipments" id={documentCardId.delivery_note}>
      <div className="space-y-6">
        <p className="text-sm text-slate-700" data-testid="shipping-progress">
          {remaining === 0 ? "Everything on this order has shipped." : `${remaining} unit${remaining === 1 ? "" : "s"} still to ship (backordered).`}
        </p>
        <Table stack caption="Shipped and remaining per line">
          <THead>
            <TR>
              <TH>Item</TH>
              <TH className="text-right">Ordered</TH>
              <TH className="text-right">Shipped</TH>
              <TH className="text-right">Remaining</TH>
            </TR>
          </THead>
          <TBody>
            {lines.map((l) => (
              <TR key={l.lineNo} data-testid={`shipping-line-${l.lineNo}`}>
                <TD>
                  <span className="font-mono text-xs">{l.sku}</span> {l.name}
                </TD>
                <TD label="Ordered" className="text-right tabular-nums">
                  {l.ordered} {l.unit}
                </TD>
                <TD label="Shipped" className="text-right tabular-nums" data-testid="line-shipped">
                  {l.shipped} {l.unit}
                </TD>
                <TD label="Remaining" className="text-right tabular-nums" data-testid="line-remaining">
                  {l.remaining > 0 ? (
                    <Badge tone="warning">
                      {l.remaining} {l.unit}
                    </Badge>
                  ) : (
                    `0 ${l.unit}`
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
        <ol className="space-y-3" aria-label="Shipments">
          {shipments.map((s) => (
            <li key={s.id} className="rounded-md border border-slate-200 p-3 text-sm" data-testid="shipment-entry">
              <p className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <DocumentPdfLink kind="delivery_note" id={s.id} number={s.number} />
                <span className="text-slate-600">
                  <DateTime value={s.shippedAt} timeZone={timeZone} />
                </span>
              </p>
              <p className="mt-1 text-slate-800" data-testid="shipment-tracking">
                {s.carrier}
                {s.trackingNumber ? `, tracking number ${s.trackingNumber}` : ""}
              </p>
              <p className="mt-1 text-slate-700">{s.lines.map((l) => `${l.quantity} ${l.unit} ${l.sku}`).join(", ")}</p>
              <p className="mt-2">
                <a href={documentPdfHref("delivery_note", s.id)} className="font-medium text-brand-700 hover:underline">
                  Download delivery note {s.number} (PDF)
                </a>
              </p>
            </li>
          ))}
        </ol>
      </div>
    </Card>
  );
}
