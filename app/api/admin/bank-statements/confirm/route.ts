// POST /api/admin/bank-statements/confirm (Idempotency-Key header): confirm matches { lines: [{ id, version }] }, all or none
import { mutationResponse } from "@/lib/api";
import { confirmMatches } from "@/lib/services/reconciliation";

export function POST(request: Request) {
  return mutationResponse(request, confirmMatches);
}
