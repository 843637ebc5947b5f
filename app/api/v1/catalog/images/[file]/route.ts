// GET /api/v1/catalog/images/{file}: a product image rendition (WebP) in the key's assortment, cacheable for good; catalog:read
import { getCatalogImage } from "@/lib/api-v1/catalog";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getCatalogImage);
