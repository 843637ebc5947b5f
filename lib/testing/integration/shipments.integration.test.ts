import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getOrderDetail } from "@/db/queries/orders";
import { listOrderShipments } from "@/db/queries/shipments";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { pgConstraint } from "@/lib/pg-error";
import { freshBuyer, testKey } from "@/lib/testing/invoices";
import { pdfText } from "@/lib/testing/pdf-text";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByStaff, deliverOrder, shipOrder } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { deliveryNotePdf } from "@/lib/services/delivery-notes";
import { closePdfPool } from "@/lib/pdf/render";
import { outboxRows, plansFor } from "@/lib/notifications/fan-out";

setupTestDatabase();
afterAll(() => closePdfPool());

const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("ship") });
const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(q))[0]!;

async function product(sku: string, stock: number) {
  const admin = await actorByEmail("admin@demo.test");
  const created = await runMutation(createProduct, as(admin), { sku, name: `Shipped ${sku}`, category: "Shipments test", basePrice: "10.00", taxRate: "19", unit: "pcs" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  await runMutation(receiveStock, as(admin), { productId: created.data.id, quantity: String(stock) });
  return created.data.id;
}

/** An approved order of a fresh company for these lines (product id, quantity), in line order. */
async function approvedOrder(lines: [string, number][], who = "Shipper") {
  const buyer = await freshBuyer(null, { company: who, name: `${who} Buyer` });
  for (const [productId, quantity] of lines) {
    const r = await runMutation(addToCart, as(buyer), { productId, quantity: String(quantity) });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  const q = await runMutation(submitCart, as(buyer), {});
  if (!q.ok) throw new Error(JSON.stringify(q));
  const accepted = await runMutation(acceptQuotation, as(buyer), { orderId: q.data.orderId });
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
  const approved = await runMutation(approveOrder, { actor: await actorByEmail("sales@demo.test"), request: request() }, { orderId: q.data.orderId });
  if (!approved.ok) throw new Error(JSON.stringify(approved));
  return { buyer, orderId: q.data.orderId };
}

const level = (productId: string) => one<{ on_hand: number; reserved: number }>(sql`select on_hand, reserved from inventory where product_id = ${productId}`);
const dnValue = (number: string) => Number(number.slice(-6));

describe("partial shipments", () => {
  it("ships part, keeps the order approved with the rest backordered, then ships the rest and the order is shipped", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`SHP-A-${Date.now()}`, 100);
    const b = await product(`SHP-B-${Date.now()}`, 50);
    const { buyer, orderId } = await approvedOrder([[a, 5], [b, 3]]);
    expect(await level(a)).toEqual({ on_hand: 100, reserved: 5 });

    // Field errors name the line and stay next to its field; nothing is written.
    expect(await runMutation(shipOrder, as(sales), { orderId, carrier: "DHL", trackingNumber: "", lines: [{ lineNo: 1, quantity: "6" }, { lineNo: 2, quantity: "x" }] })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { quantity_1: ["Line 1: only 5 pcs remain to ship."], quantity_2: ["Line 2: enter a whole quantity (0 ships none of it)."] },
    });
    expect(await runMutation(shipOrder, as(sales), { orderId, carrier: "DHL", trackingNumber: "", lines: [{ lineNo: 1, quantity: "0" }, { lineNo: 2, quantity: "0" }] })).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: "Enter a quantity to ship for at least one line.",
    });
    expect(await runMutation(shipOrder, as(sales), { orderId, carrier: " ", trackingNumber: "", lines: [{ lineNo: 1, quantity: "1" }] })).toMatchObject({ ok: false, fieldErrors: { carrier: [expect.any(String)] } });
    expect(await one<{ n: number }>(sql`select count(*)::int as n from shipments where order_id = ${orderId}`)).toEqual({ n: 0 });

    const first = await runMutation(shipOrder, as(sales), { orderId, carrier: "DHL", trackingNumber: "JD001", lines: [{ lineNo: 1, quantity: "2" }, { lineNo: 2, quantity: "0" }] });
    expect(first).toMatchObject({ ok: true, data: { status: "approved", number: expect.stringMatching(/^DN-\d{4}-\d{6}$/), shippedUnits: 2, remainingUnits: 6 } });
    if (!first.ok) return;
    expect(await level(a)).toEqual({ on_hand: 98, reserved: 3 });
    expect(await level(b)).toEqual({ on_hand: 50, reserved: 3 });

    // Not fully shipped: no delivery, no cancellation (the goods that left cannot be credited away).
    expect(await runMutation(deliverOrder, as(sales), { orderId })).toMatchObject({ ok: false, code: "conflict" });
    const cancel = await runMutation(cancelOrderByStaff, as(sales), { orderId, reason: "Customer changed plans" });
    expect(cancel).toMatchObject({ ok: false, code: "conflict", error: "Part of this order has shipped (1 shipment), so it can no longer be cancelled. Ship the rest instead." });
    expect(await one<{ status: string; n: number }>(sql`select o.status::text, (select count(*)::int from credit_notes where order_id = o.id) as n from orders o where id = ${orderId}`)).toEqual({ status: "approved", n: 0 });

    const rest = await runMutation(shipOrder, as(sales), { orderId, carrier: "UPS", trackingNumber: "1Z999" });
    expect(rest).toMatchObject({ ok: true, data: { status: "shipped", shippedUnits: 6, remainingUnits: 0 } });
    if (!rest.ok) return;
    expect(dnValue(rest.data.number)).toBe(dnValue(first.data.number) + 1);
    expect(await level(a)).toEqual({ on_hand: 95, reserved: 0 });
    expect(await level(b)).toEqual({ on_hand: 47, reserved: 0 });
    expect(await runMutation(shipOrder, as(sales), { orderId, carrier: "UPS", trackingNumber: "" })).toMatchObject({ ok: false, code: "conflict" });

    // The buyer sees both shipments with their lines, and each on the timeline.
    const shipments = await listOrderShipments(db, { orderId, companyId: buyer.companyId });
    expect(shipments.map((s) => [s.number, s.carrier, s.trackingNumber, s.lines.map((l) => [l.lineNo, l.quantity])])).toEqual([
      [first.data.number, "DHL", "JD001", [[1, 2]]],
      [rest.data.number, "UPS", "1Z999", [[1, 3], [2, 3]]],
    ]);
    expect(await listOrderShipments(db, { orderId, companyId: (await actorByEmail("buyer@globex.test")).companyId! })).toEqual([]);
    const detail = await getOrderDetail(db, buyer, orderId);
    expect(detail?.timeline.map((t) => [t.event, t.note])).toEqual([
      ["submit", ""],
      ["accept", expect.any(String)],
      ["final_approve", expect.any(String)],
      ["shipment", `${first.data.number}: 2 units with DHL JD001; 6 to follow`],
      ["ship", `${rest.data.number}: 6 units with UPS 1Z999`],
    ]);
    expect(detail?.order).toMatchObject({ carrier: "UPS", trackingNumber: "1Z999" });
    expect(await runMutation(deliverOrder, as(sales), { orderId })).toMatchObject({ ok: true, data: { status: "delivered" } });

    // Audited and announced once per shipment.
    const audits = await rows<{ entity_id: string }>(sql`select entity_id from audit_events where action = 'shipment.create' and company_id = ${buyer.companyId} order by id`);
    expect(audits.map((r) => r.entity_id)).toEqual([first.data.shipmentId, rest.data.shipmentId]);
    const events = await rows<{ id: string; data: { number: string; complete: boolean; remaining: unknown[] } }>(sql`select id, payload as data from outbox_events where type = 'shipment.created' and company_id = ${buyer.companyId} order by occurred_at`);
    expect(events.map((e) => [e.data.number, e.data.complete, e.data.remaining])).toEqual([
      [first.data.number, false, [{ lineNo: 1, sku: expect.stringMatching(/^SHP-A-/), quantity: 3 }, { lineNo: 2, sku: expect.stringMatching(/^SHP-B-/), quantity: 3 }]],
      [rest.data.number, true, []],
    ]);
    // The buyer is told of each shipment (notification kind order_shipped), with what is still to follow.
    const plans = await Promise.all((await outboxRows(db, events.map((e) => e.id))).map((row) => plansFor(db, row)));
    const reference = (await one<{ reference: string }>(sql`select reference from orders where id = ${orderId}`)).reference;
    expect(plans.map((p) => p.map((x) => [x.kind, x.people.map((who) => who.id), x.title, x.body]))).toEqual([
      [["order_shipped", [buyer.id], `Part of order ${reference} shipped (${first.data.number})`, [`Delivery note ${first.data.number}: shipped with DHL, tracking number JD001.`, expect.stringMatching(/^Still to follow: 3 × SHP-A-\d+, 3 × SHP-B-\d+\.$/)]]],
      [["order_shipped", [buyer.id], `Order ${reference} shipped (${rest.data.number})`, [`Delivery note ${rest.data.number}: shipped with UPS, tracking number 1Z999.`, "With this shipment your order has shipped in full."]]],
    ]);
  });

  it("prints a delivery note with the shipped and backordered quantities, the ship-to, carrier and tracking, for staff and the owner only", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`SHP-PDF-${Date.now()}`, 20);
    const { buyer, orderId } = await approvedOrder([[a, 7]], "Noted");
    const shipped = await runMutation(shipOrder, as(sales), { orderId, carrier: "DB Schenker", trackingNumber: "SCH-4711", lines: [{ lineNo: 1, quantity: "4" }] });
    if (!shipped.ok) throw new Error(JSON.stringify(shipped));
    const reference = (await one<{ reference: string }>(sql`select reference from orders where id = ${orderId}`)).reference;

    const pdf = await deliveryNotePdf(buyer, shipped.data.shipmentId);
    expect(pdf?.filename).toBe(`${shipped.data.number}.pdf`);
    const text = (await pdfText(pdf!.pdf)).replace(/\s+/g, " ");
    expect(text).toContain(`Delivery note ${shipped.data.number}`);
    expect(text).toContain(`Order ${reference}`);
    expect(text).toContain("Carrier DB Schenker");
    expect(text).toContain("Tracking number SCH-4711");
    expect(text).toContain("Ordered Shipped before This delivery Backordered");
    expect(text).toContain("7 pcs 0 pcs 4 pcs 3 pcs");
    expect(text).toContain("Shipped in this delivery: 4 units.");
    expect(text).toContain("Still to follow: 3 units (backordered).");
    expect(text).not.toContain("€");

    const staffPdf = await deliveryNotePdf(sales, shipped.data.shipmentId);
    expect(staffPdf?.cached).toBe(true);
    expect(await deliveryNotePdf(await actorByEmail("buyer@globex.test"), shipped.data.shipmentId)).toBeNull();
    expect(await deliveryNotePdf(buyer, "00000000-0000-4000-8000-000000000000")).toBeNull();

    // The second note counts the first as shipped before and the order as complete.
    const rest = await runMutation(shipOrder, as(sales), { orderId, carrier: "DB Schenker", trackingNumber: "" });
    if (!rest.ok) throw new Error(JSON.stringify(rest));
    const second = (await pdfText((await deliveryNotePdf(buyer, rest.data.shipmentId))!.pdf)).replace(/\s+/g, " ");
    expect(second).toContain("7 pcs 4 pcs 3 pcs 0 pcs");
    expect(second).toContain("With this delivery the order has shipped in full.");
    expect(second).not.toContain("Tracking number");
  });

  it("ships a line's remaining quantity once when staff ship it in parallel; stock and numbers follow the shipments", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`SHP-RACE-${Date.now()}`, 40);
    const { orderId } = await approvedOrder([[a, 10]], "Raced");
    // Five requests of 4 each against 10 remaining: two fit, the others find too little left.
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => runMutation(shipOrder, as(sales), { orderId, carrier: "DHL", trackingNumber: `R${i}`, lines: [{ lineNo: 1, quantity: "4" }] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(2);
    expect(results.filter((r) => !r.ok).map((r) => (r.ok ? null : r.fieldErrors))).toEqual(Array(3).fill({ quantity_1: ["Line 1: only 2 pcs remain to ship."] }));
    // Three "ship everything remaining" at once: one ships the last 2, the others find nothing left.
    const all = await Promise.all(Array.from({ length: 3 }, () => runMutation(shipOrder, as(sales), { orderId, carrier: "UPS", trackingNumber: "" })));
    expect(all.map((r) => (r.ok ? r.data.status : r.code)).sort()).toEqual(["conflict", "conflict", "shipped"]);

    const invariant = await one<{ ordered: number; shipped: number; moved: number; shipments: number }>(sql`
      select ql.quantity as ordered,
             (select sum(sl.quantity)::int from shipment_lines sl where sl.quotation_id = ql.quotation_id and sl.line_no = ql.line_no) as shipped,
             (select -sum(m.on_hand_delta)::int from stock_movements m where m.kind = 'shipment' and m.reference_type = 'order' and m.reference_id = ${orderId}::text) as moved,
             (select count(*)::int from shipments where order_id = ${orderId}) as shipments
      from quotation_lines ql join quotations q on q.id = ql.quotation_id where q.order_id = ${orderId}`);
    expect(invariant).toEqual({ ordered: 10, shipped: 10, moved: 10, shipments: 3 });
    expect(await level(a)).toEqual({ on_hand: 30, reserved: 0 });
    // Everywhere: no line has shipped more than was ordered, and every shipment moved its stock.
    const over = await one<{ n: number }>(sql`
      select count(*)::int as n from quotation_lines ql
      where (select coalesce(sum(quantity), 0) from shipment_lines sl where sl.quotation_id = ql.quotation_id and sl.line_no = ql.line_no) > ql.quantity`);
    expect(over).toEqual({ n: 0 });
    const mismatched = await one<{ n: number }>(sql`
      select count(*)::int as n from (
        select s.order_id, sl.product_id, sum(sl.quantity) as shipped from shipments s join shipment_lines sl on sl.shipment_id = s.id group by 1, 2
      ) x
      where x.shipped <> (select -coalesce(sum(m.on_hand_delta), 0) from stock_movements m where m.kind = 'shipment' and m.reference_type = 'order' and m.reference_id = x.order_id::text and m.product_id = x.product_id)`);
    expect(mismatched).toEqual({ n: 0 });
  });

  it("numbers delivery notes gap-free under concurrent shipments of different orders", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`SHP-NUM-${Date.now()}`, 100);
    const orders = [];
    for (let i = 0; i < 6; i++) orders.push((await approvedOrder([[a, 2]], `Numbered${i}`)).orderId);
    const results = await Promise.all(orders.map((orderId) => runMutation(shipOrder, as(sales), { orderId, carrier: "DHL", trackingNumber: "" })));
    const numbers = results.map((r) => (r.ok ? dnValue(r.data.number) : -1)).sort((x, y) => x - y);
    expect(numbers[0]).toBeGreaterThan(0);
    expect(numbers).toEqual(Array.from({ length: 6 }, (_, i) => numbers[0]! + i));
    const { year, last } = await one<{ year: number; last: number }>(sql`select year, last_value as last from document_sequences where kind = 'DN' order by year desc limit 1`);
    expect(results.every((r) => r.ok && r.data.number.startsWith(`DN-${year}-`))).toBe(true);
    expect(last).toBe(numbers[5]);
  });

  it("refuses in the database a shipment line beyond the ordered quantity, of another product, of quantity 0, and any change", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await product(`SHP-DB-${Date.now()}`, 10);
    const { orderId } = await approvedOrder([[a, 3]], "Guarded");
    const shipped = await runMutation(shipOrder, as(sales), { orderId, carrier: "DHL", trackingNumber: "", lines: [{ lineNo: 1, quantity: "2" }] });
    if (!shipped.ok) throw new Error(JSON.stringify(shipped));
    const s = await one<{ id: string; quotation_id: string }>(sql`select id, quotation_id from shipments where id = ${shipped.data.shipmentId}`);
    const other = await one<{ id: string }>(sql`select id from products where id <> ${a} limit 1`);
    const attempt = (q: ReturnType<typeof sql>) =>
      rows(q).then(
        () => "ok",
        (e: unknown) => pgConstraint(e) ?? String((e as { cause?: { message?: string } }).cause?.message ?? (e as Error).message),
      );
    const line = (qty: number, productId = a) => sql`insert into shipment_lines (shipment_id, quotation_id, line_no, product_id, quantity) values (${s.id}, ${s.quotation_id}, 2, ${productId}, ${qty})`;
    // line_no 2 is not a line of the order: refused before the foreign key to the order line is even checked.
    expect(await attempt(line(1))).toBe("shipment_lines_product_matches");
    // A second shipment row written past the service (as a buggy writer would), to add lines to.
    const extra = (await one<{ id: string }>(sql`insert into shipments (number, order_id, company_id, quotation_id, carrier) select 'DN-1999-000001', order_id, company_id, quotation_id, 'X' from shipments where id = ${s.id} returning id`)).id;
    const lineOf = (qty: number, productId = a) => sql`insert into shipment_lines (shipment_id, quotation_id, line_no, product_id, quantity) values (${extra}, ${s.quotation_id}, 1, ${productId}, ${qty})`;
    expect(await attempt(lineOf(2))).toBe("shipment_lines_within_ordered");
    expect(await attempt(lineOf(0))).toBe("shipment_lines_quantity_check");
    expect(await attempt(lineOf(1, other.id))).toBe("shipment_lines_product_matches");
    expect(await attempt(sql`update shipment_lines set quantity = 1 where shipment_id = ${s.id}`)).toMatch(/immutable/);
    expect(await attempt(sql`delete from shipments where id = ${s.id}`)).toMatch(/immutable/);
  });
});
