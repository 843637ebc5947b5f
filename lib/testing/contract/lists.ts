import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { rows } from "@/lib/testing/helpers";

// Requisition lists over the API (issue 14): create, add lines (a product twice is one line with
// the sum), read, add the whole list to the cart; a taken name is a 400 on `name`, a staff key has no
// lists, another company's list is a 404.

type List = { id: string; name: string; lines: { sku: string; quantity: number; available: boolean }[] };
type Problem = { code: string; errors?: Record<string, string[]> };

const key = () => `contract-lists-${randomUUID()}`;

export const scenarios: ContractScenario[] = [
  {
    name: "lists: create, add lines, read, add to cart; duplicate names, staff keys and other companies refused",
    async run({ customer, admin }) {
      const [product] = await rows<{ sku: string; id: string }>(sql`
        select p.sku, p.id from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.min_order_quantity = 1 and p.order_multiple = 1 and p.currency = 'EUR' and i.on_hand - i.reserved >= 10 order by p.sku limit 1`);
      const [globexList] = await rows<{ id: string }>(sql`
        select l.id from requisition_lists l join companies c on c.id = l.company_id where c.name = 'Globex Manufacturing' limit 1`);
      const name = `Contract ${randomUUID().slice(0, 8)}`;
      const created = await customer.call("createRequisitionList", { body: { name }, idempotencyKey: key() });
      expect([created.status, (created.body as List).name, (created.body as List).lines]).toEqual([201, name, []]);
      const id = (created.body as List).id;
      const taken = await customer.call("createRequisitionList", { body: { name: name.toUpperCase() }, idempotencyKey: key() });
      expect([taken.status, (taken.body as Problem).errors?.name]).toEqual([400, ["Your company already has a list with this name."]]);

      expect((await customer.call("addRequisitionListLine", { params: { id }, body: { productId: product!.id, quantity: 2 }, idempotencyKey: key() })).status).toBe(200);
      const twice = await customer.call("addRequisitionListLine", { params: { id }, body: { productId: product!.id, quantity: 3 }, idempotencyKey: key() });
      expect([twice.status, (twice.body as List).lines]).toEqual([200, [{ productId: product!.id, sku: product!.sku, name: expect.any(String), unit: expect.any(String), quantity: 5, available: true }]]);
      const read = await customer.call("getRequisitionList", { params: { id } });
      expect([read.status, (read.body as List).lines.map((l) => l.quantity)]).toEqual([200, [5]]);
      const all = await customer.call("listRequisitionLists");
      expect((all.body as { data: { id: string; lineCount: number }[] }).data.find((l) => l.id === id)?.lineCount).toBe(1);

      const toCart = await customer.call("addRequisitionListToCart", { params: { id }, idempotencyKey: key() });
      expect([toCart.status, toCart.body]).toEqual([200, { added: [{ sku: product!.sku, quantity: 5 }], skipped: [] }]);

      const foreign = await customer.call("getRequisitionList", { params: { id: globexList!.id } });
      expect([foreign.status, (foreign.body as Problem).code]).toEqual([404, "not_found"]);
      const foreignAdd = await customer.call("addRequisitionListLine", { params: { id: globexList!.id }, body: { productId: product!.id, quantity: 1 }, idempotencyKey: key() });
      expect([foreignAdd.status, (foreignAdd.body as Problem).code]).toEqual([404, "not_found"]);
      const staff = await admin.call("listRequisitionLists");
      expect([staff.status, (staff.body as Problem).code]).toEqual([403, "forbidden"]);

      // Take the 5 back out of the key owner's cart, as the other scenarios expect to find it.
      const acmeCarts = sql`select id from orders where status = 'draft' and company_id = (select id from companies where name = 'Acme Industrial Supply')`;
      await rows(sql`update cart_lines set quantity = quantity - 5 where product_id = ${product!.id} and quantity > 5 and order_id in (${acmeCarts})`);
      await rows(sql`delete from cart_lines where product_id = ${product!.id} and quantity = 5 and order_id in (${acmeCarts})`);
    },
  },
];
