// POST /api/v1/orders/{id}/cancel: cancel with a reason, as customer or staff by the key's role; orders:write
import { routeHandler } from "@/lib/api-v1/operation";
import { cancelOrderOperation } from "@/lib/api-v1/orders";

export const POST = routeHandler(cancelOrderOperation);
