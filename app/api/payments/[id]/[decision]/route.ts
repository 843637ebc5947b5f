// POST /api/payments/:id/verify | reject | refund (Idempotency-Key header; reject and refund need { reason }): finance decides a payment
import { mutationResponse } from "@/lib/api";
import { refundPayment, rejectPayment, verifyPayment } from "@/lib/services/payments";

const decisions = { verify: verifyPayment, reject: rejectPayment, refund: refundPayment } as const;

export async function POST(request: Request, { params }: { params: Promise<{ id: string; decision: string }> }) {
  const { id, decision } = await params;
  if (!Object.hasOwn(decisions, decision)) return Response.json({ ok: false, code: "not_found", error: "Not found." }, { status: 404 });
  const def = decisions[decision as keyof typeof decisions];
  return mutationResponse(request, def, (body) => ({ ...body, paymentId: id }));
}
