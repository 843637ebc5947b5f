import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { setCompanyAssortment } from "@/lib/services/assortments";
import { createCompanyApiKey, createStaffApiKey } from "@/lib/services/api-keys";
import { receiveStock } from "@/lib/services/inventory";
import { processProductImage, uploadProductImage } from "@/lib/services/product-images";
import { createProduct } from "@/lib/services/products";
import { createUser } from "@/lib/services/users";
import * as imagesRoute from "@/app/api/v1/catalog/images/[file]/route";
import * as catalogRoute from "@/app/api/v1/catalog/products/route";
import * as catalogProductRoute from "@/app/api/v1/catalog/products/[sku]/route";

// API clients fetch product images with their key (issue 14): the catalogue's products name their
// renditions' URLs under /api/v1/catalog/images, and that route answers a key as the portal's image
// route answers a session: the company's assortment decides (the one predicate of
// db/queries/assortments.ts), cacheable for good (private, immutable, ETag → 304).

setupTestDatabase();

let n = 0;
const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `api-img-${n++}-${randomUUID()}` });
const must = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.data;
};

async function product(staff: Actor, sku: string, category: string, colour: string) {
  const p = must(await runMutation(createProduct, who(staff), { sku, name: `Imaged ${sku}`, category, basePrice: "4.00", taxRate: "19" }));
  must(await runMutation(receiveStock, who(staff), { productId: p.id, quantity: "10" }));
  const processed = await processProductImage(await sharp({ create: { width: 1600, height: 1000, channels: 3, background: colour } }).png().toBuffer());
  if (!processed.ok) throw new Error("image not processed");
  const uploaded = must(await runMutation(uploadProductImage, who(staff), { productId: p.id, image: processed.image }));
  return { ...p, imageId: uploaded.imageId };
}

type Handler = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
/** GET a path under /api/v1 through its route handler, with `key` as the bearer (none: no Authorization header). */
function get(handler: Handler, path: string, key: string | null, opts: { params?: Record<string, string>; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...opts.headers };
  return handler(new Request(`http://localhost${path}`, { headers }), { params: Promise.resolve(opts.params ?? {}) });
}
const fileOf = (url: string) => url.split("/").pop()!;
const image = (url: string, key: string | null, headers: Record<string, string> = {}) => get(imagesRoute.GET as Handler, url, key, { params: { file: fileOf(url) }, headers });

type ApiImage = { id: string; renditions: { width: number; url: string }[] } | null;

