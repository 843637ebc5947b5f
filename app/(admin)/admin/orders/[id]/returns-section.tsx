import { randomUUID } from "node:crypto";
import { ReturnStepForm } from "@/components/returns/return-forms";
import { ReturnsCard } from "@/components/returns/returns-card";
import { db } from "@/db/client";
import { listOrderReturns } from "@/db/queries/returns";
import { approveReturnAction, receiveReturnAction, rejectReturnAction } from "./return-actions";

/** An order's returns for staff, with the step each one waits for: approve or reject, then mark received. */
export async function ReturnsSection({ order, timeZone, canFulfil }: { order: { id: string; currency: string }; timeZone: string; canFulfil: boolean }) {
  const returns = await listOrderReturns(db, { orderId: order.id });
  return (
    <ReturnsCard
      returns={returns}
      currency={order.currency}
      timeZone={timeZone}
      actions={(r) =>
        canFulfil && (r.status === "requested" || r.status === "approved") ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {r.status === "requested" ? (
              <ReturnStepForm key={`approve-${r.id}`} action={approveReturnAction} returnId={r.id} number={r.number} submitLabel="Approve return" pendingLabel="Approving…" variant="primary" />
            ) : (
              <ReturnStepForm key={`receive-${r.id}`} action={receiveReturnAction} returnId={r.id} idempotencyKey={randomUUID()} number={r.number} submitLabel="Mark return received" pendingLabel="Receiving…" variant="primary" />
            )}
            <ReturnStepForm key={`reject-${r.id}`} action={rejectReturnAction} returnId={r.id} number={r.number} submitLabel="Reject return" pendingLabel="Rejecting…" withReason variant="danger" />
          </div>
        ) : null
      }
    />
  );
}
