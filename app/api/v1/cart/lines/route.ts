// POST /api/v1/cart/lines: add a product to the cart (Idempotency-Key required); orders:write
import { addCartLineOperation } from "@/lib/api-v1/cart";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(addCartLineOperation);
