// POST /api/payments (Idempotency-Key header): a customer records a remittance, as on the invoices page
import { mutationResponse } from "@/lib/api";
import { submitRemittance } from "@/lib/services/payments";

export function POST(request: Request) {
  return mutationResponse(request, submitRemittance);
}
