import "server-only";
import { db, type DbOrTx } from "@/db/client";
import { cachedPdf, storePdf } from "@/db/queries/documents";
import { deliveryNoteLines, getShipmentHead } from "@/db/queries/shipments";
import { addressText } from "@/lib/domain/addresses";
import { isUuid } from "@/lib/domain/ids";
import { isCustomerRole } from "@/lib/domain/roles";
import type { Actor } from "@/lib/domain/actor";
import type { DeliveryNoteData } from "@/lib/pdf/delivery-note-model";
import { renderDeliveryNotePdf } from "@/lib/pdf/render";
import { sellerToday } from "@/lib/time-zone";
import type { RenderedDocument } from "./documents";

const party = (p: Record<string, string>) => ({ name: p.name ?? "", address: p.address ?? "", taxId: p.taxId ?? "", email: p.email });

/** A shipment's delivery note data, if the actor may read it (staff, or the order's company); else null. */
export async function deliveryNoteData(tx: DbOrTx, actor: Actor, shipmentId: string): Promise<{ data: DeliveryNoteData; filename: string } | null> {
  if (!isUuid(shipmentId)) return null;
  const head = await getShipmentHead(tx, shipmentId);
  if (!head) return null;
  if (isCustomerRole(actor.role) && actor.companyId !== head.shipment.companyId) return null;
  const { shipment } = head;
  const lines = await deliveryNoteLines(tx, shipment);
  return {
    filename: `${shipment.number}.pdf`,
    data: {
      number: shipment.number,
      shipDate: sellerToday(shipment.shippedAt),
      reference: [head.reference, head.poNumber ? `PO ${head.poNumber}` : ""].filter(Boolean).join(" · "),
      carrier: shipment.carrier,
      trackingNumber: shipment.trackingNumber,
      seller: party(head.seller),
      customer: party(head.customer),
      shipTo: shipment.shipTo ? addressText(shipment.shipTo) : head.customer.shipTo,
      lines: lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, name: l.name, unit: l.unit, ordered: l.ordered, before: l.before, thisShipment: l.thisShipment })),
    },
  };
}

/**
 * A shipment's delivery note PDF: rendered once (a shipment and the ones before it never change),
 * then served from rendered_documents. Null when the actor may not see it.
 */
export async function deliveryNotePdf(actor: Actor, shipmentId: string): Promise<RenderedDocument | null> {
  const found = await deliveryNoteData(db, actor, shipmentId);
  if (!found) return null;
  const key = { kind: "delivery_note" as const, documentId: shipmentId, version: 1 };
  const cached = await cachedPdf(db, key);
  if (cached) return { filename: found.filename, pdf: cached, cached: true };
  const pdf = await renderDeliveryNotePdf(found.data);
  await storePdf(db, { ...key, pdf });
  return { filename: found.filename, pdf, cached: false };
}
