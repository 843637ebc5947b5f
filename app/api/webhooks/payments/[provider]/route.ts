// POST /api/webhooks/payments/[provider]: a payment provider's signed event; public, authenticated by the signature
import { logger } from "@/lib/logger";
import { paymentProvider } from "@/lib/services/payment-providers";
import { recordProviderPayment } from "@/lib/services/payments";

export async function POST(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  const { provider: id } = await params;
  const provider = paymentProvider(id);
  if (!provider) return Response.json({ code: "not_found", error: "Unknown payment provider." }, { status: 404 });
  const body = await request.text();
  if (body.length > 1_000_000) return Response.json({ code: "payload_too_large", error: "Event too large." }, { status: 413 });
  if (!provider.verify(body, request.headers)) return Response.json({ code: "invalid_signature", error: "Signature does not match." }, { status: 401 });
  let payment;
  try {
    payment = provider.parse(body);
  } catch {
    return Response.json({ code: "invalid_payload", error: "The event could not be read." }, { status: 400 });
  }
  if (!payment) return Response.json({ received: true, ignored: true });
  const requestId = crypto.randomUUID();
  try {
    const result = await recordProviderPayment(provider.id, payment);
    // 422 makes the provider retry later and shows in its dashboard; finance can record it by hand.
    if ("error" in result) return Response.json({ code: result.error, error: "The payment does not match an open invoice." }, { status: 422 });
    return Response.json({ received: true, paymentId: result.paymentId, duplicate: result.duplicate });
  } catch (error) {
    logger.error("webhook failed", { requestId, provider: id, error });
    return Response.json({ code: "internal", error: `Not recorded. Reference: ${requestId}` }, { status: 500 });
  }
}
