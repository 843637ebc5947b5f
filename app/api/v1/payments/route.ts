// GET, POST /api/v1/payments: payments in cursor pages (payments:read); record a remittance (customer key) or a manual payment (finance key) (payments:write, Idempotency-Key required)
import { listPaymentsOperation, recordPaymentOperation } from "@/lib/api-v1/payments";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listPaymentsOperation);
export const POST = routeHandler(recordPaymentOperation);
