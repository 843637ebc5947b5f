import "server-only";
import { z } from "zod";
import { db, type Tx } from "@/db/client";
import { listOrderShipments, orderLinesShipping, shippableOrderOf, type OrderLineShipping, type ShipmentSummary } from "@/db/queries/shipments";
import type { Actor } from "@/lib/domain/actor";
import { uuidString } from "@/lib/domain/ids";
import { isCustomerRole } from "@/lib/domain/roles";
import { json } from "@/lib/http/json";
import { deliveryNotePdf } from "@/lib/services/delivery-notes";
import { shipOrder } from "@/lib/services/orders/fulfilment";
import { defineOperation, pdfResponse, runApiMutation } from "./operation";
import { idParams, instant, instantSchema } from "./schemas";

// /api/v1 shipments (issue 14): an order's shipments with their delivery notes, shipped and
// remaining per line; staff keys ship (part of) an order. Reads are scoped to a customer key's
// company in SQL (another company's order is a 404); the write is the staff page's mutation.

export const shipmentSchema = z
  .object({
    id: uuidString(),
    number: z.string().describe("The delivery note number, DN-YYYY-NNNNNN (gap-free)."),
    orderId: uuidString(),
    carrier: z.string(),
    trackingNumber: z.string().describe("Empty when none was given."),
    shippedAt: instantSchema,
    lines: z.array(
      z.object({
        shipmentLineId: uuidString().describe("What a return refers to."),
        lineNo: z.int().describe("The order line (of the quotation the order was approved on)."),
        productId: uuidString(),
        sku: z.string(),
        quantity: z.int().min(1),
      }),
    ),
    deliveryNotePdf: z.string().describe("Path of the delivery note PDF."),
  })
  .meta({ id: "Shipment" });

const orderShipmentsSchema = z
  .object({
    data: z.array(shipmentSchema).describe("Oldest first."),
    lines: z
      .array(z.object({ lineNo: z.int(), productId: uuidString(), sku: z.string(), ordered: z.int(), shipped: z.int(), remaining: z.int().describe("Still to ship (backordered).") }))
      .describe("Every order line with what has shipped and what remains."),
    fullyShipped: z.boolean(),
  })
  .meta({ id: "OrderShipments" });

function shipmentJson(s: ShipmentSummary): z.input<typeof shipmentSchema> {
  return {
    id: s.id,
    number: s.number,
    orderId: s.orderId,
    carrier: s.carrier,
    trackingNumber: s.trackingNumber,
    shippedAt: instant(s.shippedAt),
    lines: s.lines.map((l) => ({ shipmentLineId: l.id, lineNo: l.lineNo, productId: l.productId, sku: l.sku, quantity: l.quantity })),
    deliveryNotePdf: `/api/v1/shipments/${s.id}/pdf`,
  };
}

function linesJson(lines: OrderLineShipping[]) {
  return lines.map((l) => ({ lineNo: l.lineNo, productId: l.productId, sku: l.sku, ordered: l.ordered, shipped: l.shipped, remaining: l.remaining }));
}

async function orderShipments(tx: Tx | typeof db, actor: Actor, orderId: string): Promise<z.input<typeof orderShipmentsSchema> | null> {
  const customer = isCustomerRole(actor.role);
  if (customer && !actor.companyId) return null;
  const order = await shippableOrderOf(tx, orderId, customer ? { companyId: actor.companyId! } : {});
  if (!order) return null;
  const [shipments, lines] = await Promise.all([listOrderShipments(tx, { orderId: order.id, companyId: order.companyId }), orderLinesShipping(tx, order.id)]);
  return { data: shipments.map(shipmentJson), lines: linesJson(lines), fullyShipped: lines.length > 0 && lines.every((l) => l.remaining === 0) };
}

export const listOrderShipmentsOperation = defineOperation({
  operationId: "listOrderShipments",
  method: "GET",
  path: "/orders/{id}/shipments",
  tag: "Orders",
  summary: "An order's shipments, and shipped and remaining per line",
  description: "Each shipment with its delivery note number, carrier, tracking number and lines; every order line with the quantity shipped and still to ship (backordered).",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The order's shipments.", schema: orderShipmentsSchema } },
  async handle({ actor, params }) {
    const found = await orderShipments(db, actor, params.id);
    return found ? json(found satisfies z.input<typeof orderShipmentsSchema>, 200) : null;
  },
});

export const createShipmentBodySchema = z
  .strictObject({
    carrier: z.string().min(1).max(100),
    trackingNumber: z.string().max(200).optional(),
    lines: z
      .array(z.strictObject({ lineNo: z.int().min(1), quantity: z.int().min(0).describe("0 ships none of the line.") }))
      .max(500)
      .optional()
      .describe("What to ship of each line; left out: everything that remains."),
  })
  .meta({ id: "CreateShipment" });

export const createShipmentOperation = defineOperation({
  operationId: "createShipment",
  method: "POST",
  path: "/orders/{id}/shipments",
  tag: "Orders",
  summary: "Ship (part of) an approved order (staff keys)",
  description:
    "Records a shipment with its delivery note (DN-YYYY-NNNNNN) and moves the quantities out of the reservation. The order becomes shipped when every line has shipped in full. A quantity above what remains of a line answers 400 validation_failed with the line's field (`quantity_<lineNo>`). Requires an Idempotency-Key. Customer keys: 403.",
  scope: "orders:write",
  params: idParams,
  body: createShipmentBodySchema,
  requestExample: { carrier: "DHL Express", trackingNumber: "JD014600006281230704", lines: [{ lineNo: 1, quantity: 2 }] },
  idempotency: "required",
  responses: { 201: { description: "The order's shipments after this one.", schema: orderShipmentsSchema }, 409: { description: "The order is not approved, or everything has shipped." } },
  handle: (ctx) =>
    runApiMutation(
      ctx,
      shipOrder,
      { orderId: ctx.params.id, carrier: ctx.body.carrier, trackingNumber: ctx.body.trackingNumber ?? "", lines: ctx.body.lines?.map((l) => ({ lineNo: l.lineNo, quantity: String(l.quantity) })) },
      async (_shipped, read) => json(read ?? (await orderShipments(db, ctx.actor, ctx.params.id)), 201),
      (tx: Tx) => orderShipments(tx, ctx.actor, ctx.params.id),
    ),
});

export const getShipmentPdfOperation = defineOperation({
  operationId: "getShipmentPdf",
  method: "GET",
  path: "/shipments/{id}/pdf",
  tag: "Orders",
  summary: "A shipment's delivery note as PDF",
  description: "The delivery note the portal downloads: the lines of this shipment, what shipped before and what remains, the ship-to, carrier and tracking number.",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The PDF.", contentType: "application/pdf" } },
  handle: ({ actor, params }) => pdfResponse(() => deliveryNotePdf(actor, params.id)),
});
