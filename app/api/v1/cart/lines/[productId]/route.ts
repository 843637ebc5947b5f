// PUT /api/v1/cart/lines/{productId}: set a cart line's quantity, 0 removes it; orders:write
import { setCartLineOperation } from "@/lib/api-v1/cart";
import { routeHandler } from "@/lib/api-v1/operation";

export const PUT = routeHandler(setCartLineOperation);
