// GET /api/v1/orders/{id}: order with its current quotation, approvals and timeline; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { getOrderOperation } from "@/lib/api-v1/orders";

export const GET = routeHandler(getOrderOperation);
