// POST /api/admin/bank-statements (Idempotency-Key header): import a statement { bankName, iban? (required for CSV), fileName?, content, mapping? }
import { mutationResponse } from "@/lib/api";
import { importStatement } from "@/lib/services/reconciliation";

export function POST(request: Request) {
  return mutationResponse(request, importStatement);
}
