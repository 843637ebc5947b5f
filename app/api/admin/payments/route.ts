// POST /api/admin/payments (Idempotency-Key header): finance records a payment received directly, verified
import { mutationResponse } from "@/lib/api";
import { recordManualPayment } from "@/lib/services/payments";

export function POST(request: Request) {
  return mutationResponse(request, recordManualPayment);
}
