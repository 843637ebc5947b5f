// POST /api/webhooks/payments/[provider]: a payment provider's signed event; public, authenticated by the signature
import { apiError } from "@/lib/http/json";
import { readLimited, utf8 } from "@/lib/http/read-limited";
import { logger } from "@/lib/logger";
import { paymentProvider } from "@/lib/services/payment-providers";
import { recordProviderPayment } from "@/lib/services/payments";

// Provider events are a few KB; a larger body is refused while it streams, not after buffering it.
const MAX_EVENT_BYTES = 1_000_000;

export async function POST(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  const { provider: id } = await params;
  const provider = paymentProvider(id);
  if (!provider) return apiError("not_found", "Unknown payment provider.", 404);
  const read = await readLimited(request, MAX_EVENT_BYTES);
  if (!read.ok) return apiError("payload_too_large", "Event too large.", 413);
  const body = utf8(read.bytes);
  if (!provider.verify(body, request.headers)) return apiError("invalid_signature", "Signature does not match.", 401);
  let payment;
  try {
    payment = provider.parse(body);
  } catch {
    return apiError("invalid_payload", "The event could not be read.", 400);
  }
  if (!payment) return Response.json({ received: true, ignored: true });
  const requestId = crypto.randomUUID();
  try {
    const result = await recordProviderPayment(provider.id, payment);
    // 422 makes the provider retry later and shows in its dashboard; finance can record it by hand.
    if ("error" in result) return apiError(result.error, "The payment does not match an open invoice.", 422);
    return Response.json({ received: true, paymentId: result.paymentId, duplicate: result.duplicate });
  } catch (error) {
    logger.error("webhook failed", { requestId, provider: id, error });
    return apiError("internal", `Not recorded. Reference: ${requestId}`, 500);
  }
}
