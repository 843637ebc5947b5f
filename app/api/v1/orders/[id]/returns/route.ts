// GET, POST /api/v1/orders/{id}/returns: the order's returns and what may still be returned per line (orders:read); customer keys request a return (orders:write, Idempotency-Key required)
import { routeHandler } from "@/lib/api-v1/operation";
import { listOrderReturnsOperation, requestReturnOperation } from "@/lib/api-v1/returns";

export const GET = routeHandler(listOrderReturnsOperation);
export const POST = routeHandler(requestReturnOperation);
