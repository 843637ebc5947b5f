// Realistic documents of any length for tests, the PDF benchmark and layout previews. Figures come
// from the real domain functions, so they add up exactly as stored documents do.
import { documentTotals, lineAmounts, ROUNDING_METHOD } from "../domain/totals";
import type { PdfDocumentData, PdfDocumentKind, PdfLine } from "./types";

const titles: Record<PdfDocumentKind, string> = { quotation: "Quotation", invoice: "Invoice", credit_note: "Credit note" };
const numbers: Record<PdfDocumentKind, string> = { quotation: "Q-2026-000012", invoice: "INV-2026-000001", credit_note: "CN-2026-000001" };
const products = [
  { name: "Hex bolt M8 × 40, zinc plated, DIN 933", unit: "pcs", price: 18n },
  { name: "Stainless steel washer M8, A2 (pack of 100)", unit: "pack", price: 1_250n },
  { name: "Industrial safety gloves, nitrile coated, size 9 — EN 388 4131X", unit: "pair", price: 489n },
  { name: "Cable tie 300 × 4.8 mm, UV resistant, black", unit: "bag", price: 799n },
  { name: "Pallet wrap film 500 mm × 300 m, 23 µm", unit: "roll", price: 1_895n },
  { name: "Łódź workshop service: on-site calibration of torque wrenches", unit: "h", price: 8_500n },
];

/**
 * A document with `lineCount` lines at 19% and 7% VAT; with `discounts`, every third line has a
 * 10% or 12.5% discount.
 */
export function sampleDocument(kind: PdfDocumentKind, lineCount: number, opts: { discounts?: boolean; currency?: string } = {}): PdfDocumentData {
  const lines: PdfLine[] = Array.from({ length: lineCount }, (_, i) => {
    const p = products[i % products.length]!;
    const quantity = 1 + ((i * 7) % 40);
    const taxRateBp = i % 4 === 3 ? 700 : 1900;
    const discountBp = opts.discounts && i % 3 === 0 ? (i % 2 === 0 ? 1000 : 1250) : 0;
    const a = lineAmounts({ quantity, unitPriceMinor: p.price, taxRateBp, discountBp });
    return {
      lineNo: i + 1,
      sku: `SKU-${String(10_000 + i)}`,
      name: p.name,
      unit: p.unit,
      quantity,
      unitPriceMinor: p.price,
      discountBp,
      netMinor: a.netMinor,
      taxRateBp,
      taxMinor: a.taxMinor,
      totalMinor: a.totalMinor,
    };
  });
  const totals = documentTotals(lines.map((l) => ({ ...l, grossMinor: 0n, discountMinor: 0n })));
  return {
    kind,
    title: titles[kind],
    number: numbers[kind],
    version: kind === "quotation" ? 2 : undefined,
    issueDate: "2026-11-10",
    validUntil: kind === "quotation" ? "2026-12-10 23:59 (Europe/Berlin)" : undefined,
    dueDate: kind === "invoice" ? "2026-12-10" : undefined,
    reference: kind === "credit_note" ? "Cancels invoice INV-2026-000001" : "PO 4711-B",
    seller: {
      name: "Nordwerk Industriebedarf GmbH",
      address: "Hafenstraße 12\n20457 Hamburg\nGermany",
      taxId: "DE123456789",
      email: "billing@nordwerk.example",
      iban: "DE89 3704 0044 0532 0130 00",
      bic: "COBADEFFXXX",
      bank: "Commerzbank Hamburg",
    },
    customer: {
      name: "Kowalski & Søn Maschinenbau AG",
      address: "Ul. Piotrkowska 104\n90-926 Łódź\nPoland",
      taxId: "PL5260250995",
      email: "ap@kowalski.example",
    },
    currency: opts.currency ?? "EUR",
    lines,
    ...totals,
    roundingMethod: ROUNDING_METHOD,
    terms: "Payment within 30 days of the invoice date without deduction.\nGoods remain our property until paid in full.\nPlace of jurisdiction: Hamburg.",
    paymentReference: kind === "invoice" ? "RF18 5390 0754 7034" : undefined,
  };
}