describe("product images through the API", () => {
  it("a key fetches the images of its assortment's products (WebP, immutable, ETag → 304); others 404, no key 401, no scope 403", async () => {
    const staff = await actorByEmail("admin@demo.test");
    const tag = randomUUID().slice(0, 6).toUpperCase();
    const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency) values (${`Imaged ${tag}`}, 'EUR') returning id`);
    const admin = must(await runMutation(createUser, who(staff), { email: uniqueEmail("imaged"), name: "Imaged Admin", role: "customer_admin", companyId: company!.id, password: "violet-harbour-93-kettle" }));
    const customer = await actorByEmail(admin.email);
    const kept = await product(staff, `KEPTIMG-${tag}`, `Kept ${tag}`, "#2563eb");
    const excluded = await product(staff, `EXCLIMG-${tag}`, `Other ${tag}`, "#dc2626");
    must(await runMutation(setCompanyAssortment, who(staff), { companyId: company!.id, categories: [`Kept ${tag}`], skus: "" }));
    const key = must(await runMutation(createCompanyApiKey, who(customer), { name: "ERP", scopes: ["catalog:read"] })).key;
    const ordersOnly = must(await runMutation(createCompanyApiKey, who(customer), { name: "Orders only", scopes: ["orders:read"] })).key;

    // The catalogue names the renditions, in the list and on the product.
    const expectedImage = { id: kept.imageId, renditions: [160, 480, 1200].map((width) => ({ width, url: `/api/v1/catalog/images/${kept.imageId}-${width}.webp` })) };
    const list = await get(catalogRoute.GET as Handler, `/api/v1/catalog/products?q=${tag}&limit=50`, key);
    expect(list.status).toBe(200);
    const listed = ((await list.json()) as { data: { sku: string; image: ApiImage }[] }).data.filter((p) => p.sku.endsWith(tag));
    expect(listed).toEqual([{ ...listed[0], sku: kept.sku, image: expectedImage }]);
    const one = await get(catalogProductRoute.GET as Handler, `/api/v1/catalog/products/${kept.sku}`, key, { params: { sku: kept.sku } });
    expect(((await one.json()) as { image: ApiImage }).image).toEqual(expectedImage);

    // Each rendition (the 1600 px upload is larger than all): 200 WebP (RIFF….WEBP) of its width, the stored bytes, cacheable for good.
    const [stored] = await rows<{ etag: string; bytes: Uint8Array }>(sql`select etag, bytes from product_image_variants where image_id = ${kept.imageId} and width = 480`);
    for (const { width, url } of expectedImage.renditions) {
      const response = await image(url, key);
      expect([response.status, response.headers.get("content-type"), response.headers.get("cache-control")]).toEqual([200, "image/webp", "private, max-age=31536000, immutable"]);
      expect(response.headers.get("ratelimit")).toMatch(/"key";r=\d+/);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect([bytes.subarray(0, 4).toString("latin1"), bytes.subarray(8, 12).toString("latin1")]).toEqual(["RIFF", "WEBP"]);
      expect(Number(response.headers.get("content-length"))).toBe(bytes.length);
      const meta = await sharp(bytes).metadata();
      expect([meta.format, meta.width]).toEqual(["webp", width]);
      if (width === 480) {
        expect(bytes.equals(Buffer.from(stored!.bytes))).toBe(true);
        expect(response.headers.get("etag")).toBe(`"${stored!.etag}"`);
      }
    }

    // Its ETag back: 304 without a body, still immutable.
    const etag = `"${stored!.etag}"`;
    const again = await image(expectedImage.renditions[1]!.url, key, { "if-none-match": etag });
    expect([again.status, await again.text(), again.headers.get("etag"), again.headers.get("cache-control")]).toEqual([304, "", etag, "private, max-age=31536000, immutable"]);

    // Outside the assortment: 404 problem, as for an image that does not exist; a malformed name too.
    for (const file of [`${excluded.imageId}-160.webp`, `${randomUUID()}-160.webp`, `${kept.imageId}-481.webp`, `${kept.imageId}-160.png`]) {
      const refused = await image(`/api/v1/catalog/images/${file}`, key);
      expect([file, refused.status, refused.headers.get("content-type"), ((await refused.json()) as { code: string }).code, refused.headers.get("cache-control")]).toEqual([
        file,
        404,
        "application/problem+json; charset=utf-8",
        "not_found",
        "no-store",
      ]);
    }
    // No key: 401; a key without catalog:read: 403.
    const anonymous = await image(expectedImage.renditions[0]!.url, null);
    expect([anonymous.status, ((await anonymous.json()) as { code: string }).code]).toEqual([401, "unauthenticated"]);
    const noScope = await image(expectedImage.renditions[0]!.url, ordersOnly);
    expect([noScope.status, ((await noScope.json()) as { code: string }).code]).toEqual([403, "insufficient_scope"]);

    // A staff key sees every product's image, the excluded one too.
    const staffKey = must(await runMutation(createStaffApiKey, who(staff), { name: `Images ${tag}`, scopes: ["catalog:read"], role: "sales" })).key;
    const byStaff = await image(`/api/v1/catalog/images/${excluded.imageId}-160.webp`, staffKey);
    expect([byStaff.status, byStaff.headers.get("content-type")]).toEqual([200, "image/webp"]);
    // A product without an image says so.
    const [plain] = await rows<{ sku: string }>(sql`select p.sku from products p where p.archived_at is null and not exists (select 1 from product_images i where i.product_id = p.id) order by p.sku limit 1`);
    const bare = await get(catalogProductRoute.GET as Handler, `/api/v1/catalog/products/${plain!.sku}`, staffKey, { params: { sku: plain!.sku } });
    expect(((await bare.json()) as { image: ApiImage }).image).toBeNull();
  });
});
