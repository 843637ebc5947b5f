// GET /api/v1/catalog/products/{sku}: one product with the caller's volume prices and availability; catalog:read
import { getCatalogProduct } from "@/lib/api-v1/catalog";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getCatalogProduct);
