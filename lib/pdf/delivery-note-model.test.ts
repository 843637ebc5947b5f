import { describe, expect, it } from "vitest";
import { toDeliveryNoteRenderModel, type DeliveryNoteData } from "./delivery-note-model";
import { PdfDataError } from "./model";

const base: DeliveryNoteData = {
  number: "DN-2026-000007",
  shipDate: "2026-12-04",
  reference: "ORD-ABCDEFGH · PO 4711",
  carrier: "DHL",
  trackingNumber: "JD1",
  seller: { name: "Seller GmbH", address: "Hafenstraße 1\n20457 Hamburg", taxId: "DE1" },
  customer: { name: "Acme", address: "Main St 1", taxId: "" },
  shipTo: "Acme warehouse\nDock 4\n20095 Hamburg",
  lines: [
    { lineNo: 1, sku: "A", name: "Pump", unit: "pcs", ordered: 1200, before: 200, thisShipment: 600 },
    { lineNo: 2, sku: "B", name: "Seal", unit: "each", ordered: 5, before: 5, thisShipment: 0 },
  ],
};

describe("delivery note model", () => {
  it("prints ordered, shipped before, this delivery and backordered per line, and what is still to follow", () => {
    const m = toDeliveryNoteRenderModel(base);
    expect(m.lines.map((l) => [l.lineNo, l.ordered, l.before, l.thisShipment, l.remaining])).toEqual([
      ["1", "1,200 pcs", "200 pcs", "600 pcs", "400 pcs"],
      ["2", "5 each", "5 each", "0 each", "0 each"],
    ]);
    expect(m.summary).toEqual(["Shipped in this delivery: 600 units.", "Still to follow: 400 units (backordered)."]);
    expect(m.meta).toEqual([
      { label: "Shipped", value: "2026-12-04" },
      { label: "Order", value: "ORD-ABCDEFGH · PO 4711" },
      { label: "Carrier", value: "DHL" },
      { label: "Tracking number", value: "JD1" },
    ]);
    expect(m.shipTo).toEqual({ name: "Acme warehouse", lines: ["Dock 4", "20095 Hamburg"] });
    expect(toDeliveryNoteRenderModel({ ...base, lines: [{ ...base.lines[0]!, thisShipment: 1000 }] }).summary[1]).toBe("With this delivery the order has shipped in full.");
  });

  it("refuses a note whose figures contradict each other", () => {
    expect(() => toDeliveryNoteRenderModel({ ...base, lines: [{ ...base.lines[0]!, thisShipment: 1001 }] })).toThrow(PdfDataError);
    expect(() => toDeliveryNoteRenderModel({ ...base, lines: [{ ...base.lines[1]! }] })).toThrow(/the shipment carries nothing/);
    expect(() => toDeliveryNoteRenderModel({ ...base, number: "DN-26-1" })).toThrow(/DN-YYYY-NNNNNN/);
    expect(() => toDeliveryNoteRenderModel({ ...base, carrier: " " })).toThrow(/carrier is empty/);
  });
});
