// GET /images/products/{imageId}-{width}.webp: a product image rendition; staff, or a customer whose
// company's assortment holds the product; anyone else 404
import { db } from "@/db/client";
import { getImageVariant } from "@/db/queries/product-images";
import { parseProductImageFile } from "@/lib/domain/product-images";
import { isCustomerRole } from "@/lib/domain/roles";
import { apiError } from "@/lib/http/json";
import { logger } from "@/lib/logger";
import { getActor } from "@/lib/session";

// The answer depends on who asks (the assortment), so it is `private`: the browser keeps it for a
// year without asking again (the URL changes when the image does: `immutable`), a shared cache or
// CDN never serves it to someone else. The ETag is a hash of the bytes: a revalidation costs a 304.
const CACHE_CONTROL = "private, max-age=31536000, immutable";

// Refusals are JSON with a code, as every route handler answers them (the access matrix checks it).
const notFound = () => apiError("not_found", "There is no such image.", 404, { "cache-control": "no-store" });

/** If-None-Match holds this ETag (a list, weak or strong, or `*`). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const tag = t.trim().replace(/^W\//, "");
    return tag === "*" || tag === `"${etag}"`;
  });
}

export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  try {
    const parsed = parseProductImageFile((await params).file);
    if (!parsed) return notFound();
    const actor = await getActor();
    if (!actor) return notFound();
    const companyId = isCustomerRole(actor.role) ? (actor.companyId ?? "00000000-0000-0000-0000-000000000000") : null;
    const ifNoneMatch = request.headers.get("if-none-match");
    // The bytes are only read when the client's copy is not this one.
    const etagWanted = ifNoneMatch?.match(/"([0-9a-f]{32})"/)?.[1] ?? null;
    const variant = await getImageVariant(db, parsed.imageId, parsed.width, { companyId }, etagWanted);
    if (!variant) return notFound();
    const headers = { etag: `"${variant.etag}"`, "cache-control": CACHE_CONTROL };
    if (matches(ifNoneMatch, variant.etag) || variant.bytes === null) return new Response(null, { status: 304, headers });
    return new Response(new Uint8Array(variant.bytes), {
      headers: { ...headers, "content-type": "image/webp", "content-length": String(variant.bytes.byteLength) },
    });
  } catch (error) {
    logger.error("product image failed", { url: new URL(request.url).pathname, error });
    return apiError("internal", "Something went wrong.", 500, { "cache-control": "no-store" });
  }
}
