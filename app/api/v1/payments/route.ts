// GET /api/v1/payments: payments, cursor pages; payments:read. POST: record a remittance (customer key) or manual payment (finance key), Idempotency-Key required; payments:write
import { listPaymentsOperation, recordPaymentOperation } from "@/lib/api-v1/payments";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listPaymentsOperation);
export const POST = routeHandler(recordPaymentOperation);
