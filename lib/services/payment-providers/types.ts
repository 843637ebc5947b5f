// Payment providers deliver events to POST /api/webhooks/payments/<provider id>. A provider
// checks the signature of the raw body and turns the body into a ProviderPayment; recording it
// (dedupe by event id, allocation, audit) is the same for every provider (recordProviderPayment).
//
// A card gateway plugs in by implementing this interface in a file beside this one and adding it
// to the registry in ./index.ts: verify() with the gateway's signing scheme (e.g. Stripe's
// "t=…,v1=…" HMAC over "t.body" with a tolerance for the timestamp), parse() mapping its
// "payment succeeded" event (amount in minor units, currency, the invoice's RF reference passed as
// metadata when the checkout was created) and ignoring other event types (return null). Tests use
// the signed test provider; they never call external services.

export type ProviderPayment = {
  /** The provider's own event id: an event delivered twice is recorded once. */
  eventId: string;
  /** The invoice's payment reference (RF…) or number. */
  invoiceReference: string;
  amountMinor: bigint;
  currency: string;
  paidOn: string;
};

export interface PaymentProvider {
  readonly id: string;
  /** True when the body was signed by the provider (constant-time comparison). */
  verify(rawBody: string, headers: Headers): boolean;
  /** The payment in the event, null for events that are not payments, or throws for a malformed body. */
  parse(rawBody: string): ProviderPayment | null;
}
