import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { describe, expect, it, vi } from "vitest";
import { db } from "@/db/client";
import { getPricedProduct, listCategories, pricingInputs, searchCatalog } from "@/db/queries/catalog";
import { getCart } from "@/db/queries/orders";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { setCompanyAssortment } from "@/lib/services/assortments";
import { createCompanyApiKey } from "@/lib/services/api-keys";
import { receiveStock } from "@/lib/services/inventory";
import { addToCart, quickOrder, setCartLine } from "@/lib/services/orders/cart";
import { placeOrder, submitCart } from "@/lib/services/orders/quotations";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { deleteProductImage, processProductImage, uploadProductImage } from "@/lib/services/product-images";
import { createProduct } from "@/lib/services/products";
import { createUser } from "@/lib/services/users";
import * as imageRoute from "@/app/images/products/[file]/route";
import * as catalogRoute from "@/app/api/v1/catalog/products/route";
import * as catalogProductRoute from "@/app/api/v1/catalog/products/[sku]/route";
import * as ordersRoute from "@/app/api/v1/orders/route";
import * as cartLinesRoute from "@/app/api/v1/cart/lines/route";

// The image route reads the signed-in user from the session; here the test decides who that is.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/session", () => ({ getActor: async () => session.actor }));

setupTestDatabase();

let n = 0;
const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `media-${n++}-${randomUUID()}` });
const must = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.data;
};
const today = new Date().toISOString().slice(0, 10);
const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;

const png = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: { r: 20, g: 120, b: 200 } } }).png().toBuffer();

async function upload(actor: Actor, productId: string, bytes: Uint8Array) {
  const processed = await processProductImage(bytes);
  if (!processed.ok) return processed;
  return runMutation(uploadProductImage, who(actor), { productId, image: processed.image });
}

async function image(file: string, opts: { ifNoneMatch?: string } = {}) {
  const headers: Record<string, string> = opts.ifNoneMatch ? { "if-none-match": opts.ifNoneMatch } : {};
  const response = await imageRoute.GET(new Request(`http://localhost/images/products/${file}`, { headers }), { params: Promise.resolve({ file }) });
  return { status: response.status, headers: response.headers, bytes: new Uint8Array(await response.arrayBuffer()) };
}

async function product(staff: Actor, sku: string, category: string, basePrice = "10.00") {
  const p = must(await runMutation(createProduct, who(staff), { sku, name: `Media ${sku}`, category, basePrice, taxRate: "19" }));
  must(await runMutation(receiveStock, who(staff), { productId: p.id, quantity: "100" }));
  return p;
}

