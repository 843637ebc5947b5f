// POST /api/v1/payments/{id}/refund: finance and admin keys decide a payment; payments:write
import { refundPaymentOperation } from "@/lib/api-v1/payments";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(refundPaymentOperation);
