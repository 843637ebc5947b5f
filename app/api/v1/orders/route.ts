// GET, POST /api/v1/orders: orders in cursor pages, filtered (orders:read); place an order from lines, quoted at once (orders:write, Idempotency-Key required)
import { routeHandler } from "@/lib/api-v1/operation";
import { listOrdersOperation, placeOrderOperation } from "@/lib/api-v1/orders";

export const GET = routeHandler(listOrdersOperation);
export const POST = routeHandler(placeOrderOperation);
