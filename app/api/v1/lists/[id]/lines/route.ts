// POST /api/v1/lists/{id}/lines (Idempotency-Key): add a product to a list; orders:write
import { addListLineOperation } from "@/lib/api-v1/lists";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(addListLineOperation);
