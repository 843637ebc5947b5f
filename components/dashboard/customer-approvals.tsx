import Link from "next/link";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { formatCount } from "@/components/lists/format";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import type { CustomerDashboardData } from "@/db/queries/analytics/customer";
import { formatMoney } from "@/lib/domain/money";

const linkClass = "font-medium text-brand-700 hover:underline";

function age(days: number): string {
  return days === 0 ? "Less than a day" : days === 1 ? "1 day" : `${formatCount(days)} days`;
}

/** Orders a buyer accepted above their spending limit, waiting for the customer admin, oldest first. */
export function CustomerApprovals({ awaiting, timeZone }: { awaiting: CustomerDashboardData["awaitingApproval"]; timeZone: string }) {
  if (awaiting.count === 0) {
    return (
      <p className="text-sm text-slate-600" data-testid="approvals-empty">
        No order waits for your approval. When a buyer accepts a quotation above their spending limit, the order waits here until you
        approve or reject it.
      </p>
    );
  }
  return (
    <>
      <Table caption="Orders awaiting your approval, oldest first">
        <THead>
          <tr>
            <TH>Order</TH>
            <TH>Buyer</TH>
            <TH className="text-right">Total</TH>
            <TH>{zonedHeader("Accepted", timeZone)}</TH>
            <TH>Waiting</TH>
          </tr>
        </THead>
        <TBody>
          {awaiting.items.map((o) => (
            <TR key={o.orderId} data-testid={`awaiting-${o.reference}`}>
              <TD className="whitespace-nowrap">
                <Link href={`/orders/${o.orderId}`} className={linkClass}>
                  {o.reference}
                </Link>
              </TD>
              <TD className="break-words">{o.buyerName}</TD>
              <TD className="text-right whitespace-nowrap tabular-nums">{o.totalMinor === null ? "—" : formatMoney(o.totalMinor, o.currency)}</TD>
              <TD className="whitespace-nowrap">
                <DateTime value={o.acceptedAt} timeZone={timeZone} zone={false} />
              </TD>
              <TD className="whitespace-nowrap">{age(o.waitingDays)}</TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <p className="mt-3 text-sm">
        <Link href="/orders?status=awaiting_customer_approval" className={linkClass}>
          {awaiting.count > awaiting.items.length ? `View all ${formatCount(awaiting.count)} orders awaiting approval` : "View orders awaiting approval"}
        </Link>
      </p>
    </>
  );
}
