import "server-only";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { orders, quotationLines, quotations, shipmentLines, shipments, users, type NewShipment, type Shipment } from "@/db/schema";
import type { DbOrTx } from "@/db/client";

/** One line of an order as shipping sees it: what was ordered on the approved quotation and what has left so far. */
export type OrderLineShipping = {
  quotationId: string;
  lineNo: number;
  productId: string;
  sku: string;
  name: string;
  unit: string;
  ordered: number;
  shipped: number;
  remaining: number;
};

/**
 * The lines of an order's latest quotation (the one it was approved on) with the quantities shipped
 * of each. Read inside the shipping transaction after the order row is locked, so the figures cannot
 * move until it commits.
 */
export async function orderLinesShipping(tx: DbOrTx, orderId: string): Promise<OrderLineShipping[]> {
  const latest = tx
    .select({ id: quotations.id })
    .from(quotations)
    .where(eq(quotations.orderId, orderId))
    .orderBy(desc(quotations.version))
    .limit(1);
  const rows = await tx
    .select({
      quotationId: quotationLines.quotationId,
      lineNo: quotationLines.lineNo,
      productId: quotationLines.productId,
      sku: quotationLines.sku,
      name: quotationLines.name,
      unit: quotationLines.unit,
      ordered: quotationLines.quantity,
      shipped: sql<number>`coalesce(sum(${shipmentLines.quantity}), 0)::int`,
    })
    .from(quotationLines)
    .leftJoin(shipmentLines, and(eq(shipmentLines.quotationId, quotationLines.quotationId), eq(shipmentLines.lineNo, quotationLines.lineNo)))
    .where(inArray(quotationLines.quotationId, latest))
    .groupBy(quotationLines.quotationId, quotationLines.lineNo)
    .orderBy(asc(quotationLines.lineNo));
  return rows.map((r) => ({ ...r, shipped: Number(r.shipped), remaining: r.ordered - Number(r.shipped) }));
}

export async function insertShipment(tx: DbOrTx, row: NewShipment): Promise<Shipment> {
  const [inserted] = await tx.insert(shipments).values(row).returning();
  return inserted!;
}

export async function insertShipmentLines(
  tx: DbOrTx,
  lines: { shipmentId: string; quotationId: string; lineNo: number; productId: string; quantity: number }[],
): Promise<{ id: string; lineNo: number }[]> {
  if (lines.length === 0) return [];
  return tx.insert(shipmentLines).values(lines).returning({ id: shipmentLines.id, lineNo: shipmentLines.lineNo });
}

/** How many shipments an order has (a partly shipped order cannot be cancelled). */
export async function countOrderShipments(tx: DbOrTx, orderId: string): Promise<number> {
  const [row] = await tx.select({ n: sql<number>`count(*)::int` }).from(shipments).where(eq(shipments.orderId, orderId));
  return Number(row?.n ?? 0);
}

export type ShipmentSummary = {
  id: string;
  number: string;
  orderId: string;
  companyId: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: Date;
  shippedByName: string | null;
  lines: { id: string; lineNo: number; productId: string; sku: string; name: string; unit: string; quantity: number }[];
};

/**
 * An order's shipments, oldest first, with their lines. `companyId` scopes the read to a customer's
 * company (another company's order has no shipments for them).
 */
export async function listOrderShipments(db: DbOrTx, params: { orderId: string; companyId?: string }): Promise<ShipmentSummary[]> {
  const heads = await db
    .select({
      id: shipments.id,
      number: shipments.number,
      orderId: shipments.orderId,
      companyId: shipments.companyId,
      carrier: shipments.carrier,
      trackingNumber: shipments.trackingNumber,
      shippedAt: shipments.shippedAt,
      shippedByName: users.name,
    })
    .from(shipments)
    .leftJoin(users, eq(users.id, shipments.shippedBy))
    .where(and(eq(shipments.orderId, params.orderId), params.companyId ? eq(shipments.companyId, params.companyId) : undefined))
    .orderBy(asc(shipments.shippedAt), asc(shipments.number));
  if (heads.length === 0) return [];
  const lines = await db
    .select({
      shipmentId: shipmentLines.shipmentId,
      id: shipmentLines.id,
      lineNo: shipmentLines.lineNo,
      productId: shipmentLines.productId,
      sku: quotationLines.sku,
      name: quotationLines.name,
      unit: quotationLines.unit,
      quantity: shipmentLines.quantity,
    })
    .from(shipmentLines)
    .innerJoin(quotationLines, and(eq(quotationLines.quotationId, shipmentLines.quotationId), eq(quotationLines.lineNo, shipmentLines.lineNo)))
    .where(
      inArray(
        shipmentLines.shipmentId,
        heads.map((h) => h.id),
      ),
    )
    .orderBy(asc(shipmentLines.lineNo));
  return heads.map((h) => ({ ...h, lines: lines.filter((l) => l.shipmentId === h.id).map(({ shipmentId: _, ...l }) => l) }));
}

