import { documentPdfHref } from "@/components/documents/document-links";
import { DateTime } from "@/components/lists/date-time";
import { DetailList } from "@/components/lists/detail-list";
import { Card, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { OrderDetail } from "@/db/queries/orders";
import { formatTaxRate } from "@/lib/domain/catalog";
import { formatMoney } from "@/lib/domain/money";
import { quotationChanges } from "./quotation-changes";

type Version = OrderDetail["versions"][number];

const linkClass = "font-medium text-brand-700 hover:underline";

export const quotationPdfHref = (quotationId: string) => documentPdfHref("quotation", quotationId);

function taxByRate(lines: Version["lines"]) {
  const byRate = new Map<number, bigint>();
  for (const l of lines) byRate.set(l.taxRateBp, (byRate.get(l.taxRateBp) ?? 0n) + l.taxMinor);
  return [...byRate.entries()].sort(([a], [b]) => a - b);
}

/** The latest quotation version with its frozen lines and totals, and what changed since the previous one. */
export function QuotationCard({ versions, timeZone }: { versions: OrderDetail["versions"]; timeZone: string }) {
  const latest = versions.at(-1);
  if (!latest) return null;
  const previous = versions.length > 1 ? versions.at(-2) : undefined;
  const currency = latest.currency;
  const changes = previous ? quotationChanges(previous.lines, latest.lines, currency) : [];
  return (
    <Card title="Quotation">
      <DetailList
        items={[
          { label: "Number", value: latest.number, testId: "quotation-number" },
          { label: "Version", value: String(latest.version), testId: "quotation-version" },
          { label: "Issued", value: <DateTime value={latest.issuedAt} timeZone={timeZone} /> },
          { label: "Valid until", value: <DateTime value={latest.validUntil} timeZone={timeZone} />, testId: "quotation-valid-until" },
        ]}
      />
      <div className="mt-6">
        <Table caption="Quotation lines" stack>
          <THead>
            <tr>
              <TH>SKU</TH>
              <TH>Description</TH>
              <TH className="text-right">Qty</TH>
              <TH className="text-right">Unit price</TH>
              <TH className="text-right">Discount</TH>
              <TH className="text-right">Net</TH>
              <TH className="text-right">Tax</TH>
              <TH className="text-right">Total</TH>
            </tr>
          </THead>
          <TBody>
            {latest.lines.map((l) => (
              <TR key={l.lineNo} data-testid={`quotation-line-${l.sku}`}>
                <TD label="SKU" className="font-mono text-xs whitespace-nowrap">{l.sku}</TD>
                <TD className="min-w-48 max-md:order-first">
                  {l.name}
                  {l.priceExplanation && <span className="block text-xs text-slate-600">{l.priceExplanation}</span>}
                </TD>
                <TD label="Qty" className="text-right whitespace-nowrap tabular-nums">
                  {l.quantity} <span className="text-slate-600">{l.unit}</span>
                </TD>
                <TD label="Unit price" className="text-right whitespace-nowrap tabular-nums">{formatMoney(l.unitPriceMinor, currency)}</TD>
                <TD label="Discount" className="text-right whitespace-nowrap tabular-nums">{formatTaxRate(l.discountBp)}%</TD>
                <TD label="Net" className="text-right whitespace-nowrap tabular-nums">{formatMoney(l.netMinor, currency)}</TD>
                <TD label="Tax" className="text-right whitespace-nowrap tabular-nums">{formatTaxRate(l.taxRateBp)}%</TD>
                <TD label="Total" className="text-right font-medium whitespace-nowrap tabular-nums">{formatMoney(l.totalMinor, currency)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
      <div className="mt-4 flex flex-col gap-4 sm:flex-row sm:items-start sm:justify-between">
        <p>
          <a href={quotationPdfHref(latest.id)} download className={linkClass}>
            Download quotation PDF
          </a>
        </p>
        <dl className="grid w-full max-w-sm grid-cols-[1fr_auto] gap-x-6 gap-y-1 text-sm">
          <dt className="text-slate-600">Subtotal</dt>
          <dd className="text-right tabular-nums" data-testid="quotation-subtotal">
            {formatMoney(latest.subtotalMinor, currency)}
          </dd>
          {taxByRate(latest.lines).map(([rate, tax]) => (
            <div key={rate} className="contents">
              <dt className="text-slate-600">VAT {formatTaxRate(rate)}%</dt>
              <dd className="text-right tabular-nums" data-testid={`quotation-tax-${formatTaxRate(rate)}`}>
                {formatMoney(tax, currency)}
              </dd>
            </div>
          ))}
          <dt className="border-t border-slate-200 pt-1 font-semibold text-slate-900">Total</dt>
          <dd className="border-t border-slate-200 pt-1 text-right font-semibold tabular-nums" data-testid="quotation-total">
            {formatMoney(latest.totalMinor, currency)}
          </dd>
        </dl>
      </div>
      {previous && (
        <section aria-labelledby="what-changed-heading" className="mt-6 border-t border-slate-200 pt-4" data-testid="what-changed">
          <h3 id="what-changed-heading" className="text-base font-semibold text-slate-900">
            What changed
          </h3>
          <p className="mt-1 text-sm text-slate-700">
            Version {latest.version} compared with version {previous.version}
            {latest.revisionReason ? (
              <>
                . Reason: <span data-testid="revision-reason">{latest.revisionReason}</span>
              </>
            ) : (
              "."
            )}
          </p>
          {changes.length === 0 ? (
            <p className="mt-2 text-sm text-slate-700">No line changed.</p>
          ) : (
            <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-slate-800">
              {changes.map((c) => (
                <li key={`${c.kind}-${c.sku}`} data-testid={`change-${c.sku}`}>
                  <span className="font-mono text-xs">{c.sku}</span> {c.name}:{" "}
                  {c.kind === "removed" ? "removed" : c.kind === "added" ? `added (${c.details.join(", ")})` : c.details.join("; ")}
                </li>
              ))}
            </ul>
          )}
          <ul className="mt-3 flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {versions.slice(0, -1).map((v) => (
              <li key={v.id}>
                <a href={quotationPdfHref(v.id)} download className={linkClass}>
                  Version {v.version} PDF
                </a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Card>
  );
}
