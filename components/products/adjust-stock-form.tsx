"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  productId: string;
  /** The page's one-time key; a successful adjustment revalidates the page, which renders a fresh one. */
  idempotencyKey: string;
};

/** Corrects on hand to a counted quantity (stocktake, damage, loss); the reason goes into the movement and the audit trail. */
export function AdjustStockForm({ action, productId, idempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Counted on hand"
          id="adjust-stock-counted"
          name="countedOnHand"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          required
          defaultValue={submittedValue(state, "countedOnHand")}
          hint="The quantity physically on the shelf, including units reserved for orders."
          error={fieldErrors(state, "countedOnHand")}
        />
        <Input
          label="Reason"
          id="adjust-stock-reason"
          name="reason"
          required
          autoComplete="off"
          maxLength={500}
          defaultValue={submittedValue(state, "reason")}
          hint="e.g. stocktake, damaged in storage."
          error={fieldErrors(state, "reason")}
        />
      </div>
      <SubmitButton variant="secondary" pendingLabel="Adjusting…">
        Adjust stock
      </SubmitButton>
    </form>
  );
}
