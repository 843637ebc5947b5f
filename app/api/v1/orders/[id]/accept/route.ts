// POST /api/v1/orders/{id}/accept: accept the named quotation version (Idempotency-Key required); orders:write
import { routeHandler } from "@/lib/api-v1/operation";
import { acceptOrderOperation } from "@/lib/api-v1/orders";

export const POST = routeHandler(acceptOrderOperation);
