"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  productId: string;
  /**
   * The page's one-time key. Each successful receipt revalidates the page, which renders a fresh
   * key into this hidden field, so the next receipt is a new request and a resubmit is not.
   */
  idempotencyKey: string;
};

/** Books goods in: on hand goes up by the quantity received. */
export function ReceiveStockForm({ action, productId, idempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Quantity received"
          id="receive-stock-quantity"
          name="quantity"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          required
          defaultValue={submittedValue(state, "quantity")}
          error={fieldErrors(state, "quantity")}
        />
        <Input
          label="Reference or note"
          id="receive-stock-reason"
          name="reason"
          autoComplete="off"
          maxLength={500}
          defaultValue={submittedValue(state, "reason")}
          hint="e.g. the delivery note number."
          error={fieldErrors(state, "reason")}
        />
      </div>
      <SubmitButton pendingLabel="Receiving…">Receive stock</SubmitButton>
    </form>
  );
}
