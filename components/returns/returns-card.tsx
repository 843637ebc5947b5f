import type { ReactNode } from "react";
import { documentPdfHref, DocumentPdfLink } from "@/components/documents/document-links";
import { DateTime } from "@/components/lists/date-time";
import { Badge, Card, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { ReturnSummary } from "@/db/queries/returns";
import { formatMoney } from "@/lib/domain/money";
import { returnStatusLabels } from "@/lib/domain/returns";

const tone = { requested: "warning", approved: "info", received: "success", rejected: "danger" } as const;
const linkClass = "font-medium text-blue-700 underline underline-offset-2 hover:text-blue-900";

/**
 * An order's returns with their lines, status and steps (who, when), and the credit note of a
 * received one. The same card on the customer and the staff order page; `actions` renders what the
 * viewer may do with a return (staff: approve, reject, mark received), `children` the request form.
 */
export function ReturnsCard({
  returns,
  currency,
  timeZone,
  actions,
  children,
}: {
  returns: ReturnSummary[];
  currency: string;
  timeZone: string;
  actions?: (r: ReturnSummary) => ReactNode;
  children?: ReactNode;
}) {
  if (returns.length === 0 && !children) return null;
  return (
    <Card title="Returns">
      <div className="space-y-6">
        {returns.length === 0 ? (
          <p className="text-sm text-slate-700">No returns yet.</p>
        ) : (
          <ul className="space-y-4" aria-label="Returns of this order">
            {returns.map((r) => (
              <li key={r.id} className="space-y-3 rounded-md border border-slate-200 p-3" data-testid={`return-${r.number}`}>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-sm font-semibold">{r.number}</span>
                  <Badge tone={tone[r.status]} data-testid="return-status">
                    {returnStatusLabels[r.status]}
                  </Badge>
                </div>
                <p className="text-sm text-slate-800">Reason: {r.reason}</p>
                <Table stack caption={`Lines of ${r.number}`}>
                  <THead>
                    <TR>
                      <TH>Item</TH>
                      <TH className="text-right">Quantity</TH>
                    </TR>
                  </THead>
                  <TBody>
                    {r.lines.map((l) => (
                      <TR key={l.lineNo}>
                        <TD>
                          <span className="font-mono text-xs">{l.sku}</span> {l.name}
                        </TD>
                        <TD label="Quantity" className="text-right tabular-nums">
                          {l.quantity} {l.unit}
                        </TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
                <ul className="space-y-1 text-sm text-slate-700">
                  <li>
                    Requested <DateTime value={r.requestedAt} timeZone={timeZone} />
                    {r.requestedByName ? ` by ${r.requestedByName}` : ""}
                  </li>
                  {r.decidedAt && (
                    <li>
                      {r.status === "rejected" ? "Rejected" : "Approved"} <DateTime value={r.decidedAt} timeZone={timeZone} />
                      {r.decidedByName ? ` by ${r.decidedByName}` : ""}
                      {r.rejectionReason ? `: ${r.rejectionReason}` : ""}
                    </li>
                  )}
                  {r.receivedAt && (
                    <li>
                      Received <DateTime value={r.receivedAt} timeZone={timeZone} />
                      {r.receivedByName ? ` by ${r.receivedByName}` : ""}
                    </li>
                  )}
                  {r.creditNoteId && r.creditNoteNumber && r.creditNoteTotalMinor !== null && (
                    <li data-testid="return-credit-note">
                      Credit note <DocumentPdfLink kind="credit_note" id={r.creditNoteId} number={r.creditNoteNumber} className={linkClass} />: {formatMoney(r.creditNoteTotalMinor, currency)} ·{" "}
                      <a href={documentPdfHref("credit_note", r.creditNoteId)} download className={linkClass}>
                        Download credit note {r.creditNoteNumber} (PDF)
                      </a>
                    </li>
                  )}
                </ul>
                {actions?.(r)}
              </li>
            ))}
          </ul>
        )}
        {children}
      </div>
    </Card>
  );
}
