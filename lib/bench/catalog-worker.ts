// One catalogue measurement at one size, in its own process (the app's db handle is per process).
// Seeds N products into the database at DATABASE_URL, then times the catalogue page's queries.
// Prints one JSON line: { size, results: { [operation]: medianMs } }.
import { performance } from "node:perf_hooks";
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";

const size = Number(process.argv[2]);
const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { searchCatalog, listCategories, getPricedProduct } = await import("@/db/queries/catalog");

await runMigrations();

// Product names mix common words (a broad search hits a share of the catalogue) with a rare
// "model" word shared by exactly 10 products at any size, so rare-word searches return the same
// number of rows at 1,000 and 100,000 products and any growth in time is the index, not the result.
await db.execute(sql`
  with params as (select ${size}::int as n),
  gen as (
    select i, (i % greatest(n / 10, 1)) as w from params, generate_series(0, (select n from params) - 1) as i
  )
  insert into products (sku, name, description, category, unit, base_price_minor, currency, tax_rate_bp, min_order_quantity, order_multiple, low_stock_threshold)
  select
    'SKU-' || lpad(i::text, 7, '0'),
    (array['Steel','Brass','Nylon','Heavy','Compact','Industrial','Precision','Galvanised'])[1 + i % 8] || ' ' ||
    (array['hammer','bolt','washer','bracket','valve','cable','glove','sealant','drill','clamp'])[1 + (i / 8) % 10] || ' ' ||
    initcap(translate(substr(md5(w::text), 1, 8), '0123456789', 'ghijklmnop')),
    'Generated product ' || i || ' for the catalogue benchmark.',
    (array['Fasteners','Hand Tools','Power Tools','Safety','Electrical','Plumbing','Adhesives','Packaging','Cleaning','Office'])[1 + i % 10],
    'each', 100 + (i * 7919) % 100000, 'EUR', 1900, 1, 1, 10
  from gen`);
await db.execute(sql`insert into inventory (product_id, on_hand) select id, (abs(hashtext(id::text)) % 200) from products`);
await db.execute(sql`insert into companies (name, currency) values ('Bench Co', 'EUR')`);
await db.execute(sql`insert into price_lists (name, currency, valid_from) values ('Bench list', 'EUR', '2000-01-01')`);
await db.execute(sql`insert into price_list_assignments (company_id, price_list_id) select c.id, l.id from companies c, price_lists l`);
await db.execute(sql`insert into price_list_entries (price_list_id, product_id, unit_price_minor) select l.id, p.id, p.base_price_minor * 9 / 10 from products p, price_lists l where abs(hashtext(p.id::text)) % 3 = 0`);
// VACUUM, not only ANALYZE: rows inserted after a GIN index was built wait in its pending list
// (up to gin_pending_list_limit, 4 MB), which every search reads through in full until a vacuum
// merges it into the index. Autovacuum does that some time after a bulk load, or never where it is
// turned off, so without this the run would measure the load's leftovers, more or less of them
// depending on when autovacuum happened to run.
await db.execute(sql`vacuum analyze`);
const [company] = await queryRows<{ id: string }>(db, sql`select id from companies where name = 'Bench Co'`);
const companyId = company!.id;
const date = "2026-06-01";
// Word 0, as the SQL above makes it; the typo drops its fifth letter.
const rare = createHash("md5").update("0").digest("hex").slice(0, 8).replace(/[0-9]/g, (d) => "ghijklmnop"[Number(d)]!);
const typo = rare.slice(0, 4) + rare.slice(5);

const operations: Record<string, () => Promise<unknown>> = {
  "browse page 1 (name order)": () => searchCatalog(db, companyId, { date }),
  "browse page 5 (name order)": () => searchCatalog(db, companyId, { date, page: 5 }),
  "category filter + in stock": () => searchCatalog(db, companyId, { date, category: "Plumbing", inStock: true }),
  "search exact SKU": () => searchCatalog(db, companyId, { date, q: "SKU-0000042" }),
  "search rare word (10 matches)": () => searchCatalog(db, companyId, { date, q: rare }),
  "typo fallback (nearest words)": () => searchCatalog(db, companyId, { date, q: typo }),
  "search two words (rare + common)": () => searchCatalog(db, companyId, { date, q: `${rare} hammer` }),
  "product page (price table)": () => getPricedProduct(db, companyId, "SKU-0000042", date),
  "category list": () => listCategories(db),
  "common word, 100x matches": () => searchCatalog(db, companyId, { date, q: "hammer" }),
  "sort by company price": () => searchCatalog(db, companyId, { date, sort: "price_asc" }),
};

const results: Record<string, number> = {};
const rows: Record<string, number> = {};
for (const [name, run] of Object.entries(operations)) {
  for (let i = 0; i < 5; i++) await run(); // warm-up: plans and buffers
  const times: number[] = [];
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    const r = (await run()) as { rows?: unknown[] } | null;
    times.push(performance.now() - t);
    rows[name] = r && "rows" in r && Array.isArray(r.rows) ? r.rows.length : 1;
  }
  times.sort((a, b) => a - b);
  results[name] = times[Math.floor(times.length / 2)]!;
}
console.log(JSON.stringify({ size, results, rows }));
await closeDb();
