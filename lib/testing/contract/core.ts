import { sql } from "drizzle-orm";
import { expect } from "vitest";
import { apiScopes } from "@/lib/domain/api-keys";
import type { ContractScenario } from "@/lib/testing/api-contract";
import { rows } from "@/lib/testing/helpers";

// Contract scenarios for the key itself (/me) and the catalogue (/catalog/products, /catalog/images). Every call is
// checked against the OpenAPI document by the client; these assert what the answers say.

type Caller = { key: { scopes: string[] }; actsAs: { email: string; role: string; company: { name: string; currency: string } | null } };
type CatalogPage = { data: { sku: string; price: { amountMinor: string; currency: string } }[]; nextCursor: string | null; priceList: string | null };
type Problem = { code: string; errors?: Record<string, string[]> };

export const scenarios: ContractScenario[] = [
  {
    name: "getCaller: each key says who it acts as, with its scopes; its ETag answers 304",
    async run({ customer, finance, admin }) {
      const mine = await customer.call("getCaller");
      expect(mine.status).toBe(200);
      const body = mine.body as Caller;
      expect(body.actsAs).toMatchObject({ email: "approver@acme.test", role: "buyer", company: { name: "Acme Industrial Supply", currency: "EUR" } });
      expect(body.key.scopes).toEqual([...apiScopes].sort());
      expect(((await finance.call("getCaller")).body as Caller).actsAs).toMatchObject({ email: "admin@demo.test", role: "finance", company: null });
      expect(((await admin.call("getCaller")).body as Caller).actsAs).toMatchObject({ email: "admin@demo.test", role: "admin", company: null });

      const etag = mine.headers.get("etag");
      expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
      const again = await customer.call("getCaller", { headers: { "if-none-match": etag! } });
      expect([again.status, again.body, again.headers.get("etag")]).toEqual([304, null, etag]);
    },
  },
  {
    name: "getCaller: a wrong key is a 401 problem naming the Bearer scheme",
    async run({ customer }) {
      const refused = await customer.call("getCaller", { headers: { authorization: `Bearer ok_AAAAAAAAAAAA_${"A".repeat(43)}` } });
      expect([refused.status, (refused.body as Problem).code, refused.headers.get("www-authenticate")]).toEqual([401, "invalid_api_key", 'Bearer realm="api", error="invalid_token"']);
      const missing = await customer.call("getCaller", { headers: { authorization: "" } });
      expect([missing.status, (missing.body as Problem).code]).toEqual([401, "unauthenticated"]);
    },
  },
  {
    name: "listCatalogProducts: pages of 4 by cursor list every active Power Tools product once, at Acme's prices",
    async run({ customer, admin }) {
      const [count] = await rows<{ n: number }>(sql`select count(*)::int as n from products where category = 'Power Tools' and archived_at is null`);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await customer.call("listCatalogProducts", { query: { category: "Power Tools", sort: "sku", limit: "4", ...(cursor ? { cursor } : {}) } });
        expect(page.status).toBe(200);
        const body = page.body as CatalogPage;
        expect(body.data.length).toBeLessThanOrEqual(4);
        seen.push(...body.data.map((p) => p.sku));
        cursor = body.nextCursor ?? undefined;
        pages++;
      } while (cursor && pages < 50);
      // The seed has 5 power tools in 3 variants each.
      expect(count!.n).toBeGreaterThanOrEqual(15);
      expect(seen.length).toBe(count!.n);
      expect(new Set(seen).size).toBe(count!.n);
      expect(seen).toEqual([...seen].sort());
      expect(pages).toBe(Math.ceil(count!.n / 4));

      // One product, by SKU: the staff key's list price is the product's base price.
      const sku = seen[0]!;
      const [product] = await rows<{ base_price_minor: string }>(sql`select base_price_minor::text from products where sku = ${sku}`);
      const listed = (await admin.call("listCatalogProducts", { query: { q: sku } })).body as CatalogPage;
      expect(listed.data[0]).toMatchObject({ sku, price: { amountMinor: product!.base_price_minor, currency: "EUR" } });
      expect(listed.priceList).toBeNull();
    },
  },
  {
    name: "getCatalogProduct: one product by SKU at the caller's prices, its first price the search's; unknown SKU 404",
    async run({ customer, admin }) {
      const found = (await customer.call("listCatalogProducts", { query: { category: "Power Tools", sort: "sku", limit: "1" } })).body as CatalogPage;
      const listed = found.data[0]!;
      const one = await customer.call("getCatalogProduct", { params: { sku: listed.sku.toLowerCase() } });
      expect(one.status).toBe(200);
      const body = one.body as { sku: string; priceTable: { fromQuantity: number; price: { amountMinor: string; currency: string } }[]; availability: { available: number } };
      expect(body.sku).toBe(listed.sku);
      expect(body.priceTable[0]).toMatchObject({ fromQuantity: 1, price: { amountMinor: listed.price.amountMinor, currency: listed.price.currency } });
      const thresholds = body.priceTable.map((t) => t.fromQuantity);
      expect(thresholds).toEqual([...thresholds].sort((a, b) => a - b));
      const [stock] = await rows<{ available: number }>(sql`select greatest(0, i.on_hand - i.reserved)::int as available from inventory i join products p on p.id = i.product_id where p.sku = ${listed.sku}`);
      expect(body.availability.available).toBe(stock!.available);

      // A staff key previewing Acme's prices sees what Acme's key sees.
      const [acme] = await rows<{ id: string }>(sql`select company_id as id from users where email = 'approver@acme.test'`);
      const preview = (await admin.call("getCatalogProduct", { params: { sku: listed.sku }, query: { company: acme!.id } })).body as typeof body;
      expect(preview.priceTable).toEqual(body.priceTable);

      const missing = await customer.call("getCatalogProduct", { params: { sku: "NO-SUCH-SKU-1" } });
      expect([missing.status, (missing.body as Problem).code]).toEqual([404, "not_found"]);
    },
  },
  {
    name: "getCatalogImage: a product's image URL answers its WebP rendition, immutable, and 304 for its ETag",
    async run({ customer }) {
      // FAS-0001 has a demo image (lib/services/seed-media.ts); Acme's catalogue is not limited.
      const product = (await customer.call("getCatalogProduct", { params: { sku: "FAS-0001" } })).body as { image: { renditions: { width: number; url: string }[] } | null };
      const smallest = product.image!.renditions[0]!;
      expect(smallest.width).toBe(160);
      const file = smallest.url.replace("/api/v1/catalog/images/", "");
      const first = await customer.call("getCatalogImage", { params: { file } });
      expect([first.status, first.headers.get("content-type"), first.headers.get("cache-control")]).toEqual([200, "image/webp", "private, max-age=31536000, immutable"]);
      expect((first.body as Buffer).subarray(8, 12).toString("latin1")).toBe("WEBP");
      const again = await customer.call("getCatalogImage", { params: { file }, headers: { "if-none-match": first.headers.get("etag")! } });
      expect([again.status, again.body]).toEqual([304, null]);
    },
  },
  {
    name: "listCatalogProducts: bad queries are 400 validation problems with field errors",
    async run({ customer }) {
      const tooMany = await customer.call("listCatalogProducts", { query: { limit: "101" } });
      expect([tooMany.status, (tooMany.body as Problem).code, (tooMany.body as Problem).errors]).toEqual([400, "validation_failed", { limit: ["limit is at most 100."] }]);
      const unknown = await customer.call("listCatalogProducts", { query: { colour: "red" } });
      expect([unknown.status, (unknown.body as Problem).code]).toEqual([400, "validation_failed"]);
      const staffOnly = await customer.call("listCatalogProducts", { query: { company: "6f1c2b1e-4a51-4f7e-9f7a-0d2a1c3b4e5f" } });
      expect([staffOnly.status, (staffOnly.body as Problem).code]).toEqual([400, "validation_failed"]);
    },
  },
];
