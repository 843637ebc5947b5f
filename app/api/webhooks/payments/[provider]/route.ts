// POST /api/webhooks/payments/[provider]: a payment provider's signed event; public, authenticated by the signature
import { readLimited, utf8 } from "@/lib/http/read-limited";
import { logger } from "@/lib/logger";
import { paymentProvider } from "@/lib/services/payment-providers";
import { recordProviderPayment } from "@/lib/services/payments";

// Provider events are a few KB; a larger body is refused while it streams, not after buffering it.
const MAX_EVENT_BYTES = 1_000_000;

export async function POST(request: Request, { params }: { params: Promise<{ provider: string }> }) {
  const { provider: id } = await params;
  const provider = paymentProvider(id);
  if (!provider) return Response.json({ ok: false, code: "not_found", error: "Unknown payment provider." }, { status: 404 });
  const read = await readLimited(request, MAX_EVENT_BYTES);
  if (!read.ok) return Response.json({ ok: false, code: "payload_too_large", error: "Event too large." }, { status: 413 });
  const body = utf8(read.bytes);
  if (!provider.verify(body, request.headers)) return Response.json({ ok: false, code: "invalid_signature", error: "Signature does not match." }, { status: 401 });
  let payment;
  try {
    payment = provider.parse(body);
  } catch {
    return Response.json({ ok: false, code: "invalid_payload", error: "The event could not be read." }, { status: 400 });
  }
  if (!payment) return Response.json({ received: true, ignored: true });
  const requestId = crypto.randomUUID();
  try {
    const result = await recordProviderPayment(provider.id, payment);
    // 422 makes the provider retry later and shows in its dashboard; finance can record it by hand.
    if ("error" in result) return Response.json({ ok: false, code: result.error, error: "The payment does not match an open invoice." }, { status: 422 });
    return Response.json({ received: true, paymentId: result.paymentId, duplicate: result.duplicate });
  } catch (error) {
    logger.error("webhook failed", { requestId, provider: id, error });
    return Response.json({ ok: false, code: "internal", error: `Not recorded. Reference: ${requestId}` }, { status: 500 });
  }
}