describe("product images", () => {
  it("resizes an upload to 160, 480 and 1200 px WebP without metadata, upright and never enlarged; replace and delete are audited", async () => {
    const staff = await actorByEmail("admin@demo.test");
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const p = await product(staff, `IMG-${tag}`, `Images ${tag}`);
    // A 3000×1500 JPEG with EXIF (a copyright tag and orientation 6: turn 90° clockwise to show).
    const jpeg = await sharp({ create: { width: 3000, height: 1500, channels: 3, background: "#c0392b" } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({ IFD0: { Copyright: "Secret Camera Co" } })
      .toBuffer();
    const input = await sharp(jpeg).metadata();
    expect([input.orientation, input.exif !== undefined]).toEqual([6, true]);
    const first = must(await upload(staff, p.id, jpeg));
    expect(first.replaced).toBe(false);

    const stored = await rows<{ width: number; actual_width: number; actual_height: number; etag: string; bytes: Uint8Array }>(
      sql`select width, actual_width, actual_height, etag, bytes from product_image_variants where image_id = ${first.imageId} order by width`,
    );
    expect(stored.map((v) => [v.width, v.actual_width, v.actual_height])).toEqual([[160, 160, 320], [480, 480, 960], [1200, 1200, 2400]]);
    for (const v of stored) {
      const meta = await sharp(Buffer.from(v.bytes)).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif, meta.orientation]).toEqual(["webp", v.actual_width, v.actual_height, undefined, undefined]);
    }
    const [original] = await rows<{ original_width: number; original_height: number; original_format: string }>(
      sql`select original_width, original_height, original_format from product_images where id = ${first.imageId}`,
    );
    expect(original).toEqual({ original_width: 1500, original_height: 3000, original_format: "jpeg" });

    // A small image is not enlarged: every rendition is 100×40.
    const second = must(await upload(staff, p.id, await png(100, 40)));
    expect(second.replaced).toBe(true);
    expect(second.imageId).not.toBe(first.imageId);
    expect(await rows(sql`select width, actual_width, actual_height from product_image_variants where image_id = ${second.imageId} order by width`)).toEqual([
      { width: 160, actual_width: 100, actual_height: 40 },
      { width: 480, actual_width: 100, actual_height: 40 },
      { width: 1200, actual_width: 100, actual_height: 40 },
    ]);
    // The replaced image and its renditions are gone (cascade).
    expect(await count(sql`select count(*)::int as n from product_image_variants where image_id = ${first.imageId}`)).toBe(0);

    expect(must(await runMutation(deleteProductImage, who(staff), { productId: p.id }))).toEqual({ deleted: true });
    expect(await count(sql`select count(*)::int as n from product_images where product_id = ${p.id}`)).toBe(0);
    const audit = await rows<{ action: string; diff: { before: Record<string, unknown> | null; after: Record<string, unknown> | null } }>(
      sql`select action, diff from audit_events where entity_id = ${p.id} and action like 'product.image%' order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["product.image_upload", "product.image_replace", "product.image_delete"]);
    expect(audit[0]!.diff.after).toMatchObject({ imageId: first.imageId, format: "jpeg", width: 1500, height: 3000, renditions: ["160x320", "480x960", "1200x2400"] });
    expect(audit[1]!.diff.before).toEqual({ imageId: first.imageId });
    expect(audit[2]!.diff.before).toEqual({ imageId: second.imageId, sku: p.sku });
  });

  it("accepts JPEG, PNG and WebP by their bytes only, and refuses the rest next to the field", async () => {
    const staff = await actorByEmail("admin@demo.test");
    const webp = await sharp({ create: { width: 50, height: 50, channels: 4, background: "#00ff0080" } }).webp().toBuffer();
    expect((await processProductImage(webp)).ok).toBe(true);
    const gif = await sharp({ create: { width: 20, height: 20, channels: 3, background: "#000" } }).gif().toBuffer();
    expect(await processProductImage(gif)).toEqual({
      ok: false,
      code: "validation_failed",
      error: "This file is a GIF image. Upload a JPEG, PNG or WebP image.",
      fieldErrors: { image: ["This file is a GIF image. Upload a JPEG, PNG or WebP image."] },
    });
    const text = new TextEncoder().encode("not an image, whatever the name .png says");
    expect(await processProductImage(text)).toMatchObject({ ok: false, fieldErrors: { image: ["This file is not an image we can read. Upload a JPEG, PNG or WebP image."] } });
    const truncated = (await png(400, 400)).subarray(0, 200);
    expect((await processProductImage(truncated)).ok).toBe(false);
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    expect(await processProductImage(big)).toMatchObject({ ok: false, fieldErrors: { image: ["The image is larger than 5 MB. Choose a file of at most 5 MB."] } });
    expect(await processProductImage(new Uint8Array(0))).toMatchObject({ ok: false, fieldErrors: { image: ["Choose an image file."] } });
    // The mutation takes only a decoded image, never raw bytes.
    const p = await product(staff, `IMG-RAW-${randomUUID().slice(0, 6)}`, "Images raw");
    expect(await runMutation(uploadProductImage, who(staff), { productId: p.id, image: await png(10, 10) })).toMatchObject({ ok: false, fieldErrors: { image: ["Choose an image file."] } });
    // Only products.manage uploads (finance may not; the refusal is audited).
    const finance = await actorByEmail("finance@demo.test");
    expect(await upload(finance, p.id, await png(10, 10))).toMatchObject({ ok: false, code: "forbidden" });
  });

  it("serves a rendition with a content-hash ETag, a year of private immutable caching, and 304 on If-None-Match", async () => {
    const staff = await actorByEmail("admin@demo.test");
    const p = await product(staff, `IMG-SRV-${randomUUID().slice(0, 6)}`, "Images served");
    const { imageId } = must(await upload(staff, p.id, await png(800, 400)));
    session.actor = staff;
    const ok = await image(`${imageId}-480.webp`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("image/webp");
    expect(ok.headers.get("cache-control")).toBe("private, max-age=31536000, immutable");
    const [row] = await rows<{ etag: string; bytes: Uint8Array }>(sql`select etag, bytes from product_image_variants where image_id = ${imageId} and width = 480`);
    expect(ok.headers.get("etag")).toBe(`"${row!.etag}"`);
    expect(Buffer.from(ok.bytes).equals(Buffer.from(row!.bytes))).toBe(true);
    const meta = await sharp(Buffer.from(ok.bytes)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 480, 240]);
    const { createHash } = await import("node:crypto");
    expect(createHash("sha256").update(ok.bytes).digest("hex").slice(0, 32)).toBe(row!.etag);

    const notModified = await image(`${imageId}-480.webp`, { ifNoneMatch: `"${row!.etag}"` });
    expect([notModified.status, notModified.bytes.byteLength, notModified.headers.get("etag"), notModified.headers.get("cache-control")]).toEqual([304, 0, `"${row!.etag}"`, "private, max-age=31536000, immutable"]);
    expect((await image(`${imageId}-480.webp`, { ifNoneMatch: `W/"${row!.etag}"` })).status).toBe(304);
    expect((await image(`${imageId}-480.webp`, { ifNoneMatch: '"0123456789abcdef0123456789abcdef"' })).status).toBe(200);

    expect((await image(`${imageId}-481.webp`)).status).toBe(404);
    expect((await image(`${imageId}-480.png`)).status).toBe(404);
    expect((await image(`${randomUUID()}-480.webp`)).status).toBe(404);
    session.actor = null;
    expect((await image(`${imageId}-480.webp`)).status).toBe(404);
  });
});

type Handler = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function api(handler: Handler, key: string, path: string, opts: { params?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    headers["idempotency-key"] = `idem-${randomUUID()}`;
  }
  const response = await handler(new Request(`http://localhost/api/v1${path}`, { method: opts.body === undefined ? "GET" : "POST", headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }), {
    params: Promise.resolve(opts.params ?? {}),
  });
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, unknown> };
}

describe("customer assortments", () => {
  /**
   * A company limited to the category "Kept {tag}" plus one listed product of "Other {tag}"; a second
   * product of "Other {tag}" is outside its assortment. Every catalogue-reading path is walked.
   */
  async function world() {
    const staff = await actorByEmail("admin@demo.test");
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency) values (${`Limited ${tag}`}, 'EUR') returning id`);
    const admin = must(await runMutation(createUser, who(staff), { email: uniqueEmail("limited"), name: "Limited Admin", role: "customer_admin", companyId: company!.id, password: "violet-harbour-93-kettle" }));
    const buyer = await actorByEmail(admin.email);
    const kept = await product(staff, `KEPT-${tag}`, `Kept ${tag}`, "5.00");
    const listed = await product(staff, `LISTED-${tag}`, `Other ${tag}`, "6.00");
    const excluded = await product(staff, `EXCL-${tag}`, `Other ${tag}`, "1.00");
    const excludedImage = must(await upload(staff, excluded.id, await png(300, 300)));
    // A contract price list, so the price-ordered page shape (two merged streams) is walked too.
    const list = must(await runMutation(createPriceList, who(staff), { name: `Limited ${tag}`, currency: "EUR", validFrom: "2020-01-01", validTo: "" }));
    must(await runMutation(upsertPriceListEntry, who(staff), { priceListId: list.id, sku: excluded.sku, unitPrice: "0.01", tiers: "" }));
    must(await runMutation(setPriceListAssignment, who(staff), { priceListId: list.id, companyId: company!.id, assigned: "true" }));
    const apiKey = must(await runMutation(createCompanyApiKey, who(buyer), { name: "ERP", scopes: ["catalog:read", "orders:read", "orders:write"] }));
    return { staff, tag, companyId: company!.id, buyer, kept, listed, excluded, excludedImage, apiKey: apiKey.key };
  }

  const limit = (w: Awaited<ReturnType<typeof world>>, actor: Actor, fields: { categories?: string[]; skus?: string }) =>
    runMutation(setCompanyAssortment, who(actor), { companyId: w.companyId, categories: fields.categories ?? [], skus: fields.skus ?? "" });

  it("is edited by pricing.manage only, validated against real categories and SKUs, and audited", async () => {
    const w = await world();
    const finance = await actorByEmail("finance@demo.test");
    expect(await limit(w, finance, { categories: [`Kept ${w.tag}`] })).toMatchObject({ ok: false, code: "forbidden" });
    expect(await limit(w, w.staff, { categories: ["No such category"], skus: `${w.listed.sku}\nNOPE-${w.tag}` })).toMatchObject({
      ok: false,
      error: "Some entries need attention; the assortment was not changed.",
      fieldErrors: { categories: ["No product has the category No such category."], skus: [`No active product has the SKU NOPE-${w.tag}.`] },
    });
    const sales = await actorByEmail("sales@demo.test");
    const set = await limit(w, sales, { categories: [`Kept ${w.tag}`, `Kept ${w.tag}`], skus: `${w.listed.sku.toLowerCase()}, ${w.listed.sku}` });
    expect(set).toEqual({ ok: true, data: { companyId: w.companyId, limited: true, categories: 1, products: 1 } });
    const [audit] = await rows<{ diff: unknown }>(sql`select diff from audit_events where action = 'company.assortment_set' and entity_id = ${w.companyId}`);
    expect(audit!.diff).toEqual({ before: { categories: [], skus: [] }, after: { categories: [`Kept ${w.tag}`], skus: [w.listed.sku] } });
    // The database keeps one row per category and product (primary keys) and refuses unknown products (FK).
    await expect(db.execute(sql`insert into company_assortment_products (company_id, product_id) values (${w.companyId}, ${randomUUID()})`)).rejects.toThrow();
    expect(await limit(w, w.staff, {})).toEqual({ ok: true, data: { companyId: w.companyId, limited: false, categories: 0, products: 0 } });
  });

  it("holds on every catalogue-reading path for a limited company, and an unlimited one sees everything", async () => {
    const w = await world();
    const visibleSkus = [w.kept.sku, w.listed.sku].sort();
    const ours = (skus: string[]) => skus.filter((s) => s.endsWith(w.tag)).sort();

    // Before limiting: all three.
    expect(ours((await searchCatalog(db, w.companyId, { q: w.tag, date: today, pageSize: 50 })).rows.map((r) => r.sku))).toEqual([w.excluded.sku, w.kept.sku, w.listed.sku].sort());
    must(await limit(w, w.staff, { categories: [`Kept ${w.tag}`], skus: w.listed.sku }));

    // searchCatalog, every page shape: browse by name, by SKU, by company price (merged streams), category filter,
    // relevance search, search sorted by name, in-stock filter.
    const shapes = [
      { sort: "name" as const },
      { sort: "sku" as const },
      { sort: "price_asc" as const },
      { sort: "price_desc" as const },
      { category: `Other ${w.tag}` },
      { q: w.tag },
      { q: w.tag, sort: "name" as const },
      { q: w.tag, inStock: true },
    ];
    for (const shape of shapes) {
      const all: string[] = [];
      for (let page = 1; page < 200; page++) {
        const r = await searchCatalog(db, w.companyId, { ...shape, date: today, page, pageSize: 100 });
        all.push(...r.rows.map((row) => row.sku));
        if (!r.hasNext) break;
      }
      expect({ shape, skus: ours(all) }).toEqual({ shape, skus: "category" in shape ? [w.listed.sku] : visibleSkus });
    }
    // Searching the excluded SKU finds nothing, and the typo fallback does not find it either.
    const bySku = await searchCatalog(db, w.companyId, { q: w.excluded.sku, date: today });
    expect(ours(bySku.rows.map((r) => r.sku))).toEqual([]);
    expect(ours((await searchCatalog(db, w.companyId, { q: `EXCL-${w.tag}x`, date: today })).rows.map((r) => r.sku))).toEqual([]);
    // Categories: the kept category and the listed product's; the rest of the catalogue is gone.
    expect(await listCategories(db, w.companyId)).toEqual([`Kept ${w.tag}`, `Other ${w.tag}`]);
    // Product page and pricing inputs.
    expect(await getPricedProduct(db, w.companyId, w.excluded.sku, today)).toBeNull();
    expect((await getPricedProduct(db, w.companyId, w.listed.sku, today))?.sku).toBe(w.listed.sku);
    const inputs = await pricingInputs(db, w.companyId, [w.kept.id, w.listed.id, w.excluded.id]);
    expect([inputs.get(w.kept.id)!.inAssortment, inputs.get(w.listed.id)!.inAssortment, inputs.get(w.excluded.id)!.inAssortment]).toEqual([true, true, false]);
    // Cart add and quick order answer as for a product that does not exist.
    expect(await runMutation(addToCart, who(w.buyer), { productId: w.excluded.id, quantity: "1" })).toMatchObject({ ok: false, fieldErrors: { quantity: ["this product is no longer available."] } });
    expect(await runMutation(quickOrder, who(w.buyer), { lines: `${w.kept.sku} 2\n${w.excluded.sku} 1` })).toMatchObject({
      ok: false,
      fieldErrors: { lines: [`Line 2: no product has SKU ${w.excluded.sku}.`] },
    });
    expect(await runMutation(placeOrder, who(w.buyer), { lines: [{ sku: w.excluded.sku, quantity: 1 }] })).toMatchObject({
      ok: false,
      fieldErrors: { "lines.0.sku": [`Line 1: no product has SKU ${w.excluded.sku}.`] },
    });
    // The image route: the excluded product's image is a 404 for this company, served to staff.
    session.actor = w.buyer;
    expect((await image(`${w.excludedImage.imageId}-160.webp`)).status).toBe(404);
    session.actor = w.staff;
    expect((await image(`${w.excludedImage.imageId}-160.webp`)).status).toBe(200);
    // Staff (no company) see every product.
    expect(ours((await searchCatalog(db, null, { q: w.tag, date: today, pageSize: 50 })).rows.map((r) => r.sku))).toEqual([w.excluded.sku, w.kept.sku, w.listed.sku].sort());

    // The API: 404 problem+json for the product, absent from the list, unknown to orders and the cart.
    const one = await api(catalogProductRoute.GET as Handler, w.apiKey, `/catalog/products/${w.excluded.sku}`, { params: { sku: w.excluded.sku } });
    expect([one.status, one.type, one.body.code]).toEqual([404, "application/problem+json; charset=utf-8", "not_found"]);
    const listed = await api(catalogProductRoute.GET as Handler, w.apiKey, `/catalog/products/${w.listed.sku}`, { params: { sku: w.listed.sku } });
    expect(listed.status).toBe(200);
    const search = await api(catalogRoute.GET as Handler, w.apiKey, `/catalog/products?q=${w.tag}&limit=50`);
    expect(search.status).toBe(200);
    expect(ours((search.body.data as { sku: string }[]).map((p) => p.sku))).toEqual(visibleSkus);
    const order = await api(ordersRoute.POST as Handler, w.apiKey, "/orders", { body: { lines: [{ sku: w.excluded.sku, quantity: 1 }] } });
    expect([order.status, order.type, order.body.code]).toEqual([400, "application/problem+json; charset=utf-8", "validation_failed"]);
    expect(JSON.stringify(order.body)).toContain(`Line 1: no product has SKU ${w.excluded.sku}.`);
    const line = await api(cartLinesRoute.POST as Handler, w.apiKey, "/cart/lines", { body: { productId: w.excluded.id, quantity: 1 } });
    expect([line.status, line.body.code]).toEqual([400, "validation_failed"]);
    expect(await count(sql`select count(*)::int as n from cart_lines l join orders o on o.id = l.order_id where o.company_id = ${w.companyId}`)).toBe(0);
  });

  it("refuses to submit a cart whose product left the assortment, and lets the buyer remove it", async () => {
    const w = await world();
    must(await runMutation(addToCart, who(w.buyer), { productId: w.kept.id, quantity: "2" }));
    must(await runMutation(addToCart, who(w.buyer), { productId: w.excluded.id, quantity: "3" }));
    must(await limit(w, w.staff, { categories: [`Kept ${w.tag}`] }));
    const cart = await getCart(db, w.buyer);
    expect(cart!.lines.map((l) => [l.sku, l.problem])).toEqual([
      [w.kept.sku, null],
      [w.excluded.sku, "This product is no longer in your company's assortment: remove it to submit the cart."],
    ]);
    expect(await runMutation(submitCart, who(w.buyer), {})).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: `${w.excluded.sku} is no longer in your company's assortment; remove it from the cart.`,
    });
    // Nothing was taken out of the cart by the refused submission.
    expect(await count(sql`select count(*)::int as n from cart_lines where order_id = ${cart!.order.id}`)).toBe(2);
    // Raising the quantity is refused; removing the line works.
    expect((await runMutation(setCartLine, who(w.buyer), { productId: w.excluded.id, quantity: "4" })).ok).toBe(false);
    must(await runMutation(setCartLine, who(w.buyer), { productId: w.excluded.id, quantity: "0" }));
    const placed = must(await runMutation(submitCart, who(w.buyer), {}));
    // 2 × 5.00 = 10.00, 19% tax 1.90.
    expect(placed.totalMinor).toBe("1190");
  });
});

