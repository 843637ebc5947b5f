import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { CATALOG_RANKED_MATCHES, getPricedProduct, pricingInputs, searchCatalog, type CatalogParams, type CatalogRow } from "@/db/queries/catalog";
import { db } from "@/db/client";
import { resolveUnitPrice } from "@/lib/domain/pricing";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { createCompany } from "@/lib/services/companies";
import { applyStockMovement, adjustStock, receiveStock } from "@/lib/services/inventory";
import { parseProductCsv, importProducts } from "@/lib/services/product-import";
import { createProduct, setProductArchived, updateProduct } from "@/lib/services/products";
import { setPriceListAssignment, upsertPriceListEntry, createPriceList } from "@/lib/services/price-lists";

setupTestDatabase();

const today = new Date().toISOString().slice(0, 10);
const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;
let keySeq = 0;
const key = (p: string) => `${p}-${Date.now()}-${keySeq++}`;

async function newProduct(sku: string, basePrice = "10.00", extra: Record<string, string> = {}) {
  const admin = await actorByEmail("admin@demo.test");
  const r = await runMutation(createProduct, { actor: admin, request: request(), idempotencyKey: key("p") }, { sku, name: `Test ${sku}`, category: "Testing", basePrice, ...extra });
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.data.id;
}

describe("stock movements", () => {
  it("keeps on hand and reserved equal to the sum of movements, under parallel changes too", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const id = await newProduct("INV-0001");
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => runMutation(receiveStock, { actor: admin, request: request(), idempotencyKey: key("r") }, { productId: id, quantity: String(i + 1), reason: "PO" })),
    );
    await db.transaction((tx) => applyStockMovement(tx, { productId: id, kind: "reservation", onHandDelta: 0, reservedDelta: 30, reason: "order", actorId: null }));
    const mismatches = await rows<{ product_id: string }>(sql`
      select i.product_id from inventory i
      left join (select product_id, sum(on_hand_delta)::int as on_hand, sum(reserved_delta)::int as reserved from stock_movements group by product_id) m on m.product_id = i.product_id
      where i.on_hand <> coalesce(m.on_hand, 0) or i.reserved <> coalesce(m.reserved, 0)`);
    expect(mismatches).toEqual([]);
    const [level] = await rows<{ on_hand: number; reserved: number }>(sql`select on_hand, reserved from inventory where product_id = ${id}`);
    expect(level).toEqual({ on_hand: 210, reserved: 30 });
  });

  it("refuses an adjustment below the reserved quantity with a clear message, and the database refuses negative availability", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const id = await newProduct("INV-0002");
    await runMutation(receiveStock, { actor: admin, request: request(), idempotencyKey: key("r") }, { productId: id, quantity: "20" });
    await db.transaction((tx) => applyStockMovement(tx, { productId: id, kind: "reservation", onHandDelta: 0, reservedDelta: 12, reason: "order", actorId: null }));
    const refused = await runMutation(adjustStock, { actor: admin, request: request(), idempotencyKey: key("a") }, { productId: id, countedOnHand: "5", reason: "Stock count" });
    expect(refused).toMatchObject({
      ok: false,
      fieldErrors: { countedOnHand: ["On hand cannot go below the 12 units reserved for orders. Release or ship those first."] },
    });
    const overReserve = await db
      .transaction((tx) => applyStockMovement(tx, { productId: id, kind: "reservation", onHandDelta: 0, reservedDelta: 9, reason: "order", actorId: null }))
      .then(() => "reserved", (e: Error) => e.message);
    expect(overReserve).toBe("Not enough stock: this change would take availability below zero.");
    await expect(db.execute(sql`update inventory set on_hand = 11 where product_id = ${id}`)).rejects.toThrow();
    const ok = await runMutation(adjustStock, { actor: admin, request: request(), idempotencyKey: key("a") }, { productId: id, countedOnHand: "15", reason: "Damaged in storage" });
    expect(ok).toMatchObject({ ok: true, data: { onHand: 15, reserved: 12 } });
    const [audit] = await rows<{ diff: unknown }>(sql`select diff from audit_events where action = 'stock.adjust' and entity_id = ${id}`);
    expect(audit!.diff).toEqual({ before: { onHand: 20 }, after: { onHand: 15 }, reason: "Damaged in storage" });
  });
});

