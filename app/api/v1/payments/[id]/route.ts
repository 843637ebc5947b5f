// GET /api/v1/payments/{id}: payment with its allocations; payments:read
import { getPaymentOperation } from "@/lib/api-v1/payments";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getPaymentOperation);