describe("demo data", () => {
  it("has images for one product per category and Initech limited to facilities supplies plus one hammer", async () => {
    expect(await rows(sql`select p.sku, v.width, v.actual_width, v.actual_height from product_images i join products p on p.id = i.product_id
        join product_image_variants v on v.image_id = i.id where p.sku in ('FAS-0001', 'OFF-0901') order by p.sku, v.width`)).toEqual([
      { sku: "FAS-0001", width: 160, actual_width: 160, actual_height: 160 },
      { sku: "FAS-0001", width: 480, actual_width: 480, actual_height: 480 },
      { sku: "FAS-0001", width: 1200, actual_width: 800, actual_height: 800 },
      { sku: "OFF-0901", width: 160, actual_width: 160, actual_height: 160 },
      { sku: "OFF-0901", width: 480, actual_width: 480, actual_height: 480 },
      { sku: "OFF-0901", width: 1200, actual_width: 800, actual_height: 800 },
    ]);
    expect(await count(sql`select count(*)::int as n from product_images i join products p on p.id = i.product_id where p.sku ~ '^[A-Z]{3}-0[0-9]01$'`)).toBe(10);
    const initech = await actorByEmail("buyer@initech.test");
    const categories = await listCategories(db, initech.companyId);
    // Tests add products to these categories too; the demo's own categories are exactly these four.
    expect(categories.filter((c) => !/[0-9A-F]{6}$/.test(c))).toEqual(["Cleaning", "Hand Tools", "Office Supplies", "Safety Equipment"]);
    const hand = await searchCatalog(db, initech.companyId, { category: "Hand Tools", date: today, pageSize: 100 });
    expect(hand.rows.map((r) => r.sku)).toEqual(["HAN-0101"]);
    expect(await getPricedProduct(db, initech.companyId, "POW-0201", today)).toBeNull();
    expect((await getPricedProduct(db, initech.companyId, "CLE-0801", today))?.imageId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
