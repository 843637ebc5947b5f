import "server-only";
import { describeRate, documentFx } from "@/lib/domain/currency";
import { isUuid } from "@/lib/domain/ids";
import type { invoiceLines, quotationLines } from "@/db/schema";
import { db, type DbOrTx } from "@/db/client";
import { cachedPdf, creditNoteDocument, invoiceDocument, quotationDocument, storePdf } from "@/db/queries/documents";
import { formatCreditorReference } from "@/lib/domain/creditor-reference";
import { dateIn, formatInZone } from "@/lib/domain/dates";
import { isCustomerRole } from "@/lib/domain/roles";
import { documentTotals } from "@/lib/domain/totals";
import { renderPdf } from "@/lib/pdf/render";
import type { PdfDocumentData, PdfLine, PdfParty } from "@/lib/pdf/types";
import type { Actor } from "@/lib/domain/actor";

export type DocumentKind = "quotation" | "invoice" | "credit_note";
export type RenderedDocument = { filename: string; pdf: Buffer; cached: boolean };


/** The owner company and staff may read a document; for anyone else it does not exist. */
function mayRead(actor: Actor, companyId: string): boolean {
  return !isCustomerRole(actor.role) || actor.companyId === companyId;
}

const party = (p: Record<string, string>): PdfParty => ({ name: p.name ?? "", address: p.address ?? "", taxId: p.taxId ?? "", email: p.email, iban: p.iban, bic: p.bic, bank: p.bank });

type LineRow = typeof quotationLines.$inferSelect | typeof invoiceLines.$inferSelect;
const pdfLines = (lines: LineRow[]): PdfLine[] =>
  lines.map((l) => ({ lineNo: l.lineNo, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity, unitPriceMinor: l.unitPriceMinor, discountBp: l.discountBp, netMinor: l.netMinor, taxRateBp: l.taxRateBp, taxMinor: l.taxMinor, totalMinor: l.totalMinor }));

function taxByRate(lines: LineRow[]) {
  return documentTotals(lines.map((l) => ({ grossMinor: 0n, discountMinor: 0n, netMinor: l.netMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor, taxRateBp: l.taxRateBp }))).taxByRate;
}

/** Loads a document the actor may read, as PDF data; null when it does not exist for them. */
async function documentData(tx: DbOrTx, actor: Actor, kind: DocumentKind, id: string): Promise<{ data: PdfDocumentData; version: number; filename: string } | null> {
  if (!isUuid(id)) return null;
  if (kind === "quotation") {
    const row = await quotationDocument(tx, id);
    if (!row || !mayRead(actor, row.companyId)) return null;
    const { q, lines } = row;
    return {
      version: q.version,
      filename: `${q.number}${q.version > 1 ? `-v${q.version}` : ""}.pdf`,
      data: {
        kind: "quotation",
        title: "Quotation",
        number: q.number,
        version: q.version,
        // The customer's calendar, like the validity date below it.
        issueDate: dateIn(row.timeZone, q.issuedAt),
        validUntil: formatInZone(q.validUntil, row.timeZone),
        reference: [row.reference, row.poNumber ? `PO ${row.poNumber}` : ""].filter(Boolean).join(" · "),
        seller: party(q.seller),
        customer: party(q.customer),
        shipTo: q.customer.shipTo,
        currency: q.currency,
        lines: pdfLines(lines),
        subtotalMinor: q.subtotalMinor,
        taxMinor: q.taxMinor,
        totalMinor: q.totalMinor,
        taxByRate: taxByRate(lines),
        roundingMethod: q.roundingMethod,
        terms: q.terms,
        ...exchangeRate(q),
      },
    };
  }
  if (kind === "invoice") {
    const found = await invoiceDocument(tx, id);
    if (!found || !mayRead(actor, found.inv.companyId)) return null;
    const { inv, lines, order } = found;
    return {
      version: 1,
      filename: `${inv.number}.pdf`,
      data: {
        kind: "invoice",
        title: "Invoice",
        number: inv.number,
        issueDate: inv.issueDate,
        dueDate: inv.dueDate,
        reference: [order?.reference, order?.poNumber ? `PO ${order.poNumber}` : ""].filter(Boolean).join(" · "),
        seller: party(inv.seller),
        customer: party(inv.customer),
        shipTo: inv.customer.shipTo,
        currency: inv.currency,
        lines: pdfLines(lines),
        subtotalMinor: inv.subtotalMinor,
        taxMinor: inv.taxMinor,
        totalMinor: inv.totalMinor,
        taxByRate: taxByRate(lines),
        roundingMethod: inv.roundingMethod,
        terms: `Please pay by ${inv.dueDate} to the account below, quoting the payment reference ${inv.paymentReference ? formatCreditorReference(inv.paymentReference) : inv.number}.`,
        paymentReference: inv.paymentReference ? formatCreditorReference(inv.paymentReference) : inv.number,
        ...exchangeRate(inv),
      },
    };
  }
  const cn = await creditNoteDocument(tx, id);
  if (!cn || !mayRead(actor, cn.cn.companyId)) return null;
  const lines = cn.lines;
  return {
    version: 1,
    filename: `${cn.cn.number}.pdf`,
    data: {
      kind: "credit_note",
      title: "Credit note",
      number: cn.cn.number,
      issueDate: cn.cn.issueDate,
      reference: cn.cn.returnId ? `Credits returned goods of invoice ${cn.inv.number}` : `Cancels invoice ${cn.inv.number}`,
      seller: party(cn.inv.seller),
      customer: party(cn.inv.customer),
      currency: cn.cn.currency,
      lines: pdfLines(lines),
      subtotalMinor: cn.cn.subtotalMinor,
      taxMinor: cn.cn.taxMinor,
      totalMinor: cn.cn.totalMinor,
      taxByRate: taxByRate(lines),
      roundingMethod: cn.inv.roundingMethod,
      terms: cn.cn.returnId
        ? `Reason: ${cn.cn.reason}. The returned lines above are credited; invoice ${cn.inv.number} stays due for the rest.`
        : `Reason: ${cn.cn.reason}. The full amount of invoice ${cn.inv.number} is credited.`,
    },
  };
}

/**
 * The PDF of an issued (immutable) document: rendered once in the worker pool, then served from
 * rendered_documents, keyed by document and version. Null when the actor may not see it.
 */
export async function documentPdf(actor: Actor, kind: DocumentKind, id: string): Promise<RenderedDocument | null> {
  const found = await documentData(db, actor, kind, id);
  if (!found) return null;
  const key = { kind, documentId: id, version: found.version };
  const cached = await cachedPdf(db, key);
  if (cached) return { filename: found.filename, pdf: cached, cached: true };
  const pdf = await renderPdf(found.data);
  // Two first downloads at once both render; the first insert wins and both serve identical bytes' content.
  await storePdf(db, { ...key, pdf });
  return { filename: found.filename, pdf, cached: false };
}

/** The rate a quotation or invoice kept (issue 15), for the PDF's notes; nothing in the seller's currency. */
function exchangeRate(doc: Parameters<typeof documentFx>[0]): { exchangeRate?: string } {
  const fx = documentFx(doc);
  return fx ? { exchangeRate: describeRate(fx) } : {};
}
