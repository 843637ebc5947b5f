import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { runMutation } from "@/lib/mutation";
import { approveOrder } from "@/lib/services/orders/approvals";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { actorByEmail, request, rows } from "@/lib/testing/helpers";
import { pdfText } from "@/lib/testing/pdf-text";

// Shipments over the API (issue 14): a staff key ships part of an approved order and then the rest
// (POST /orders/{id}/shipments), the customer reads the shipments with shipped/remaining per line
// and downloads the delivery note; a customer key may not ship, and too much of a line is a 422 on its field.

type Shipments = { data: { id: string; number: string; carrier: string; trackingNumber: string; lines: { lineNo: number; quantity: number }[] }[]; lines: { lineNo: number; ordered: number; shipped: number; remaining: number }[]; fullyShipped: boolean };
type Problem = { code: string; errors?: Record<string, string[]> };

const key = () => `contract-shipments-${randomUUID()}`;

export const scenarios: ContractScenario[] = [
  {
    name: "shipments: staff ship part then the rest; the customer lists them and reads the delivery note; customers cannot ship",
    async run({ customer, admin }) {
      const [product] = await rows<{ sku: string }>(sql`
        select p.sku from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.min_order_quantity = 1 and p.order_multiple = 1 and p.currency = 'EUR' and i.on_hand - i.reserved >= 10 order by p.sku limit 1`);
      const placed = await customer.call("placeOrder", { body: { lines: [{ sku: product!.sku, quantity: 3 }] }, idempotencyKey: key() });
      const orderId = (placed.body as { id: string }).id;
      expect((await customer.call("acceptOrder", { params: { id: orderId }, body: { quotationVersion: 1 }, idempotencyKey: key() })).status).toBe(200);
      const approved = await runMutation(approveOrder, { actor: await actorByEmail("sales@demo.test"), request: request() }, { orderId });
      expect(approved.ok).toBe(true);

      const none = await customer.call("listOrderShipments", { params: { id: orderId } });
      expect([none.status, (none.body as Shipments).data, (none.body as Shipments).lines.map((l) => [l.ordered, l.shipped, l.remaining])]).toEqual([200, [], [[3, 0, 3]]]);

      const refused = await customer.call("createShipment", { params: { id: orderId }, body: { carrier: "DHL" }, idempotencyKey: key() });
      expect([refused.status, (refused.body as Problem).code]).toEqual([403, "forbidden"]);
      const tooMany = await admin.call("createShipment", { params: { id: orderId }, body: { carrier: "DHL", lines: [{ lineNo: 1, quantity: 4 }] }, idempotencyKey: key() });
      expect([tooMany.status, (tooMany.body as Problem).errors]).toEqual([400, { quantity_1: [expect.stringMatching(/^Line 1: only 3 .+ remain to ship\.$/)] }]);

      const part = await admin.call("createShipment", { params: { id: orderId }, body: { carrier: "DHL", trackingNumber: "JD0042", lines: [{ lineNo: 1, quantity: 1 }] }, idempotencyKey: key() });
      expect(part.status).toBe(201);
      const afterPart = part.body as Shipments;
      expect([afterPart.fullyShipped, afterPart.lines.map((l) => [l.shipped, l.remaining]), afterPart.data.map((s) => [s.carrier, s.trackingNumber, s.lines])]).toEqual([
        false,
        [[1, 2]],
        [["DHL", "JD0042", [{ lineNo: 1, quantity: 1, shipmentLineId: expect.any(String), productId: expect.any(String), sku: product!.sku }]]],
      ]);
      const rest = await admin.call("createShipment", { params: { id: orderId }, body: { carrier: "UPS" }, idempotencyKey: key() });
      expect([rest.status, (rest.body as Shipments).fullyShipped, (rest.body as Shipments).data.length]).toEqual([201, true, 2]);

      const listed = (await customer.call("listOrderShipments", { params: { id: orderId } })).body as Shipments;
      expect(listed.data.map((s) => s.lines.map((l) => l.quantity))).toEqual([[1], [2]]);
      const pdf = await customer.call("getShipmentPdf", { params: { id: listed.data[0]!.id } });
      expect(pdf.status).toBe(200);
      const text = (await pdfText(pdf.body as Uint8Array)).replace(/\s+/g, " ");
      expect(text).toContain(`Delivery note ${listed.data[0]!.number}`);
      expect(text).toContain("Tracking number JD0042");
      expect(text).toContain("Still to follow: 2 units (backordered).");
      expect((await customer.call("listOrderShipments", { params: { id: randomUUID() } })).status).toBe(404);
      expect((await customer.call("getShipmentPdf", { params: { id: randomUUID() } })).status).toBe(404);
    },
  },
];
