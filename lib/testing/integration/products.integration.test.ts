import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { importProducts, parseProductCsv } from "@/lib/services/product-import";
import { createProduct } from "@/lib/services/products";
import { createCompany } from "@/lib/services/companies";
import { createPriceList, upsertPriceListEntry } from "@/lib/services/price-lists";

setupTestDatabase();

let keySeq = 0;
const key = (p: string) => `${p}-${Date.now()}-${keySeq++}`;
const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;

describe("CSV product import lists every problem of a row", () => {
  const header = "sku,name,category,base_price,tax_rate,min_order_quantity,order_multiple,low_stock_threshold,tiers\n";

  it("names every invalid field of row 3 (bad price, bad stock threshold, missing name, bad tax rate), not only the first", () => {
    const csv = header + "ALL-1,Fine,Imports,5.00,19,1,1,0,\nALL-2,,Imports,abc,150,1,1,lots,\n";
    expect(parseProductCsv(csv)).toEqual({
      errors: [
        "Row 3 (SKU ALL-2): name: Name is required.; base_price: Enter a price such as 12.50.; tax_rate: Enter a tax rate in percent between 0 and 100, e.g. 19 or 7.5.; low_stock_threshold: Enter the reorder point.",
      ],
    });
  });

  it("reports a bad tier text next to a bad minimum quantity of the same row, and imports nothing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const before = await count(sql`select count(*)::int as n from products`);
    const csv = header + "ALL-3,Two problems,Imports,5.00,19,0,1,0,\"ten: 4\"\n";
    const result = await runMutation(importProducts, { actor: admin, request: request(), idempotencyKey: key("i") }, { csv });
    expect(result).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: {
        csv: [
          'Row 2 (SKU ALL-3): min_order_quantity: The minimum order quantity must be at least 1.; tiers: "ten: 4" is not "quantity: price" (e.g. 10: 9.50).',
        ],
      },
    });
    expect(await count(sql`select count(*)::int as n from products`)).toBe(before);
  });
});

describe("the product form reports all field errors at once", () => {
  it("shows the price, tax rate, name and pack multiple problems together", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(
      createProduct,
      { actor: admin, request: request(), idempotencyKey: key("p") },
      { sku: "FORM-1", name: "", category: "Testing", basePrice: "12,50€", taxRate: "abc", orderMultiple: "0" },
    );
    expect(result).toEqual({
      ok: false,
      code: "validation_failed",
      error: "Some fields need attention.",
      fieldErrors: {
        name: ["Name is required."],
        basePrice: ["Enter a price such as 12.50."],
        taxRate: ["Enter a tax rate in percent between 0 and 100, e.g. 19 or 7.5."],
        orderMultiple: ["The pack multiple must be at least 1."],
      },
    });
  });

  it("shows a rising tier next to a bad tax rate", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(
      createProduct,
      { actor: admin, request: request(), idempotencyKey: key("p") },
      { sku: "FORM-2", name: "Tiered", category: "Testing", basePrice: "5.00", taxRate: "101", tiers: "10: 6.00" },
    );
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: {
        taxRate: ["Enter a tax rate in percent between 0 and 100, e.g. 19 or 7.5."],
        tiers: ["The 10+ tier costs more per unit than smaller quantities."],
      },
    });
  });
});

describe("the price list entry form reports all field errors at once", () => {
  it("names an unknown SKU, a bad price and a bad tier line together", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const list = await runMutation(
      createPriceList,
      { actor: admin, request: request(), idempotencyKey: key("l") },
      { name: `All errors ${key("n")}`, validFrom: "2026-01-01" },
    );
    if (!list.ok) throw new Error(list.error);
    const result = await runMutation(
      upsertPriceListEntry,
      { actor: admin, request: request() },
      { priceListId: list.data.id, sku: "NO-SUCH-SKU", unitPrice: "cheap", tiers: "many: 1" },
    );
    expect(result).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: {
        sku: ["No product has SKU NO-SUCH-SKU."],
        unitPrice: ["Enter a price such as 12.50."],
        tiers: ['"many: 1" is not "quantity: price" (e.g. 10: 9.50).'],
      },
    });
  });
});

describe("the company form reports all field errors at once", () => {
  it("names a taken name and a credit limit with too many decimals for the currency together", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(
      createCompany,
      { actor: admin, request: request(), idempotencyKey: key("c") },
      { name: "acme industrial supply", paymentTermsDays: "30", creditLimit: "100.5", currency: "JPY" },
    );
    expect(result).toEqual({
      ok: false,
      code: "validation_failed",
      error: "Some fields need attention.",
      fieldErrors: { name: ["A company with this name already exists."], creditLimit: ["Enter an amount in JPY, such as 25000."] },
    });
  });
});

describe("two requests taking the same unique value at once", () => {
  it("create one product, company and price list each; every other request gets the field error, none an internal error", async () => {
    if (!isPostgres()) return;
    const admin = await actorByEmail("admin@demo.test");
    const as = () => ({ actor: admin, request: request(), idempotencyKey: key("u") });
    const tag = key("race").toUpperCase();
    const product = { sku: `RACE-${tag}`, name: "Raced", category: "Races", basePrice: "1.00", taxRate: "19", minOrderQuantity: "1", orderMultiple: "1", tiers: "" };
    const company = { name: `Raced Co ${tag}`, paymentTermsDays: "30", creditLimit: "", currency: "EUR", timeZone: "UTC" };
    const list = { name: `Raced list ${tag}`, currency: "EUR", validFrom: "2026-01-01", validTo: "" };
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => runMutation(createProduct, as(), product)),
      ...Array.from({ length: 6 }, () => runMutation(createCompany, as(), company)),
      ...Array.from({ length: 6 }, () => runMutation(createPriceList, as(), list)),
    ]);
    const [products, companies, lists] = [results.slice(0, 6), results.slice(6, 12), results.slice(12)];
    const field = { products: "sku", companies: "name", lists: "name" } as const;
    for (const [name, group] of Object.entries({ products, companies, lists }) as [keyof typeof field, typeof results][]) {
      expect(group.filter((r) => r.ok), name).toHaveLength(1);
      for (const r of group.filter((x) => !x.ok)) {
        expect(r, name).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { [field[name]]: [expect.stringMatching(/already/)] } });
      }
    }
    expect(await count(sql`select count(*)::int as n from products where sku = ${product.sku}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from companies where name = ${company.name}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from price_lists where name = ${list.name}`)).toBe(1);
  });
});
