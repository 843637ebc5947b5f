import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { rows } from "@/lib/testing/helpers";

// Ship-to addresses over the API (issue 14): GET /me lists the company's ship-to addresses, POST
// /orders and POST /cart/submit take one of them as shipToAddressId (default: the company's default),
// the order answers its copy, and another company's address id is a 404.

type ShipTo = { id: string; label: string; isDefault: boolean; lines: string[] };
type Caller = { actsAs: { company: { shipToAddresses: ShipTo[] } | null } };
type Order = { id: string; shipTo: { addressId: string | null; label: string; lines: string[]; country: string | null } | null };
type Problem = { code: string };

const key = () => `contract-ship-to-${randomUUID()}`;

export const scenarios: ContractScenario[] = [
  {
    name: "ship-to: listed by getCaller; placeOrder and submitCart take one (default otherwise); another company's id is a 404",
    async run({ customer }) {
      const [product] = await rows<{ sku: string; id: string }>(sql`
        select p.sku, p.id from products p join inventory i on i.product_id = p.id
        where p.archived_at is null and p.min_order_quantity = 1 and p.order_multiple = 1 and p.currency = 'EUR' and i.on_hand - i.reserved >= 10 order by p.sku limit 1`);
      const [globex] = await rows<{ id: string }>(sql`
        select a.id from company_addresses a join companies c on c.id = a.company_id where c.name = 'Globex Manufacturing' and a.kind = 'shipping' limit 1`);
      const me = (await customer.call("getCaller")).body as Caller;
      const book = me.actsAs.company!.shipToAddresses;
      expect(book.map((a) => [a.label, a.isDefault])).toEqual([
        ["Hamburg warehouse", true],
        ["Munich branch", false],
      ]);
      const [, munich] = book;

      const byDefault = await customer.call("placeOrder", { body: { lines: [{ sku: product!.sku, quantity: 1 }] }, idempotencyKey: key() });
      expect([byDefault.status, (byDefault.body as Order).shipTo?.label]).toEqual([201, "Hamburg warehouse"]);
      const picked = await customer.call("placeOrder", { body: { lines: [{ sku: product!.sku, quantity: 1 }], shipToAddressId: munich!.id }, idempotencyKey: key() });
      expect(picked.status).toBe(201);
      expect((picked.body as Order).shipTo).toEqual({ addressId: munich!.id, label: "Munich branch", lines: munich!.lines, country: "DE" });
      const foreign = await customer.call("placeOrder", { body: { lines: [{ sku: product!.sku, quantity: 1 }], shipToAddressId: globex!.id }, idempotencyKey: key() });
      expect([foreign.status, (foreign.body as Problem).code]).toEqual([404, "not_found"]);

      expect((await customer.call("addCartLine", { body: { productId: product!.id, quantity: 1 }, idempotencyKey: key() })).status).toBe(200);
      const refused = await customer.call("submitCart", { body: { shipToAddressId: globex!.id }, idempotencyKey: key() });
      expect([refused.status, (refused.body as Problem).code]).toEqual([404, "not_found"]);
      const submitted = await customer.call("submitCart", { body: { shipToAddressId: munich!.id }, idempotencyKey: key() });
      expect([submitted.status, (submitted.body as Order).shipTo?.label]).toEqual([201, "Munich branch"]);
    },
  },
];
