// The data a quotation, invoice or credit-note PDF is rendered from. Plain values only (strings,
// numbers, bigint minor units), so it survives structured cloning; services build it from the
// stored, immutable document rows.

export type PdfParty = { name: string; address: string; taxId: string; email?: string; iban?: string; bic?: string; bank?: string };

export type PdfLine = {
  lineNo: number;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  unitPriceMinor: bigint;
  discountBp: number;
  netMinor: bigint;
  taxRateBp: number;
  taxMinor: bigint;
  totalMinor: bigint;
};

export type PdfDocumentKind = "quotation" | "invoice" | "credit_note";

export type PdfDocumentData = {
  kind: PdfDocumentKind;
  /** "Quotation", "Invoice", "Credit note" */
  title: string;
  /** "Q-2026-000012" / "INV-2026-000001" / "CN-2026-000001" */
  number: string;
  /** Quotations: 1, 2, … (printed as "Version 2" when > 1). */
  version?: number;
  /** ISO yyyy-mm-dd */
  issueDate: string;
  /** Quotations: preformatted in the customer's time zone, e.g. "2026-12-10 23:59 (Europe/Berlin)". */
  validUntil?: string;
  /** Invoices: ISO yyyy-mm-dd */
  dueDate?: string;
  /** The customer's PO number, the order reference, or for credit notes "Cancels invoice INV-…". */
  reference?: string;
  seller: PdfParty;
  customer: PdfParty;
  /** Quotations and invoices: the order's ship-to, multi-line (its first line is the addressee). */
  shipTo?: string;
  /** ISO 4217 */
  currency: string;
  lines: PdfLine[];
  subtotalMinor: bigint;
  taxMinor: bigint;
  totalMinor: bigint;
  taxByRate: { taxRateBp: number; netMinor: bigint; taxMinor: bigint }[];
  /** Printed in small text: "Tax rounded half-up per line". */
  roundingMethod: string;
  /** Multi-line text printed at the end. */
  terms: string;
  /** Invoices: the structured payment reference the customer quotes. */
  paymentReference?: string;
  /** The exchange rate the document used (issue 15), as describeRate words it: "1 EUR = 1.0832 USD (ECB, 2026-12-03)". */
  exchangeRate?: string;
};

/** One open invoice on a statement of account, as the receivables query reports it. */
export type StatementItem = {
  number: string;
  /** ISO yyyy-mm-dd */
  issueDate: string;
  /** ISO yyyy-mm-dd */
  dueDate: string;
  /** ISO 4217: the invoice's own currency. */
  currency: string;
  totalMinor: bigint;
  /** Verified payments. */
  paidMinor: bigint;
  /** Payments the customer reported that are not verified yet (still part of what is due). */
  pendingMinor: bigint;
  /** totalMinor − paidMinor; positive (only open items are listed). */
  dueMinor: bigint;
  /** The invoice's ISO 11649 creditor reference (RF…), printed as given. */
  paymentReference?: string;
};

/**
 * A company's statement of account on one day: its open items, aged against that day. Unlike the
 * other documents it is not stored: it changes with every payment, so it is built from live data.
 */
export type StatementData = {
  /** The seller's today, ISO yyyy-mm-dd: the day the items are aged against. */
  statementDate: string;
  seller: PdfParty;
  customer: PdfParty;
  /** ISO 4217: the company's currency (the ageing summary's currency when nothing is open). */
  currency: string;
  items: StatementItem[];
};
