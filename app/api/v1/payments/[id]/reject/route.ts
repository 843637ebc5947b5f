// POST /api/v1/payments/{id}/reject: finance and admin keys decide a payment; payments:write
import { rejectPaymentOperation } from "@/lib/api-v1/payments";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(rejectPaymentOperation);
