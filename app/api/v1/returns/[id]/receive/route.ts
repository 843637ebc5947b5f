// POST /api/v1/returns/{id}/receive: sales and admin keys mark an approved return received: stock back, credit note (Idempotency-Key required); orders:write
import { routeHandler } from "@/lib/api-v1/operation";
import { receiveReturnOperation } from "@/lib/api-v1/returns";

export const POST = routeHandler(receiveReturnOperation);
