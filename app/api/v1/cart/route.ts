// GET /api/v1/cart: the key owner's cart (the one the portal shows them), priced; orders:read
import { getCartOperation } from "@/lib/api-v1/cart";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getCartOperation);
