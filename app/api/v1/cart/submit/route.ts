// POST /api/v1/cart/submit: submit the cart for quotation (Idempotency-Key required); orders:write
import { submitCartOperation } from "@/lib/api-v1/cart";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(submitCartOperation);
