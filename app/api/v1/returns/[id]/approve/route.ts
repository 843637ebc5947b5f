// POST /api/v1/returns/{id}/approve: sales and admin keys approve a requested return; orders:write
import { routeHandler } from "@/lib/api-v1/operation";
import { approveReturnOperation } from "@/lib/api-v1/returns";

export const POST = routeHandler(approveReturnOperation);
