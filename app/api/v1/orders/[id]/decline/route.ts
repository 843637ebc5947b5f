// POST /api/v1/orders/{id}/decline: decline the quotation with a reason; orders:write
import { routeHandler } from "@/lib/api-v1/operation";
import { declineOrderOperation } from "@/lib/api-v1/orders";

export const POST = routeHandler(declineOrderOperation);
