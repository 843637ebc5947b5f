// POST /api/v1/lists/{id}/lines: add a product to a list (Idempotency-Key); orders:write
import { addListLineOperation } from "@/lib/api-v1/lists";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(addListLineOperation);
