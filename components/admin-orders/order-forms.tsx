"use client";

import { useActionState, type ReactNode } from "react";
import { fieldErrors, submittedValue, type ActionState, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, Textarea } from "@/components/ui";

// Staff forms on the order page. Each posts the order id; a change of state redirects back to the
// order with a notice, so these forms only ever show failures (and the note form its confirmation).

type Base = { action: FormAction; orderId: string };

function Shell({ action, orderId, children, className = "space-y-4" }: Base & { children: (state: ActionState) => ReactNode; className?: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className={className}>
      <FormMessage result={state} />
      <input type="hidden" name="orderId" value={orderId} />
      {children(state)}
    </form>
  );
}

export function ApproveOrderForm({ action, orderId, hint }: Base & { hint?: string }) {
  return (
    <Shell action={action} orderId={orderId}>
      {(state) => (
        <>
          <Textarea
            label="Comment"
            id="approve-comment"
            name="comment"
            rows={2}
            maxLength={1000}
            hint={hint ?? "Optional; shown with your approval."}
            defaultValue={submittedValue(state, "comment")}
            error={fieldErrors(state, "comment")}
          />
          <SubmitButton pendingLabel="Approving…">Approve order</SubmitButton>
        </>
      )}
    </Shell>
  );
}

export function RejectOrderForm({ action, orderId }: Base) {
  return (
    <Shell action={action} orderId={orderId}>
      {(state) => (
        <>
          <Textarea
            label="Reason"
            id="reject-reason"
            name="reason"
            rows={2}
            required
            maxLength={1000}
            hint="The customer sees this reason. The reserved stock is released."
            defaultValue={submittedValue(state, "reason")}
            error={fieldErrors(state, "reason")}
          />
          <SubmitButton variant="danger" pendingLabel="Rejecting…">
            Reject order
          </SubmitButton>
        </>
      )}
    </Shell>
  );
}

/** Idempotent: the page renders a fresh key each time, so a resubmitted form cannot ship twice. */
export function ShipOrderForm({ action, orderId, idempotencyKey }: Base & { idempotencyKey: string }) {
  return (
    <Shell action={action} orderId={orderId}>
      {(state) => (
        <>
          <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
          <div className="grid gap-4 sm:grid-cols-2">
            <Input
              label="Carrier"
              id="ship-carrier"
              name="carrier"
              required
              maxLength={100}
              autoComplete="off"
              defaultValue={submittedValue(state, "carrier")}
              error={fieldErrors(state, "carrier")}
            />
            <Input
              label="Tracking number"
              id="ship-tracking-number"
              name="trackingNumber"
              maxLength={200}
              autoComplete="off"
              defaultValue={submittedValue(state, "trackingNumber")}
              error={fieldErrors(state, "trackingNumber")}
            />
          </div>
          <SubmitButton pendingLabel="Saving…">Mark as shipped</SubmitButton>
        </>
      )}
    </Shell>
  );
}

export function DeliverOrderForm({ action, orderId }: Base) {
  return (
    <Shell action={action} orderId={orderId} className="space-y-3">
      {() => <SubmitButton pendingLabel="Saving…">Mark as delivered</SubmitButton>}
    </Shell>
  );
}

export function CancelOrderForm({ action, orderId, warning }: Base & { warning?: string }) {
  return (
    <Shell action={action} orderId={orderId}>
      {(state) => (
        <>
          {warning && (
            <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900" data-testid="cancel-warning">
              {warning}
            </p>
          )}
          <Textarea
            label="Reason for cancelling"
            id="cancel-reason"
            name="reason"
            rows={2}
            required
            maxLength={1000}
            hint="The customer sees this reason. Reserved stock is released."
            defaultValue={submittedValue(state, "reason")}
            error={fieldErrors(state, "reason")}
          />
          <SubmitButton variant="danger" pendingLabel="Cancelling…">
            Cancel order
          </SubmitButton>
        </>
      )}
    </Shell>
  );
}

/** Staff-only note on the timeline; the field is cleared after each note. */
export function OrderNoteForm({ action, orderId }: Base) {
  return (
    <Shell action={action} orderId={orderId}>
      {(state) => (
        <>
          <Textarea
            label="Internal note"
            id="order-note"
            name="note"
            rows={3}
            required
            maxLength={4000}
            hint="Visible to staff only, never to the customer."
            defaultValue={submittedValue(state, "note")}
            error={fieldErrors(state, "note")}
          />
          <SubmitButton variant="secondary" pendingLabel="Adding…">
            Add note
          </SubmitButton>
        </>
      )}
    </Shell>
  );
}
