import type { OrderState } from "@/lib/domain/order-state";

/** What accepting a quotation led to, and what happens next, for the state the order is in now. */
export function acceptedMessage(status: OrderState, quotationNumber: string | null, invoiceNumber: string | null): { head: string; next: string } | null {
  const head = quotationNumber ? `Quotation ${quotationNumber} accepted.` : "Quotation accepted.";
  switch (status) {
    case "awaiting_customer_approval":
      return { head, next: "The order is above your spending limit, so an administrator of your company approves it next; the stock is reserved for you meanwhile." };
    case "awaiting_seller_approval":
      return { head, next: "The stock is reserved for you. The seller reviews the order next; once it is approved, the invoice is issued and shown on this page." };
    case "approved":
    case "shipped":
    case "delivered":
    case "completed":
      return { head, next: invoiceNumber ? `The order is approved and invoice ${invoiceNumber} is issued: you can pay it from this page.` : "The order is approved." };
    default:
      return null;
  }
}

/** The confirmation shown after "Accept quotation" (the accept form itself is gone by then). */
export function AcceptedBanner({ status, quotationNumber, invoiceNumber }: { status: OrderState; quotationNumber: string | null; invoiceNumber: string | null }) {
  const message = acceptedMessage(status, quotationNumber, invoiceNumber);
  if (!message) return null;
  return (
    <div role="status" data-testid="accepted-banner" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-800">
      <p className="font-medium">{message.head}</p>
      <p className="mt-1">{message.next}</p>
    </div>
  );
}
