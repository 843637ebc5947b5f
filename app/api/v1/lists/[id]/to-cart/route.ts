// POST /api/v1/lists/{id}/to-cart: the whole list into the key owner's cart (Idempotency-Key); orders:write
import { listToCartOperation } from "@/lib/api-v1/lists";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(listToCartOperation);
