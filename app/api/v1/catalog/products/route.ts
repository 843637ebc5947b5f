// GET /api/v1/catalog/products: catalogue search with the caller's prices and availability, cursor pages; API key with catalog:read
import { listCatalogProducts } from "@/lib/api-v1/catalog";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listCatalogProducts);
