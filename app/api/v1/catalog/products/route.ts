// GET /api/v1/catalog/products: catalogue search with the caller's prices and availability, cursor pages; API key with catalog:read
import { apiV1 } from "@/lib/api-v1/auth";
import { listCatalogProducts } from "@/lib/api-v1/catalog";

export function GET(request: Request) {
  return apiV1(request, "catalog:read", listCatalogProducts);
}
