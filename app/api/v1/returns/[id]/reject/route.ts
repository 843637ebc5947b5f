// POST /api/v1/returns/{id}/reject: sales and admin keys reject a return with a reason; orders:write
import { routeHandler } from "@/lib/api-v1/operation";
import { rejectReturnOperation } from "@/lib/api-v1/returns";

export const POST = routeHandler(rejectReturnOperation);
