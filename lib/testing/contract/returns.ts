import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { runMutation } from "@/lib/mutation";
import { approveOrder } from "@/lib/services/orders/approvals";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { actorByEmail, request, rows } from "@/lib/testing/helpers";

// Returns over the API (issue 14): the customer key requests a return of shipped goods (too much of a
// line is a 400 on its field, a replay answers the first return), staff keys approve, receive (stock
// back, credit note) and reject; the customer reads them per order, in the list and one by one.
// Every answer is checked against the OpenAPI document by the client.

type Return = { id: string; number: string; status: string; orderReference: string; lines: { lineNo: number; quantity: number }[]; creditNote: { id: string; number: string; total: { amountMinor: string } } | null };
type OrderReturns = { data: Return[]; lines: { lineNo: number; shipped: number; returned: number; returnable: number }[] };
type Problem = { code: string; errors?: Record<string, string[]> };

const key = () => `contract-returns-${randomUUID()}`;

export const scenarios: ContractScenario[] = [
  {
    name: "returns: the customer requests, staff approve and receive (credit note) or reject; over-return, wrong step and wrong role are refused",
    async run({ customer, finance, admin }) {
      const [product] = await rows<{ sku: string }>(sql`
        select p.sku from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.min_order_quantity = 1 and p.order_multiple = 1 and p.currency = 'EUR' and i.on_hand - i.reserved >= 10 order by p.sku limit 1`);
      const placed = await customer.call("placeOrder", { body: { lines: [{ sku: product!.sku, quantity: 3 }] }, idempotencyKey: key() });
      const orderId = (placed.body as { id: string }).id;
      expect((await customer.call("acceptOrder", { params: { id: orderId }, body: { quotationVersion: 1 }, idempotencyKey: key() })).status).toBe(200);
      expect((await runMutation(approveOrder, { actor: await actorByEmail("sales@demo.test"), request: request() }, { orderId })).ok).toBe(true);
      expect((await admin.call("createShipment", { params: { id: orderId }, body: { carrier: "DHL", lines: [{ lineNo: 1, quantity: 2 }] }, idempotencyKey: key() })).status).toBe(201);

      const none = await customer.call("listOrderReturns", { params: { id: orderId } });
      expect([none.status, (none.body as OrderReturns).data, (none.body as OrderReturns).lines.map((l) => [l.shipped, l.returned, l.returnable])]).toEqual([200, [], [[2, 0, 2]]]);

      const tooMany = await customer.call("requestReturn", { params: { id: orderId }, body: { reason: "Crushed", lines: [{ lineNo: 1, quantity: 3 }] }, idempotencyKey: key() });
      expect([tooMany.status, (tooMany.body as Problem).code, (tooMany.body as Problem).errors]).toEqual([400, "validation_failed", { return_1: [expect.stringMatching(/^Line 1: at most 2 .+ can be returned \(2 shipped, 0 already being returned\)\.$/)] }]);
      const byStaff = await admin.call("requestReturn", { params: { id: orderId }, body: { reason: "Crushed", lines: [{ lineNo: 1, quantity: 1 }] }, idempotencyKey: key() });
      expect([byStaff.status, (byStaff.body as Problem).code]).toEqual([403, "forbidden"]);

      const once = key();
      const requested = await customer.call("requestReturn", { params: { id: orderId }, body: { reason: "Crushed", lines: [{ lineNo: 1, quantity: 1 }] }, idempotencyKey: once });
      expect(requested.status).toBe(201);
      const ret = requested.body as Return;
      expect([ret.status, ret.lines.map((l) => [l.lineNo, l.quantity]), ret.creditNote]).toEqual(["requested", [[1, 1]], null]);
      const replay = await customer.call("requestReturn", { params: { id: orderId }, body: { reason: "Crushed", lines: [{ lineNo: 1, quantity: 1 }] }, idempotencyKey: once });
      expect([replay.status, replay.body]).toEqual([201, ret]);

      expect((await finance.call("approveReturn", { params: { id: ret.id } })).status).toBe(403);
      expect((await customer.call("approveReturn", { params: { id: ret.id } })).status).toBe(403);
      const early = await admin.call("receiveReturn", { params: { id: ret.id }, idempotencyKey: key() });
      expect([early.status, (early.body as Problem).code]).toEqual([409, "conflict"]);
      const approved = await admin.call("approveReturn", { params: { id: ret.id } });
      expect([approved.status, (approved.body as Return).status]).toEqual([200, "approved"]);
      const received = await admin.call("receiveReturn", { params: { id: ret.id }, idempotencyKey: key() });
      expect(received.status).toBe(200);
      const done = received.body as Return;
      expect([done.status, done.creditNote?.number]).toEqual(["received", expect.stringMatching(/^CN-\d{4}-\d{6}$/)]);
      const [note] = await rows<{ total: string }>(sql`select total_minor::text as total from credit_notes where return_id = ${ret.id}`);
      expect(done.creditNote!.total.amountMinor).toBe(note!.total);

      const second = await customer.call("requestReturn", { params: { id: orderId }, body: { reason: "Wrong colour", lines: [{ lineNo: 1, quantity: 1 }] }, idempotencyKey: key() });
      expect(second.status).toBe(201);
      const rejected = await admin.call("rejectReturn", { params: { id: (second.body as Return).id }, body: { reason: "Opened and used." } });
      expect([rejected.status, (rejected.body as Return).status]).toEqual([200, "rejected"]);

      expect((await customer.call("getReturn", { params: { id: ret.id } })).body).toEqual(done);
      const perOrder = (await customer.call("listOrderReturns", { params: { id: orderId } })).body as OrderReturns;
      expect([perOrder.data.map((r) => r.status), perOrder.lines.map((l) => [l.shipped, l.returned, l.returnable])]).toEqual([["received", "rejected"], [[2, 1, 1]]]);
      const listed = await customer.call("listReturns", { query: { order: orderId, limit: "1" } });
      expect((listed.body as { data: Return[] }).data.map((r) => r.status)).toEqual(["rejected"]);
      const next = await customer.call("listReturns", { query: { order: orderId, limit: "1", cursor: (listed.body as { nextCursor: string }).nextCursor } });
      expect([(next.body as { data: Return[] }).data.map((r) => r.id), (next.body as { nextCursor: unknown }).nextCursor]).toEqual([[ret.id], null]);
      expect((await admin.call("listReturns", { query: { status: "received", limit: "100" } })).status).toBe(200);
      expect((await customer.call("getReturn", { params: { id: randomUUID() } })).status).toBe(404);
      expect((await customer.call("listOrderReturns", { params: { id: randomUUID() } })).status).toBe(404);
    },
  },
];
