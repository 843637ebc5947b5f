// POST /api/admin/bank-statements/lines/:id/undo (Idempotency-Key header): undo a confirmed match { version, reason }
import { mutationResponse } from "@/lib/api";
import { undoMatch } from "@/lib/services/reconciliation";

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return mutationResponse(request, undoMatch, (body) => ({ ...body, id }));
}