describe("CSV import", () => {
  const header = "sku,name,category,base_price,tax_rate,min_order_quantity,order_multiple,tiers\n";

  it("changes nothing when one row is bad, and names the row", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const before = await count(sql`select count(*)::int as n from products`);
    const csv = header + "CSV-1,Good one,Imports,5.00,19,1,1,\nCSV-2,Bad price,Imports,abc,19,1,1,\nCSV-3,Also good,Imports,7.50,19,1,1,\"10: 7.00\"\n";
    const result = await runMutation(importProducts, { actor: admin, request: request(), idempotencyKey: key("i") }, { csv });
    expect(result).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: "1 problem found; nothing was imported. Fix the file and upload it again.",
      fieldErrors: { csv: ["Row 3 (SKU CSV-2): base_price: Enter a price such as 12.50."] },
    });
    expect(await count(sql`select count(*)::int as n from products`)).toBe(before);
  });

  it("reports duplicates, unknown columns and rising tiers", () => {
    expect(parseProductCsv("sku,name,colour\n")).toEqual({ errors: [expect.stringMatching(/^Unknown column: colour\./), "Missing columns: category, base_price."] });
    const r = parseProductCsv(header + "A-1,x,c,5,19,1,1,\"10: 6\"\na-1,y,c,5,19,1,1,\n");
    expect(r).toEqual({ errors: ["Row 2 (SKU A-1): tiers: The 10+ tier costs more per unit than smaller quantities.", "Row 3 (SKU a-1): sku: a-1 already appears on row 2."] });
  });

  it("imports 10,000 rows in one file, upserting by SKU, and a re-import changes nothing", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const lines = Array.from({ length: 10_000 }, (_, i) => `BULK-${String(i).padStart(5, "0")},Bulk item ${i},Bulk,${(i % 500) + 1}.25,19,1,1,${i % 3 === 0 ? '"10: 1.00"' : ""}`);
    const csv = header + lines.join("\n");
    const first = await runMutation(importProducts, { actor: admin, request: request(), idempotencyKey: key("i") }, { csv });
    expect(first).toEqual({ ok: true, data: { rows: 10_000, created: 10_000, updated: 0, unchanged: 0 } });
    expect(await count(sql`select count(*)::int as n from products where sku like 'BULK-%'`)).toBe(10_000);
    expect(await count(sql`select count(*)::int as n from inventory i join products p on p.id = i.product_id where p.sku like 'BULK-%'`)).toBe(10_000);
    expect(await count(sql`select count(*)::int as n from product_price_tiers t join products p on p.id = t.product_id where p.sku like 'BULK-%'`)).toBe(3334);

    const changed = csv.replace("BULK-00007,Bulk item 7,Bulk,8.25", "bulk-00007,Bulk item seven,Bulk,9.99");
    const second = await runMutation(importProducts, { actor: admin, request: request(), idempotencyKey: key("i") }, { csv: changed });
    expect(second).toEqual({ ok: true, data: { rows: 10_000, created: 0, updated: 1, unchanged: 9_999 } });
    const [p] = await rows<{ name: string; base_price_minor: string }>(sql`select name, base_price_minor::text from products where lower(sku) = 'bulk-00007'`);
    expect(p).toEqual({ name: "Bulk item seven", base_price_minor: "999" });
  }, 120_000);
});

