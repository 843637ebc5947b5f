// GET /api/v1/quotations/{id}: a quotation version with its lines and totals; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { getQuotation } from "@/lib/api-v1/quotations";

export const GET = routeHandler(getQuotation);
