import Link from "next/link";
import type { ReactNode } from "react";

// Business references on staff pages, always as links, one rule everywhere:
// - an order reference opens the staff order page;
// - an invoice, credit note, quotation or delivery note number printed away from its order opens
//   that order's page at the document's card (staff have no separate document pages: the order
//   page shows each document's status, amounts and history);
// - on its own order's page the number opens the document itself, its PDF.

const linkClass = "font-medium text-brand-700 hover:underline";

export type DocumentKind = "quotation" | "invoice" | "credit_note" | "delivery_note";

/** The document route's path segment of each kind (app/api/documents/[kind]/[id]). */
const pdfSegment: Record<DocumentKind, string> = { quotation: "quotations", invoice: "invoices", credit_note: "credit-notes", delivery_note: "delivery-notes" };

/** The id of each document's card on the staff order page, the anchor links aim at. */
export const documentCardId: Record<DocumentKind, string> = {
  quotation: "quotation",
  invoice: "invoice",
  credit_note: "credit-note",
  delivery_note: "shipments",
};

/** A document's PDF (owner company or staff; the route checks). */
export function documentPdfHref(kind: DocumentKind, id: string): string {
  return `/api/documents/${pdfSegment[kind]}/${id}`;
}

/** The staff order page, at one document's card when `kind` is given. */
export function staffOrderHref(orderId: string, kind?: DocumentKind): string {
  return `/admin/orders/${orderId}${kind ? `#${documentCardId[kind]}` : ""}`;
}

/** An order reference (ORD-…) linking to the staff order page. */
export function OrderLink({ orderId, children, className }: { orderId: string; children: ReactNode; className?: string }) {
  return (
    <Link href={staffOrderHref(orderId)} className={className ?? linkClass}>
      {children}
    </Link>
  );
}

/** A document number printed away from its order: opens the order page at the document's card. */
export function DocumentOrderLink({ kind, orderId, number, className }: { kind: DocumentKind; orderId: string; number: string; className?: string }) {
  return (
    <Link href={staffOrderHref(orderId, kind)} className={className ?? linkClass}>
      {number}
    </Link>
  );
}

/**
 * A document number on its own order's page: opens its PDF. A plain link, since the PDF is a
 * route handler's response and not a page.
 */
export function DocumentPdfLink({ kind, id, number, className }: { kind: DocumentKind; id: string; number: string; className?: string }) {
  return (
    <a href={documentPdfHref(kind, id)} className={className ?? linkClass}>
      {number}
    </a>
  );
}