describe("customer prices", () => {
  it("never shows one company's contract price to another company", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const acme = await actorByEmail("buyer@acme.test");
    const globex = await actorByEmail("buyer@globex.test");
    await newProduct("SECRET-1", "100.00", { tiers: "10: 95.00" });
    const list = await runMutation(createPriceList, { actor: admin, request: request(), idempotencyKey: key("l") }, { name: "Acme secret deal", validFrom: today, validTo: "" });
    if (!list.ok) throw new Error(list.error);
    await runMutation(upsertPriceListEntry, { actor: admin, request: request() }, { priceListId: list.data.id, sku: "secret-1", unitPrice: "61.00", tiers: "100: 55.00" });
    await runMutation(setPriceListAssignment, { actor: admin, request: request() }, { priceListId: list.data.id, companyId: acme.companyId!, assigned: "true" });

    const acmeView = await getPricedProduct(db, acme.companyId, "SECRET-1", today);
    expect(acmeView?.priceTable.map((r) => [r.fromQuantity, r.price.unitPriceMinor, r.price.explanation])).toEqual([
      [1, 6100n, "Contract price, Acme secret deal"],
      [100, 5500n, "Contract price, Acme secret deal, 100+ tier"],
    ]);
    const globexView = await getPricedProduct(db, globex.companyId, "SECRET-1", today);
    expect(globexView?.priceTable.map((r) => [r.fromQuantity, r.price.unitPriceMinor, r.price.explanation])).toEqual([
      [1, 10000n, "List price"],
      [10, 9500n, "List price, 10+ tier"],
    ]);
    const globexSearch = await searchCatalog(db, globex.companyId, { q: "SECRET-1", date: today });
    expect(globexSearch.rows.map((r) => [r.sku, r.price.unitPriceMinor, r.price.priceListName])).toEqual([["SECRET-1", 10000n, null]]);
    expect(JSON.stringify(globexSearch, (_, v) => (typeof v === "bigint" ? v.toString() : v))).not.toMatch(/6100|Acme secret/);
    const acmeSearch = await searchCatalog(db, acme.companyId, { q: "SECRET-1", date: today });
    expect(acmeSearch.rows[0]?.price).toMatchObject({ unitPriceMinor: 6100n, explanation: "Contract price, Acme secret deal" });
  });

  it("finds products with a small typo and sorts by the company's own price", async () => {
    const acme = await actorByEmail("buyer@acme.test");
    const typo = await searchCatalog(db, acme.companyId, { q: "hamer", date: today });
    expect(typo.rows.length).toBeGreaterThan(0);
    expect(typo.rows.every((r) => /hammer/i.test(r.name))).toBe(true);
    const cheap = await searchCatalog(db, acme.companyId, { category: "Power Tools", sort: "price_asc", date: today, pageSize: 100 });
    const prices = cheap.rows.map((r) => r.price.unitPriceMinor);
    expect(prices).toEqual([...prices].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(cheap.rows.every((r) => r.category === "Power Tools")).toBe(true);
    const inStock = await searchCatalog(db, acme.companyId, { inStock: true, date: today, pageSize: 500 });
    expect(inStock.rows.every((r) => r.stock.available > 0)).toBe(true);
  });

  it("pages with a stable order and no duplicates", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const r = await searchCatalog(db, buyer.companyId, { category: "Fasteners", date: today, page, pageSize: 7 });
      seen.push(...r.rows.map((x) => x.id));
      if (!r.hasNext) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(20);
  });
});

/** Every page of a search, in order (stops at the last page). */
async function allPages(companyId: string | null, params: Omit<CatalogParams, "page">): Promise<CatalogRow[]> {
  const out: CatalogRow[] = [];
  for (let page = 1; page < 1000; page++) {
    const r = await searchCatalog(db, companyId, { ...params, page });
    out.push(...r.rows);
    if (!r.hasNext) return out;
  }
  throw new Error("more than 1000 pages");
}

async function ok<T>(result: Promise<{ ok: true; data: T } | { ok: false; error: string }>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new Error(r.error);
  return r.data;
}

