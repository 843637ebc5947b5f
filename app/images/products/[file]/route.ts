// GET /images/products/{imageId}-{width}.webp: a product image rendition; staff, or a customer whose
// company's assortment holds the product; anyone else 404
import { parseProductImageFile } from "@/lib/domain/product-images";
import { productImageResponse } from "@/lib/http/product-image";
import { apiError } from "@/lib/http/json";
import { logger } from "@/lib/logger";
import { getActor } from "@/lib/session";

// The browser's way in (the session). API clients fetch the same renditions with their key at
// /api/v1/catalog/images/{file} (lib/api-v1/catalog.ts); both answer through productImageResponse.

// Refusals are JSON with a code, as every route handler answers them (the access matrix checks it).
const notFound = () => apiError("not_found", "There is no such image.", 404, { "cache-control": "no-store" });

export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  try {
    const parsed = parseProductImageFile((await params).file);
    if (!parsed) return notFound();
    const actor = await getActor();
    if (!actor) return notFound();
    return (await productImageResponse(request, parsed, actor)) ?? notFound();
  } catch (error) {
    logger.error("product image failed", { url: new URL(request.url).pathname, error });
    return apiError("internal", "Something went wrong.", 500, { "cache-control": "no-store" });
  }
}
