import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { rows } from "@/lib/testing/helpers";

// Contract scenarios for the cart, orders and quotations. Every call is checked against the OpenAPI
// document by the client; these assert what the answers say. The customer key acts as a buyer of
// Acme (owned by approver@acme.test), so its cart is that user's portal cart.

type Money = { amountMinor: string; amount: string; currency: string };
type Cart = { lines: { productId: string; sku: string; quantity: number; total: Money }[]; subtotal: Money; tax: Money; total: Money };
type Order = { id: string; status: string; poNumber: string; totals: { subtotal: Money; tax: Money; total: Money }; quotation: { id: string; number: string; version: number; lines: { sku: string; quantity: number; total: Money }[] } };
type Problem = { code: string };

/** Active products any quantity of which may be ordered, with stock to reserve on acceptance. */
async function orderable(n: number): Promise<{ id: string; sku: string }[]> {
  const found = await rows<{ id: string; sku: string }>(
    sql`select p.id, p.sku from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.min_order_quantity = 1 and p.order_multiple = 1 and p.currency = 'EUR' and i.on_hand - i.reserved >= 100
        order by p.sku limit ${n}`,
  );
  expect(found.length).toBe(n);
  return found;
}

const key = () => `contract-${randomUUID()}`;
const sum = (amounts: Money[]) => amounts.reduce((s, m) => s + BigInt(m.amountMinor), 0n).toString();

export const scenarios: ContractScenario[] = [
  {
    name: "cart: set, add, quick order, read and submit the owner's cart; the order is quoted with the cart's totals",
    async run({ customer, admin }) {
      const [a, b] = await orderable(2);
      // Start from an empty cart whatever an earlier run left.
      const before = (await customer.call("getCart")).body as Cart;
      for (const l of before.lines) expect((await customer.call("setCartLine", { params: { productId: l.productId }, body: { quantity: 0 } })).status).toBe(200);

      expect((await customer.call("setCartLine", { params: { productId: a!.id }, body: { quantity: 3 } })).status).toBe(200);
      const added = await customer.call("addCartLine", { body: { productId: b!.id, quantity: 2 }, idempotencyKey: key() });
      expect(added.status).toBe(200);
      const quick = await customer.call("quickOrderCart", { body: { lines: `${b!.sku} 1` }, idempotencyKey: key() });
      expect(quick.status).toBe(200);
      const cart = (await customer.call("getCart")).body as Cart;
      expect(cart.lines.map((l) => [l.sku, l.quantity])).toEqual([
        [a!.sku, 3],
        [b!.sku, 3],
      ]);
      expect((BigInt(cart.subtotal.amountMinor) + BigInt(cart.tax.amountMinor)).toString()).toBe(cart.total.amountMinor);
      expect(sum(cart.lines.map((l) => l.total))).toBe(cart.total.amountMinor);

      const submitted = await customer.call("submitCart", { idempotencyKey: key() });
      expect(submitted.status).toBe(201);
      const order = submitted.body as Order;
      expect(order.status).toBe("quoted");
      expect(order.totals.total).toEqual(cart.total);
      expect(((await customer.call("getCart")).body as Cart).lines).toEqual([]);

      // A staff key has no cart.
      const staff = await admin.call("getCart");
      expect([staff.status, (staff.body as Problem).code]).toEqual([403, "forbidden"]);
    },
  },
  {
    name: "placeOrder → getOrder → listOrderQuotations → getQuotation (+PDF) → acceptOrder → cancelOrder, and declineOrder",
    async run({ customer, admin }) {
      const [a] = await orderable(1);
      const po = `CONTRACT-${randomUUID().slice(0, 8)}`;
      const placed = await customer.call("placeOrder", { body: { lines: [{ sku: a!.sku, quantity: 2 }], poNumber: po }, idempotencyKey: key() });
      expect(placed.status).toBe(201);
      const order = placed.body as Order;
      expect(order).toMatchObject({ status: "quoted", poNumber: po, quotation: { version: 1, lines: [{ sku: a!.sku, quantity: 2 }] } });

      const got = await customer.call("getOrder", { params: { id: order.id } });
      expect([got.status, (got.body as Order).id]).toEqual([200, order.id]);
      const etag = got.headers.get("etag")!;
      expect((await customer.call("getOrder", { params: { id: order.id }, headers: { "if-none-match": etag } })).status).toBe(304);

      const versions = await customer.call("listOrderQuotations", { params: { id: order.id } });
      expect((versions.body as { data: { id: string }[] }).data.map((q) => q.id)).toEqual([order.quotation.id]);
      const quotation = await customer.call("getQuotation", { params: { id: order.quotation.id } });
      expect(quotation.body).toMatchObject({ number: order.quotation.number, version: 1, total: order.totals.total });
      const pdf = await customer.call("getQuotationPdf", { params: { id: order.quotation.id } });
      expect(pdf.status).toBe(200);
      expect((pdf.body as Buffer).subarray(0, 5).toString("latin1")).toBe("%PDF-");

      const listed = await customer.call("listOrders", { query: { q: po } });
      expect((listed.body as { data: { id: string }[] }).data.map((o) => o.id)).toEqual([order.id]);
      expect((await admin.call("listOrders", { query: { q: po, status: "quoted" } })).status).toBe(200);

      const stale = await customer.call("acceptOrder", { params: { id: order.id }, body: { quotationVersion: 2, poNumber: po }, idempotencyKey: key() });
      expect([stale.status, (stale.body as Problem).code]).toEqual([409, "conflict"]);
      const accepted = await customer.call("acceptOrder", { params: { id: order.id }, body: { quotationVersion: 1, poNumber: po }, idempotencyKey: key() });
      expect(accepted.status).toBe(200);
      expect(["awaiting_seller_approval", "awaiting_customer_approval"]).toContain((accepted.body as Order).status);

      // A staff (admin) key cancels as staff.
      const cancelled = await admin.call("cancelOrder", { params: { id: order.id }, body: { reason: "Contract test" } });
      expect([cancelled.status, (cancelled.body as Order).status]).toEqual([200, "cancelled"]);

      // Prefer: return=minimal: the receipt (OrderReceipt), checked against the published anyOf like every answer.
      const receipt = await customer.call("placeOrder", { body: { lines: [{ productId: a!.id, quantity: 1 }] }, idempotencyKey: key(), headers: { prefer: "return=minimal" } });
      expect([receipt.status, receipt.headers.get("preference-applied"), Object.keys(receipt.body as object).sort()]).toEqual([201, "return=minimal", ["id", "quotation", "reference", "status"]]);
      const other = receipt.body as Order;
      const declined = await customer.call("declineOrder", { params: { id: other.id }, body: { reason: "Contract test" } });
      expect([declined.status, (declined.body as Order).status]).toEqual([200, "declined"]);
    },
  },
  {
    name: "placeOrder: no Idempotency-Key is 400, bad lines are 400 validation problems, an unknown order is 404",
    async run({ customer }) {
      const none = await customer.call("placeOrder", { body: { lines: [{ sku: "X", quantity: 1 }] } });
      expect([none.status, (none.body as Problem).code]).toEqual([400, "idempotency_key_required"]);
      const bad = await customer.call("placeOrder", { body: { lines: [{ sku: "NO-SUCH-SKU-CONTRACT", quantity: 1 }] }, idempotencyKey: key() });
      expect([bad.status, (bad.body as Problem).code]).toEqual([400, "validation_failed"]);
      const missing = await customer.call("getOrder", { params: { id: randomUUID() } });
      expect([missing.status, (missing.body as Problem).code]).toEqual([404, "not_found"]);
    },
  },
];