describe("sorting by the company's own price", () => {
  it("orders exactly as the pricing function does, with two contract lists, on both sides of their validity boundary", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const as = (prefix: string) => ({ actor: admin, request: request(), idempotencyKey: key(prefix) });
    const company = await ok(runMutation(createCompany, as("c"), { name: `Price Order Co ${key("n")}`, paymentTermsDays: "30", creditLimit: "" }));
    const category = `Price order ${key("cat")}`;
    // Names that sort the same in every collation; equal prices are ordered by name.
    const specs: [string, string, string?][] = [
      ["01", "20.00", "10: 18.00"],
      ["02", "15.00"],
      ["03", "15.00"],
      ["04", "30.00", "5: 25.00"],
      ["05", "8.00"],
      ["06", "12.00"],
      ["07", "40.00"],
      ["08", "25.00"],
      ["09", "5.00"],
      ["10", "18.00"],
    ];
    const ids = new Map<string, string>();
    for (const [n, basePrice, tiers] of specs) {
      const p = await ok(runMutation(createProduct, as("p"), { sku: `PO-${category.slice(-8)}-${n}`, name: `Price order item ${n}`, category, basePrice, tiers: tiers ?? "" }));
      ids.set(n, p.id);
    }
    await ok(runMutation(setProductArchived, as("a"), { id: ids.get("09")!, archived: "true" }));
    const sku = (n: string) => `PO-${category.slice(-8)}-${n}`;

    // March: list A (cheaper, dearer and equal-to-another-base prices, with tiers); from April: list B.
    const march = await ok(runMutation(createPriceList, as("l"), { name: `March ${key("l")}`, validFrom: "2030-03-01", validTo: "2030-03-31" }));
    const april = await ok(runMutation(createPriceList, as("l"), { name: `April ${key("l")}`, validFrom: "2030-04-01", validTo: "" }));
    const entries: [string, string, string, string?][] = [
      [march.id, "01", "9.00", "50: 8.00"],
      [march.id, "04", "15.00"],
      [march.id, "07", "41.00"],
      [march.id, "10", "12.00"],
      [april.id, "05", "50.00"],
      [april.id, "02", "1.00", "10: 0.90"],
      [april.id, "08", "15.00"],
    ];
    for (const [priceListId, n, unitPrice, tiers] of entries) {
      await ok(runMutation(upsertPriceListEntry, { actor: admin, request: request() }, { priceListId, sku: sku(n), unitPrice, tiers: tiers ?? "" }));
    }
    for (const list of [march, april]) {
      await ok(runMutation(setPriceListAssignment, { actor: admin, request: request() }, { priceListId: list.id, companyId: company.id, assigned: "true" }));
    }

    const inputs = await pricingInputs(db, company.id, [...ids.values()]);
    const expected = (date: string, descending: boolean) =>
      [...inputs.values()]
        .filter((i) => !i.archived)
        .map((i) => ({ name: i.name, price: resolveUnitPrice({ product: i.product, lists: i.lists, quantity: 1, date }).unitPriceMinor }))
        .sort((a, b) => (a.price === b.price ? (a.name < b.name ? -1 : 1) : (a.price < b.price) !== descending ? -1 : 1))
        .map((r) => `${r.name.slice(-2)} ${r.price}`);

    const seen: Record<string, string[]> = {};
    for (const date of ["2030-02-28", "2030-03-01", "2030-03-31", "2030-04-01"]) {
      for (const sort of ["price_asc", "price_desc"] as const) {
        // Three to a page: page 1 needs 4 rows and March's list has 4 entries here, so the base price
        // stream is cut at the 4th contract price; later pages need more rows than the list has.
        const got = await allPages(company.id, { category, sort, date, pageSize: 3 });
        expect(got.map((r) => `${r.name.slice(-2)} ${r.price.unitPriceMinor}`), `${date} ${sort}`).toEqual(expected(date, sort === "price_desc"));
        seen[`${date} ${sort}`] = got.map((r) => r.name.slice(-2));
      }
    }
    // Equal prices across the two streams, in the cut: the contract stream's 4th price is 10.00, and
    // base-priced products at exactly 10.00 with earlier names still come first.
    const ties = `${category} ties`;
    for (const n of [1, 2, 3, 4, 5, 6]) await ok(runMutation(createProduct, as("p"), { sku: `${sku("T")}${n}`, name: `Tie item ${n}`, category: ties, basePrice: "10.00" }));
    for (const n of [2, 4, 5, 6]) {
      await ok(runMutation(upsertPriceListEntry, { actor: admin, request: request() }, { priceListId: march.id, sku: `${sku("T")}${n}`, unitPrice: "10.00", tiers: "" }));
    }
    for (const sort of ["price_asc", "price_desc"] as const) {
      const got = await allPages(company.id, { category: ties, sort, date: "2030-03-15", pageSize: 3 });
      expect(got.map((r) => `${r.name.slice(-1)} ${r.price.rule}`)).toEqual(["1 base", "2 contract", "3 base", "4 contract", "5 contract", "6 contract"]);
    }

    // The figures themselves, so a wrong pricing function cannot pass by agreeing with itself.
    expect(expected("2030-02-28", false)).toEqual(["05 800", "06 1200", "02 1500", "03 1500", "10 1800", "01 2000", "08 2500", "04 3000", "07 4000"]);
    expect(expected("2030-03-31", false)).toEqual(["05 800", "01 900", "06 1200", "10 1200", "02 1500", "03 1500", "04 1500", "08 2500", "07 4100"]);
    expect(seen["2030-04-01 price_asc"]).toEqual(["02", "06", "03", "08", "10", "01", "04", "07", "05"]);
    expect(seen["2030-04-01 price_desc"]).toEqual(["05", "07", "04", "01", "10", "03", "08", "06", "02"]);
  });

  it("pages the whole catalogue in the company's price order, every active product once, as the pricing function prices it", async () => {
    const globex = await actorByEmail("buyer@globex.test");
    const companyId = globex.companyId!;
    const date = new Date().toISOString().slice(0, 10);
    const active = await rows<{ id: string }>(sql`select id from products where archived_at is null`);
    const inputs = await pricingInputs(db, companyId, active.map((r) => r.id));
    const priced = [...inputs.values()].map((i) => ({ id: i.productId, price: resolveUnitPrice({ product: i.product, lists: i.lists, quantity: 1, date }) }));
    // Globex's list prices every third demo product, so both streams take part.
    expect(new Set(priced.map((p) => p.price.rule))).toEqual(new Set(["contract", "base"]));
    for (const descending of [false, true]) {
      // The expected order: the pricing function's prices, sorted by PostgreSQL (names in its collation).
      const values = sql.join(priced.map((p) => sql`(${p.id}::uuid, ${p.price.unitPriceMinor}::bigint)`), sql`, `);
      const expected = await rows<{ id: string }>(sql`
        select v.id from (values ${values}) v(id, price) join products p on p.id = v.id
        order by v.price ${sql.raw(descending ? "desc" : "asc")}, p.name, p.id`);
      const sort = descending ? "price_desc" : "price_asc";
      const got = await allPages(companyId, { sort, date, pageSize: 1000 });
      expect(got.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      expect(got.map((r) => r.price.unitPriceMinor)).toEqual(got.map((r) => priced.find((p) => p.id === r.id)!.price.unitPriceMinor));
      // A page small enough for the contract stream to hold it: the base price stream is cut at its last price.
      const first = await searchCatalog(db, companyId, { sort, date, pageSize: 50 });
      expect(first.rows.map((r) => r.id)).toEqual(expected.slice(0, 50).map((r) => r.id));
    }
  }, 60_000);
});

