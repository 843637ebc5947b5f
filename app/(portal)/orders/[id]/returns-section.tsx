import { randomUUID } from "node:crypto";
import { ReturnRequestForm } from "@/components/returns/return-forms";
import { ReturnsCard } from "@/components/returns/returns-card";
import { db } from "@/db/client";
import { listOrderReturns, orderLinesReturnable } from "@/db/queries/returns";
import { requestReturnAction } from "./return-actions";

/** The customer's returns of an order, and the form to request one while shipped goods remain to return. */
export async function ReturnsSection({ order, timeZone }: { order: { id: string; companyId: string; status: string; currency: string }; timeZone: string }) {
  // Only goods that shipped can go back: the section shows once something has shipped or been returned
  // (the data decides, not a list of order states: the state machine owns those).
  const [lines, returns] = await Promise.all([orderLinesReturnable(db, order.id), listOrderReturns(db, { orderId: order.id, companyId: order.companyId })]);
  if (returns.length === 0 && !lines.some((l) => l.shipped > 0)) return null;
  const open = lines.filter((l) => l.returnable > 0);
  return (
    <ReturnsCard returns={returns} currency={order.currency} timeZone={timeZone}>
      {open.length > 0 && (
        <section aria-labelledby="request-return-heading" className="space-y-3">
          <h3 id="request-return-heading" className="text-base font-semibold text-slate-900">
            Request a return
          </h3>
          <p className="text-sm text-slate-700">Goods that have shipped can be sent back. Tell us how many of each and why; we approve the request before you send them.</p>
          <ReturnRequestForm action={requestReturnAction} orderId={order.id} idempotencyKey={randomUUID()} lines={open} />
        </section>
      )}
    </ReturnsCard>
  );
}
