// POST /api/v1/payments/{id}/verify: finance and admin keys decide a payment; payments:write
import { verifyPaymentOperation } from "@/lib/api-v1/payments";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(verifyPaymentOperation);
