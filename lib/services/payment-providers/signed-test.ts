import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { isCalendarDate } from "@/lib/domain/dates";
import type { PaymentProvider, ProviderPayment } from "./types";

/**
 * A documented provider for tests and integration trials: the body is JSON
 * `{ "id": "evt_…", "type": "payment.succeeded", "data": { "reference": "RF…", "amount_minor": 9520,
 * "currency": "EUR", "paid_on": "2026-11-26" } }`, signed with HMAC-SHA256 of the raw body under the
 * shared secret, sent as `X-Signature: sha256=<hex>`.
 */
export function signedTestProvider(secret: string): PaymentProvider {
  const sign = (body: string) => createHmac("sha256", secret).update(body).digest("hex");
  const event = z.object({
    id: z.string().min(1).max(200),
    type: z.string(),
    data: z.object({
      reference: z.string().min(1).max(140),
      amount_minor: z.number().int().positive(),
      currency: z.string().regex(/^[A-Z]{3}$/),
      paid_on: z.string().refine(isCalendarDate),
    }),
  });
  return {
    id: "signed-test",
    verify(rawBody, headers) {
      const given = /^sha256=([0-9a-f]{64})$/.exec(headers.get("x-signature") ?? "")?.[1];
      if (!given) return false;
      return timingSafeEqual(Buffer.from(given, "hex"), Buffer.from(sign(rawBody), "hex"));
    },
    parse(rawBody): ProviderPayment | null {
      const e = event.parse(JSON.parse(rawBody));
      if (e.type !== "payment.succeeded") return null;
      return { eventId: e.id, invoiceReference: e.data.reference, amountMinor: BigInt(e.data.amount_minor), currency: e.data.currency, paidOn: e.data.paid_on };
    },
  };
}

/** For tests and the documentation: the header a sender puts on a body. */
export function signTestPayload(secret: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
