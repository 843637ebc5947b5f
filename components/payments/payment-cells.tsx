import { DocumentOrderLink } from "@/components/documents/document-links";
import { TD, TH } from "@/components/ui";
import type { PaymentRow } from "@/db/queries/payments";
import { formatMoney } from "@/lib/domain/money";

// The columns every staff payments table shows: amount, date paid, reference (with the customer's
// note) and the allocation (with a warning when the payment may already be on the books).

export function PaymentDetailHeads() {
  return (
    <>
      <TH className="text-right">Amount</TH>
      <TH>Date paid</TH>
      <TH>Reference</TH>
      <TH>Allocated to</TH>
    </>
  );
}

export function PaymentDetailCells({ payment: p }: { payment: PaymentRow }) {
  return (
    <>
      <TD label="Amount" className="text-right whitespace-nowrap tabular-nums">{formatMoney(p.amountMinor, p.currency)}</TD>
      <TD label="Date paid" className="whitespace-nowrap">{p.paidOn}</TD>
      <TD label="Reference" className="break-words">
        {p.reference || "—"}
        {p.note && <span className="mt-1 block text-xs whitespace-pre-line text-slate-600">Note: {p.note}</span>}
      </TD>
      <TD label="Allocated to" className="text-xs">
        {p.allocationLinks.length === 0
          ? "—"
          : p.allocationLinks.map((a, i) => (
              <span key={`${a.number}-${i}`}>
                {i > 0 && ", "}
                <DocumentOrderLink kind="invoice" orderId={a.orderId} number={a.number} />{" "}
                {a.amount}
              </span>
            ))}
        {p.possibleDuplicateOf && (
          <span role="note" data-testid="possible-duplicate" className="mt-1 block font-medium text-amber-800">
            A bank payment of the same amount from {p.possibleDuplicateOf} is already recorded for this company: check that this is a separate transfer before verifying.
          </span>
        )}
      </TD>
    </>
  );
}
