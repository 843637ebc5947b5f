import { DocumentPdfLink } from "@/components/documents/document-links";
import { DateTime } from "@/components/lists/date-time";
import { quotationPdfHref } from "@/components/orders/quotation-card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { OrderDetail } from "@/db/queries/orders";
import { formatMoney } from "@/lib/domain/money";
import { documentTotals } from "@/lib/domain/totals";
import { PdfLink } from "./order-status";

type Version = OrderDetail["versions"][number];

/** "19%", "7.5%": a rate in basis points as people read it. */
export function formatRate(bp: number): string {
  return `${(bp / 100).toLocaleString("en-GB", { maximumFractionDigits: 2 })}%`;
}

/** The current quotation as the customer sees it: lines, subtotal, tax per rate and total. */
export function QuotationView({ quotation, timeZone }: { quotation: Version; timeZone: string }) {
  const money = (minor: bigint) => formatMoney(minor, quotation.currency);
  const grossMinor = (l: Version["lines"][number]) => BigInt(l.quantity) * l.unitPriceMinor;
  // Tax per rate from the frozen lines; the stored document totals are the figures that count.
  const { taxByRate } = documentTotals(
    quotation.lines.map((l) => ({ grossMinor: grossMinor(l), discountMinor: grossMinor(l) - l.netMinor, netMinor: l.netMinor, taxMinor: l.taxMinor, totalMinor: l.totalMinor, taxRateBp: l.taxRateBp })),
  );
  return (
    <div className="space-y-4">
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-3">
        <div>
          <dt className="font-medium text-slate-600">Quotation</dt>
          <dd className="text-slate-900" data-testid="quotation-number">
            <DocumentPdfLink kind="quotation" id={quotation.id} number={quotation.number} /> · version {quotation.version}
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-600">Issued</dt>
          <dd className="text-slate-900">
            <DateTime value={quotation.issuedAt} timeZone={timeZone} />
          </dd>
        </div>
        <div>
          <dt className="font-medium text-slate-600">Valid until</dt>
          <dd className="text-slate-900" data-testid="quotation-valid-until">
            <DateTime value={quotation.validUntil} timeZone={timeZone} />
          </dd>
        </div>
      </dl>
      {quotation.revisionReason && (
        <p className="text-sm text-slate-700">
          <span className="font-medium">Reason for this revision:</span> {quotation.revisionReason}
        </p>
      )}
      <Table caption={`Quotation ${quotation.number} version ${quotation.version} lines`}>
        <THead>
          <tr>
            <TH>#</TH>
            <TH>Product</TH>
            <TH className="text-right">Quantity</TH>
            <TH className="text-right">Unit price</TH>
            <TH className="text-right">Discount</TH>
            <TH className="text-right">Net</TH>
            <TH className="text-right">Tax</TH>
            <TH className="text-right">Total</TH>
          </tr>
        </THead>
        <TBody>
          {quotation.lines.map((l) => (
            <TR key={l.lineNo} data-testid="quotation-line">
              <TD className="tabular-nums">{l.lineNo}</TD>
              <TD>
                <span className="font-medium">{l.name}</span>
                <span className="block font-mono text-xs text-slate-600">{l.sku}</span>
                {l.priceExplanation && <span className="block text-xs text-slate-600">{l.priceExplanation}</span>}
              </TD>
              <TD className="text-right whitespace-nowrap tabular-nums">
                {l.quantity} {l.unit}
              </TD>
              <TD className="text-right whitespace-nowrap tabular-nums">{money(l.unitPriceMinor)}</TD>
              <TD className="text-right whitespace-nowrap tabular-nums">{l.discountBp ? formatRate(l.discountBp) : "—"}</TD>
              <TD className="text-right whitespace-nowrap tabular-nums">{money(l.netMinor)}</TD>
              <TD className="text-right whitespace-nowrap tabular-nums">
                {money(l.taxMinor)}
                <span className="block text-xs text-slate-600">{formatRate(l.taxRateBp)}</span>
              </TD>
              <TD className="text-right whitespace-nowrap tabular-nums">{money(l.totalMinor)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <dl className="ml-auto max-w-sm space-y-1 text-sm">
        <div className="flex justify-between gap-4">
          <dt className="text-slate-600">Subtotal</dt>
          <dd className="tabular-nums" data-testid="quotation-subtotal">
            {money(quotation.subtotalMinor)}
          </dd>
        </div>
        {taxByRate.map((t) => (
          <div key={t.taxRateBp} className="flex justify-between gap-4">
            <dt className="text-slate-600">
              Tax {formatRate(t.taxRateBp)} on {money(t.netMinor)}
            </dt>
            <dd className="tabular-nums" data-testid={`quotation-tax-${t.taxRateBp}`}>
              {money(t.taxMinor)}
            </dd>
          </div>
        ))}
        <div className="flex justify-between gap-4 border-t border-slate-200 pt-1 font-semibold">
          <dt>Total</dt>
          <dd className="tabular-nums" data-testid="quotation-total">
            {money(quotation.totalMinor)}
          </dd>
        </div>
      </dl>
      <p className="text-sm">
        <PdfLink href={quotationPdfHref(quotation.id)}>Download quotation PDF</PdfLink>
      </p>
    </div>
  );
}

/** Every version of the quotation, oldest first, each with its PDF. */
export function VersionHistory({ versions, timeZone }: { versions: Version[]; timeZone: string }) {
  return (
    <ol className="divide-y divide-slate-200 text-sm" data-testid="quotation-versions">
      {versions.map((v) => (
        <li key={v.id} className="flex flex-col gap-1 py-2 sm:flex-row sm:items-baseline sm:justify-between">
          <div>
            <span className="font-medium">Version {v.version}</span> · <DateTime value={v.issuedAt} timeZone={timeZone} /> ·{" "}
            <span className="tabular-nums">{formatMoney(v.totalMinor, v.currency)}</span>
            {v.revisionReason && <span className="block text-slate-600">{v.revisionReason}</span>}
          </div>
          <PdfLink href={quotationPdfHref(v.id)}>{`Version ${v.version} PDF`}</PdfLink>
        </li>
      ))}
    </ol>
  );
}
