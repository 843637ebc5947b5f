// GET /api/v1/returns/{id}: a return with its lines, steps and credit note, staff or the order's company; orders:read
import { routeHandler } from "@/lib/api-v1/operation";
import { getReturnOperation } from "@/lib/api-v1/returns";

export const GET = routeHandler(getReturnOperation);
