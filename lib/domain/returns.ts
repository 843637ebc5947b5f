// What a return credits of an invoice line (pure). A line's net and tax are credited pro rata to the
// quantity returned, rounded half up on the cumulative quantity: the credit of k units is
// round(amount · k / invoiced) minus what earlier returns of the line credited. Returns of a line
// then add up to the line's exact amounts once all of it has come back, and never exceed them.

export type InvoicedLine = { quantity: number; netMinor: bigint; taxMinor: bigint };
export type CreditedSoFar = { quantity: number; netMinor: bigint; taxMinor: bigint };

function proRata(amount: bigint, part: number, whole: number): bigint {
  // Half up for non-negative amounts: floor((2·amount·part + whole) / (2·whole)).
  return (2n * amount * BigInt(part) + BigInt(whole)) / (2n * BigInt(whole));
}

/** The net and tax to credit for `quantity` more units of a line, given what was credited before. */
export function returnCredit(line: InvoicedLine, before: CreditedSoFar, quantity: number): { netMinor: bigint; taxMinor: bigint; totalMinor: bigint } {
  if (!Number.isInteger(quantity) || quantity <= 0) throw new Error("returnCredit: quantity must be a positive whole number");
  const upTo = before.quantity + quantity;
  if (upTo > line.quantity) throw new Error(`returnCredit: ${upTo} credited exceeds the ${line.quantity} invoiced`);
  const netMinor = proRata(line.netMinor, upTo, line.quantity) - before.netMinor;
  const taxMinor = proRata(line.taxMinor, upTo, line.quantity) - before.taxMinor;
  return { netMinor, taxMinor, totalMinor: netMinor + taxMinor };
}

export const returnStatusLabels = { requested: "Requested", approved: "Approved", received: "Received", rejected: "Rejected" } as const;
