// GET /api/v1/orders/{id}/quotations: every quotation version of the order; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { listOrderQuotationsOperation } from "@/lib/api-v1/orders";

export const GET = routeHandler(listOrderQuotationsOperation);
