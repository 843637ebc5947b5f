import "server-only";
import { db } from "@/db/client";
import { getImageVariant } from "@/db/queries/product-images";
import type { Actor } from "@/lib/domain/actor";
import type { ImageWidth } from "@/lib/domain/product-images";
import { isCustomerRole } from "@/lib/domain/roles";

// One product image rendition as an HTTP answer, for both ways in: the portal's
// /images/products/{file} (session) and the API's /api/v1/catalog/images/{file} (API key). Who
// may see it is the one assortment predicate (getImageVariant); each caller answers "not found"
// its own way (JSON error, problem+json).

// The answer depends on who asks (the assortment), so it is `private`: the client keeps it for a
// year without asking again (the URL changes when the image does: `immutable`), a shared cache or
// CDN never serves it to someone else. The ETag is a hash of the bytes: a revalidation costs a 304.
export const PRODUCT_IMAGE_CACHE_CONTROL = "private, max-age=31536000, immutable";

/** If-None-Match holds this ETag (a list, weak or strong, or `*`). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === `"${etag}"`;
  });
}

/**
 * The rendition as `actor` may see it: 200 image/webp with its ETag, or 304 when If-None-Match
 * names it (the bytes are then not read); null when there is no such image for this actor (staff
 * see every image, a customer those of products in its company's assortment).
 */
export async function productImageResponse(request: Request, file: { imageId: string; width: ImageWidth }, actor: Actor): Promise<Response | null> {
  // A customer without a company sees nothing: a company id no assortment has.
  const companyId = isCustomerRole(actor.role) ? (actor.companyId ?? "00000000-0000-0000-0000-000000000000") : null;
  const ifNoneMatch = request.headers.get("if-none-match");
  const etagWanted = ifNoneMatch?.match(/"([0-9a-f]{32})"/)?.[1] ?? null;
  const variant = await getImageVariant(db, file.imageId, file.width, { companyId }, etagWanted);
  if (!variant) return null;
  const headers = { etag: `"${variant.etag}"`, "cache-control": PRODUCT_IMAGE_CACHE_CONTROL };
  if (matches(ifNoneMatch, variant.etag) || variant.bytes === null) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(variant.bytes), {
    headers: { ...headers, "content-type": "image/webp", "content-length": String(variant.bytes.byteLength) },
  });
}