/** One shipment with its order, for the delivery note and the API; null if none. */
export async function getShipmentHead(db: DbOrTx, id: string) {
  const [row] = await db
    .select({ shipment: shipments, reference: orders.reference, poNumber: orders.poNumber, seller: quotations.seller, customer: quotations.customer })
    .from(shipments)
    .innerJoin(orders, eq(orders.id, shipments.orderId))
    .innerJoin(quotations, eq(quotations.id, shipments.quotationId))
    .where(eq(shipments.id, id));
  return row ?? null;
}

/**
 * Every line of a shipment's order with what this shipment carried, what earlier shipments carried
 * and what remains after it (the backorder), for the delivery note.
 */
export async function deliveryNoteLines(db: DbOrTx, shipment: Pick<Shipment, "id" | "quotationId" | "shippedAt" | "number">) {
  const earlier = sql`(${shipments.shippedAt} < ${shipment.shippedAt.toISOString()}::timestamptz or (${shipments.shippedAt} = ${shipment.shippedAt.toISOString()}::timestamptz and ${shipments.number} < ${shipment.number}))`;
  const rows = await db
    .select({
      lineNo: quotationLines.lineNo,
      sku: quotationLines.sku,
      name: quotationLines.name,
      unit: quotationLines.unit,
      ordered: quotationLines.quantity,
      thisShipment: sql<number>`coalesce(sum(${shipmentLines.quantity}) filter (where ${shipmentLines.shipmentId} = ${shipment.id}), 0)::int`,
      before: sql<number>`coalesce(sum(${shipmentLines.quantity}) filter (where ${earlier}), 0)::int`,
    })
    .from(quotationLines)
    .leftJoin(shipmentLines, and(eq(shipmentLines.quotationId, quotationLines.quotationId), eq(shipmentLines.lineNo, quotationLines.lineNo)))
    .leftJoin(shipments, eq(shipments.id, shipmentLines.shipmentId))
    .where(eq(quotationLines.quotationId, shipment.quotationId))
    .groupBy(quotationLines.quotationId, quotationLines.lineNo)
    .orderBy(asc(quotationLines.lineNo));
  return rows.map((r) => {
    const thisShipment = Number(r.thisShipment);
    const before = Number(r.before);
    return { ...r, thisShipment, before, remaining: r.ordered - before - thisShipment };
  });
}

/**
 * Which of these orders have shipped something: the order lists show "partly shipped" for an
 * approved order with shipments.
 */
export async function ordersWithShipments(db: DbOrTx, orderIds: string[]): Promise<Set<string>> {
  if (orderIds.length === 0) return new Set();
  const rows = await db.selectDistinct({ orderId: shipments.orderId }).from(shipments).where(inArray(shipments.orderId, orderIds));
  return new Set(rows.map((r) => r.orderId));
}

/** The order, if it exists for this scope (a customer's company); drafts (carts) are no orders. */
export async function shippableOrderOf(db: DbOrTx, orderId: string, scope: { companyId?: string }): Promise<{ id: string; companyId: string } | null> {
  const [row] = await db
    .select({ id: orders.id, companyId: orders.companyId })
    .from(orders)
    .where(and(eq(orders.id, orderId), sql`${orders.status} <> 'draft'`, scope.companyId ? eq(orders.companyId, scope.companyId) : undefined));
  return row ?? null;
}