describe("search", () => {
  it("ranks name matches first and all of them by ts_rank when there are few matches", async () => {
    const category = `Rank ${key("cat")}`;
    // Some mention the word in the name, some in the description (once or twice), one only by category.
    await db.execute(sql`
      insert into products (sku, name, description, category, base_price_minor, currency)
      select 'RANK-S-' || i, case when i % 4 = 0 then 'Quillon guard ' || i else 'Plain part ' || i end,
        case when i % 3 = 0 then 'A quillon, and a quillon again.' when i % 3 = 1 then 'Fits any quillon.' else '' end,
        ${category}, 100 + i, 'EUR'
      from generate_series(1, 30) i`);
    const expectedOrder = await rows<{ name: string }>(sql`
      select name from products
      where category = ${category} and search_vector @@ websearch_to_tsquery('english', 'quillon')
      order by ts_rank(search_vector, websearch_to_tsquery('english', 'quillon')) desc, name, id`);
    const got = await allPages(null, { q: "quillon", category, date: today, pageSize: 7 });
    expect(got.map((r) => r.name)).toEqual(expectedOrder.map((r) => r.name));
    expect(got.length).toBe(22);
    expect(got.slice(0, 7).every((r) => r.name.startsWith("Quillon guard"))).toBe(true);
  });

  it("with more matches than it ranks, lists name matches first and says that the list is cut short", async () => {
    const category = `Many ${key("cat")}`;
    // 600 products mention the word only in their description, 3 in their name; the name
    // matches were inserted last, so an unordered first 501 matches would leave them out.
    await db.execute(sql`
      insert into products (sku, name, description, category, base_price_minor, currency)
      select 'MANY-' || i, 'Filler part ' || lpad(i::text, 3, '0'), 'Works with any zephyrine fitting.', ${category}, 100 + i, 'EUR'
      from generate_series(1, 600) i`);
    await db.execute(sql`
      insert into products (sku, name, description, category, base_price_minor, currency)
      values ('MANY-Z1', 'Zephyrine valve large', '', ${category}, 500, 'EUR'), ('MANY-Z2', 'Zephyrine valve small', 'A zephyrine valve.', ${category}, 400, 'EUR'),
        ('MANY-Z3', 'Zephyrine adaptor', '', ${category}, 300, 'EUR')`);
    const first = await searchCatalog(db, null, { q: "zephyrine", date: today });
    expect(first.capped).toBe(true);
    expect(first.fuzzy).toBe(false);
    // Z2 has the word in its description as well, so it ranks above the other two.
    expect(first.rows.slice(0, 4).map((r) => r.name)).toEqual(["Zephyrine valve small", "Zephyrine adaptor", "Zephyrine valve large", expect.stringMatching(/^Filler part \d{3}$/)]);
    const all = await allPages(null, { q: "zephyrine", date: today });
    expect(all.length).toBe(CATALOG_RANKED_MATCHES);
    expect(new Set(all.map((r) => r.id)).size).toBe(CATALOG_RANKED_MATCHES);
    // Sorting by name is not a relevance search: every match, in order, no cut.
    const byName = await allPages(null, { q: "zephyrine", date: today, sort: "name", pageSize: 100 });
    expect(byName.length).toBe(603);
    expect(byName[0]!.name).toBe("Filler part 001");
    expect(byName.at(-1)!.name).toBe("Zephyrine valve small");
    const narrowed = await searchCatalog(db, null, { q: "zephyrine valve", date: today });
    expect(narrowed).toMatchObject({ capped: false, hasNext: false });
    expect(narrowed.rows.map((r) => r.name)).toEqual(["Zephyrine valve small", "Zephyrine valve large"]);
  });

  it("finds a misspelt word by its nearest words in product names, also after a rename", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const as = (prefix: string) => ({ actor: admin, request: request(), idempotencyKey: key(prefix) });
    const fields = { category: "Typo test", basePrice: "9.00" };
    await ok(runMutation(createProduct, as("p"), { ...fields, sku: "TYPO-1", name: "Zylinderkopfschraube M6" }));
    // One dropped letter in the middle of a long word: word_similarity 0.55, under the old 0.6 filter.
    const dropped = await searchCatalog(db, null, { q: "zylinderkopfschrube", date: today });
    expect(dropped).toMatchObject({ fuzzy: true, capped: false });
    expect(dropped.rows.map((r) => r.sku)).toEqual(["TYPO-1"]);
    const twoWords = await searchCatalog(db, null, { q: "zylinderkopfschrube m6", date: today, sort: "name" });
    expect(twoWords.rows.map((r) => r.sku)).toEqual(["TYPO-1"]);
    const nothingNear = await searchCatalog(db, null, { q: "qqqqxxxx", date: today });
    expect(nothingNear).toMatchObject({ fuzzy: true, rows: [], hasNext: false });

    // A misspelt name corrected later: its old word stays in the lexicon, but the new one is tried too.
    const p = await ok(runMutation(createProduct, as("p"), { ...fields, sku: "TYPO-2", name: "Torque wrnch Pro" }));
    await ok(runMutation(updateProduct, as("u"), { ...fields, id: p.id, sku: "TYPO-2", name: "Torque wrench Pro" }));
    const renamed = await searchCatalog(db, null, { q: "torque wrnch", date: today });
    expect(renamed.fuzzy).toBe(true);
    expect(renamed.rows.map((r) => r.sku)).toEqual(["TYPO-2"]);
    const words = await rows<{ word: string }>(sql`select word from catalog_words where word in ('zylinderkopfschraube', 'wrnch', 'wrench', 'torque') group by word order by word`);
    expect(words.map((w) => w.word)).toEqual(["torque", "wrench", "wrnch", "zylinderkopfschraube"]);

    // Words from an import reach the lexicon too (a statement-level trigger on products).
    const csv = "sku,name,category,base_price\nTYPO-3,Quokkaflansch adapter,Typo test,4.00\n";
    await ok(runMutation(importProducts, as("i"), { csv }));
    const imported = await searchCatalog(db, null, { q: "quokaflansch", date: today });
    expect(imported.rows.map((r) => r.sku)).toEqual(["TYPO-3"]);
  });
});
