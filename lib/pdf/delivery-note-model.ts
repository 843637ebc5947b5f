// DeliveryNoteData → DeliveryNoteRenderModel: a delivery note's lines (what this shipment carried,
// what earlier shipments carried, what is still to follow) as display text, like model.ts does for
// quotations and invoices, so the worker only lays out strings. No prices: a delivery note travels
// with the goods.
import { partyLines, PdfDataError, type PdfRenderParty, type PdfRenderRow } from "./model";
import type { PdfParty } from "./types";

export type DeliveryNoteLine = { lineNo: number; sku: string; name: string; unit: string; ordered: number; before: number; thisShipment: number };

export type DeliveryNoteData = {
  /** "DN-2026-000001" */
  number: string;
  /** ISO yyyy-mm-dd, the seller's calendar */
  shipDate: string;
  /** "ORD-… · PO 4711" */
  reference: string;
  carrier: string;
  trackingNumber: string;
  seller: PdfParty;
  customer: PdfParty;
  /** Multi-line; its first line is the addressee. */
  shipTo?: string;
  lines: DeliveryNoteLine[];
};

export type DeliveryNoteRenderLine = { lineNo: string; sku: string; name: string; ordered: string; before: string; thisShipment: string; remaining: string };

export type DeliveryNoteRenderModel = {
  kind: "delivery_note";
  title: string;
  number: string;
  info: { title: string; author: string; subject: string };
  meta: PdfRenderRow[];
  seller: PdfRenderParty;
  customer: PdfRenderParty;
  shipTo: PdfRenderParty | null;
  lines: DeliveryNoteRenderLine[];
  /** "Shipped in this delivery: 5 units. Still to follow: 3 units (backordered)." */
  summary: string[];
  footer: string;
};

const quantity = new Intl.NumberFormat("en-GB");

export function toDeliveryNoteRenderModel(d: DeliveryNoteData): DeliveryNoteRenderModel {
  const issues: string[] = [];
  if (!/^DN-\d{4}-\d{6,}$/.test(d.number)) issues.push(`number "${d.number}" is not DN-YYYY-NNNNNN`);
  if (!d.carrier.trim()) issues.push("carrier is empty");
  for (const l of d.lines) {
    if (![l.ordered, l.before, l.thisShipment].every((n) => Number.isInteger(n) && n >= 0)) issues.push(`line ${l.lineNo}: quantities must be whole and not negative`);
    else if (l.before + l.thisShipment > l.ordered) issues.push(`line ${l.lineNo}: shipped more than ordered`);
  }
  if (!d.lines.some((l) => l.thisShipment > 0)) issues.push("the shipment carries nothing");
  if (issues.length > 0) throw new PdfDataError(issues);

  const shipped = d.lines.reduce((s, l) => s + l.thisShipment, 0);
  const remaining = d.lines.reduce((s, l) => s + l.ordered - l.before - l.thisShipment, 0);
  const shipToLines = d.shipTo
    ?.split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  const title = "Delivery note";
  return {
    kind: "delivery_note",
    title,
    number: d.number,
    info: { title: `${title} ${d.number}`, author: d.seller.name, subject: `${title} ${d.number} for ${d.reference}` },
    meta: [
      { label: "Shipped", value: d.shipDate },
      { label: "Order", value: d.reference },
      { label: "Carrier", value: d.carrier },
      ...(d.trackingNumber ? [{ label: "Tracking number", value: d.trackingNumber }] : []),
    ],
    seller: { name: d.seller.name, lines: partyLines(d.seller) },
    customer: { name: d.customer.name, lines: partyLines(d.customer) },
    shipTo: shipToLines && shipToLines.length > 0 ? { name: shipToLines[0]!, lines: shipToLines.slice(1) } : null,
    lines: d.lines.map((l) => {
      const unit = (n: number) => `${quantity.format(n)} ${l.unit}`;
      return {
        lineNo: String(l.lineNo),
        sku: l.sku,
        name: l.name,
        ordered: unit(l.ordered),
        before: unit(l.before),
        thisShipment: unit(l.thisShipment),
        remaining: unit(l.ordered - l.before - l.thisShipment),
      };
    }),
    summary: [
      `Shipped in this delivery: ${quantity.format(shipped)} unit${shipped === 1 ? "" : "s"}.`,
      remaining > 0 ? `Still to follow: ${quantity.format(remaining)} unit${remaining === 1 ? "" : "s"} (backordered).` : "With this delivery the order has shipped in full.",
    ],
    footer: `${d.seller.name} · ${title} ${d.number} · ${d.reference}`,
  };
}
