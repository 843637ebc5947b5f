// POST /api/v1/cart/quick-order: add pasted "SKU qty" lines to the cart, all or nothing (Idempotency-Key required); orders:write
import { quickOrderOperation } from "@/lib/api-v1/cart";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(quickOrderOperation);
