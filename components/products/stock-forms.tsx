"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, type ButtonVariant } from "@/components/ui";

type Props = {
  action: FormAction;
  productId: string;
  /**
   * The page's one-time key. Each successful movement revalidates the page, which renders a fresh
   * key into this hidden field, so the next movement is a new request and a resubmit is not.
   */
  idempotencyKey: string;
};

type StockMovementFormProps = Props & {
  quantity: { label: string; id: string; name: string; min: number; hint?: string };
  reason: { label: string; id: string; required?: boolean; hint: string };
  submit: { label: string; pendingLabel: string; variant?: ButtonVariant };
};

/** A stock movement: a quantity and a reason, which go into the movement and the audit trail. */
function StockMovementForm({ action, productId, idempotencyKey, quantity, reason, submit }: StockMovementFormProps) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label={quantity.label}
          id={quantity.id}
          name={quantity.name}
          type="number"
          inputMode="numeric"
          min={quantity.min}
          step={1}
          required
          defaultValue={submittedValue(state, quantity.name)}
          hint={quantity.hint}
          error={fieldErrors(state, quantity.name)}
        />
        <Input
          label={reason.label}
          id={reason.id}
          name="reason"
          required={reason.required}
          autoComplete="off"
          maxLength={500}
          defaultValue={submittedValue(state, "reason")}
          hint={reason.hint}
          error={fieldErrors(state, "reason")}
        />
      </div>
      <SubmitButton variant={submit.variant} pendingLabel={submit.pendingLabel}>
        {submit.label}
      </SubmitButton>
    </form>
  );
}

/** Books goods in: on hand goes up by the quantity received. */
export function ReceiveStockForm(props: Props) {
  return (
    <StockMovementForm
      {...props}
      quantity={{ label: "Quantity received", id: "receive-stock-quantity", name: "quantity", min: 1 }}
      reason={{ label: "Reference or note", id: "receive-stock-reason", hint: "e.g. the delivery note number." }}
      submit={{ label: "Receive stock", pendingLabel: "Receiving…" }}
    />
  );
}

/** Corrects on hand to a counted quantity (stocktake, damage, loss); the reason goes into the movement and the audit trail. */
export function AdjustStockForm(props: Props) {
  return (
    <StockMovementForm
      {...props}
      quantity={{
        label: "Counted on hand",
        id: "adjust-stock-counted",
        name: "countedOnHand",
        min: 0,
        hint: "The quantity physically on the shelf, including units reserved for orders.",
      }}
      reason={{ label: "Reason", id: "adjust-stock-reason", required: true, hint: "e.g. stocktake, damaged in storage." }}
      submit={{ label: "Adjust stock", pendingLabel: "Adjusting…", variant: "secondary" }}
    />
  );
}
