// PdfDocumentData → PdfRenderModel: every figure becomes display text here, on the TypeScript side,
// with the one money formatter (lib/domain/money.ts). The worker then only lays out strings and
// needs no project imports, so it loads the same way under vitest, tsx, `next start` and standalone.
import { formatMoney } from "../domain/money";
import { ROUNDING_METHOD } from "../domain/totals";
import type { PdfDocumentData, PdfDocumentKind, PdfParty } from "./types";

export type PdfRenderParty = { name: string; lines: string[] };

export type PdfRenderLine = {
  lineNo: string;
  sku: string;
  name: string;
  /** "1,200 pcs" */
  quantity: string;
  unitPrice: string;
  /** "12.5%", or "" without a discount */
  discount: string;
  /** "19%" */
  taxRate: string;
  /** Net line total */
  net: string;
};

export type PdfRenderRow = { label: string; value: string };

/** What the worker renders: text only, structured-clone safe. Built by `toRenderModel`. */
export type PdfRenderModel = {
  kind: PdfDocumentKind;
  title: string;
  number: string;
  /** Document properties of the PDF file itself. */
  info: { title: string; author: string; subject: string };
  /** Right-hand header rows: issue date, version, validity or due date, reference. */
  meta: PdfRenderRow[];
  seller: PdfRenderParty;
  customerHeading: string;
  customer: PdfRenderParty;
  /** "Ship to" beside the customer block; null when the document has no ship-to. */
  shipTo: PdfRenderParty | null;
  /** The discount column is printed only when some line has a discount. */
  showDiscount: boolean;
  lines: PdfRenderLine[];
  /** Subtotal, one row per tax rate, then the total (printed bold). */
  subtotal: PdfRenderRow;
  taxRows: PdfRenderRow[];
  total: PdfRenderRow;
  /** Sentences after the totals: validity, or the amount due and by when. */
  notes: string[];
  /** Bank details and payment reference (invoices). */
  payment: PdfRenderRow[];
  terms: string;
  roundingNote: string;
  /** Left side of the footer on every page; the right side is "Page X of Y". */
  footer: string;
};

/** The data would print a document whose figures do not add up, or lacks a required field. */
export class PdfDataError extends Error {
  readonly issues: string[];
  constructor(issues: string[]) {
    super(`Invalid PDF document data: ${issues.join("; ")}`);
    this.name = "PdfDataError";
    this.issues = issues;
  }
}

export const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const quantityFormat = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 3 });

/** Basis points as a percentage without float arithmetic: 1900 → "19%", 2050 → "20.5%", 1225 → "12.25%". */
export function formatPercentBp(bp: number): string {
  if (!Number.isSafeInteger(bp)) throw new RangeError(`basis points must be an integer, got ${bp}`);
  const abs = Math.abs(bp);
  const frac = abs % 100;
  const fracText = frac === 0 ? "" : `.${String(frac).padStart(2, "0").replace(/0$/, "")}`;
  return `${bp < 0 ? "-" : ""}${Math.floor(abs / 100)}${fracText}%`;
}

const customerHeadings: Record<PdfDocumentKind, string> = {
  quotation: "Prepared for",
  invoice: "Bill to",
  credit_note: "Credited to",
};

/** Stored method codes → the sentence printed; any other value is printed as given. */
const roundingNotes: Record<string, string> = { [ROUNDING_METHOD]: "Tax rounded half-up per line" };

/** A party's address lines, then its VAT ID and email (the name is printed separately). */
export function partyLines(p: PdfParty): string[] {
  const lines = p.address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (p.taxId) lines.push(`VAT ID: ${p.taxId}`);
  if (p.email) lines.push(p.email);
  return lines;
}

/** The ship-to text as a party: its first line is the addressee (printed bold), the rest its lines. */
function shipToParty(text: string | undefined): PdfRenderParty | null {
  const lines = (text ?? "")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.length ? { name: lines[0]!, lines: lines.slice(1) } : null;
}

function validate(d: PdfDocumentData): string[] {
  const issues: string[] = [];
  if (!["quotation", "invoice", "credit_note"].includes(d.kind)) issues.push(`unknown kind "${String(d.kind)}"`);
  if (!d.title?.trim()) issues.push("title is empty");
  if (!d.number?.trim()) issues.push("number is empty");
  if (!isoDate.test(d.issueDate ?? "")) issues.push(`issueDate "${d.issueDate}" is not yyyy-mm-dd`);
  if (d.dueDate !== undefined && !isoDate.test(d.dueDate)) issues.push(`dueDate "${d.dueDate}" is not yyyy-mm-dd`);
  if (!/^[A-Z]{3}$/.test(d.currency ?? "")) issues.push(`currency "${d.currency}" is not an ISO 4217 code`);
  if (!d.seller?.name?.trim()) issues.push("seller name is empty");
  if (!d.customer?.name?.trim()) issues.push("customer name is empty");
  if (!Array.isArray(d.lines)) return [...issues, "lines is not an array"];
  const money = [d.subtotalMinor, d.taxMinor, d.totalMinor];
  if (money.some((m) => typeof m !== "bigint")) return [...issues, "document totals must be bigint minor units"];

  let net = 0n;
  let tax = 0n;
  const byRate = new Map<number, { netMinor: bigint; taxMinor: bigint }>();
  for (const l of d.lines) {
    const at = `line ${l.lineNo}`;
    if ([l.unitPriceMinor, l.netMinor, l.taxMinor, l.totalMinor].some((m) => typeof m !== "bigint")) {
      issues.push(`${at}: amounts must be bigint minor units`);
      continue;
    }
    if (!Number.isFinite(l.quantity)) issues.push(`${at}: quantity is not a number`);
    if (!Number.isSafeInteger(l.taxRateBp) || !Number.isSafeInteger(l.discountBp)) issues.push(`${at}: rates must be integer basis points`);
    if (l.netMinor + l.taxMinor !== l.totalMinor) issues.push(`${at}: net + tax ≠ total`);
    net += l.netMinor;
    tax += l.taxMinor;
    const r = byRate.get(l.taxRateBp) ?? { netMinor: 0n, taxMinor: 0n };
    byRate.set(l.taxRateBp, { netMinor: r.netMinor + l.netMinor, taxMinor: r.taxMinor + l.taxMinor });
  }
  if (net !== d.subtotalMinor) issues.push(`subtotal ${d.subtotalMinor} ≠ sum of line nets ${net}`);
  if (tax !== d.taxMinor) issues.push(`tax ${d.taxMinor} ≠ sum of line taxes ${tax}`);
  if (d.subtotalMinor + d.taxMinor !== d.totalMinor) issues.push("subtotal + tax ≠ total");
  const printedRates = new Set<number>();
  for (const r of d.taxByRate ?? []) {
    const fromLines = byRate.get(r.taxRateBp);
    printedRates.add(r.taxRateBp);
    if (!fromLines || fromLines.netMinor !== r.netMinor || fromLines.taxMinor !== r.taxMinor) {
      issues.push(`tax at ${formatPercentBp(r.taxRateBp)} does not match the lines at that rate`);
    }
  }
  for (const rate of byRate.keys()) if (!printedRates.has(rate)) issues.push(`no tax row for the lines at ${formatPercentBp(rate)}`);
  return issues;
}

/**
 * Checks that the figures add up (lines → subtotal, tax, per-rate tax, total) and turns the document
 * into display text. Throws PdfDataError rather than print a document that contradicts itself.
 */
export function toRenderModel(d: PdfDocumentData): PdfRenderModel {
  const issues = validate(d);
  if (issues.length > 0) throw new PdfDataError(issues);

  const money = (minor: bigint) => formatMoney(minor, d.currency);
  const showDiscount = d.lines.some((l) => l.discountBp !== 0);
  const total = money(d.totalMinor);

  const meta: PdfRenderRow[] = [{ label: "Date", value: d.issueDate }];
  if (d.version !== undefined && d.version > 1) meta.push({ label: "Version", value: String(d.version) });
  if (d.validUntil) meta.push({ label: "Valid until", value: d.validUntil });
  if (d.dueDate) meta.push({ label: "Due date", value: d.dueDate });
  if (d.reference) meta.push({ label: "Reference", value: d.reference });

  const notes: string[] = [];
  if (d.kind === "quotation" && d.validUntil) notes.push(`This quotation is valid until ${d.validUntil}.`);
  if (d.kind === "invoice" && d.dueDate) {
    const quoting = d.paymentReference ? `, quoting payment reference ${d.paymentReference}` : "";
    notes.push(`Please pay ${total} by ${d.dueDate}${quoting}.`);
  }
  if (d.exchangeRate) notes.push(`Amounts in ${d.currency}. Exchange rate used: ${d.exchangeRate}.`);

  const payment: PdfRenderRow[] = [];
  if (d.kind === "invoice") {
    if (d.seller.bank) payment.push({ label: "Bank", value: d.seller.bank });
    if (d.seller.iban) payment.push({ label: "IBAN", value: d.seller.iban });
    if (d.seller.bic) payment.push({ label: "BIC", value: d.seller.bic });
    if (d.paymentReference) payment.push({ label: "Payment reference", value: d.paymentReference });
  }

  const heading = d.version !== undefined && d.version > 1 ? `${d.title} ${d.number} (version ${d.version})` : `${d.title} ${d.number}`;
  return {
    kind: d.kind,
    title: d.title,
    number: d.number,
    info: { title: heading, author: d.seller.name, subject: `${heading} for ${d.customer.name}` },
    meta,
    seller: { name: d.seller.name, lines: partyLines(d.seller) },
    customerHeading: customerHeadings[d.kind],
    customer: { name: d.customer.name, lines: partyLines(d.customer) },
    shipTo: shipToParty(d.shipTo),
    showDiscount,
    lines: d.lines.map((l) => ({
      lineNo: String(l.lineNo),
      sku: l.sku,
      name: l.name,
      quantity: `${quantityFormat.format(l.quantity)} ${l.unit}`.trim(),
      unitPrice: money(l.unitPriceMinor),
      discount: l.discountBp !== 0 ? formatPercentBp(l.discountBp) : "",
      taxRate: formatPercentBp(l.taxRateBp),
      net: money(l.netMinor),
    })),
    subtotal: { label: "Subtotal", value: money(d.subtotalMinor) },
    taxRows: d.taxByRate.map((r) => ({ label: `VAT ${formatPercentBp(r.taxRateBp)} on ${money(r.netMinor)}`, value: money(r.taxMinor) })),
    total: { label: "Total", value: total },
    notes,
    payment,
    terms: d.terms.trim(),
    roundingNote: roundingNotes[d.roundingMethod] ?? d.roundingMethod,
    footer: `${d.seller.name} · ${heading}`,
  };
}
