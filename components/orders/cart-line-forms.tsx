"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Input, SubmitButton } from "@/components/ui";

type LineProps = { action: FormAction; productId: string; sku: string };

/** A cart line's quantity; the page keys it by the saved quantity, so a change shows the new value. */
export function CartQuantityForm({ action, productId, sku, quantity, orderMultiple }: LineProps & { quantity: number; orderMultiple: number }) {
  const [state, formAction] = useActionState(action, null);
  const errors = fieldErrors(state, "quantity") ?? (state?.ok === false ? [state.error] : undefined);
  return (
    // Wraps rather than overflows: on a 375 px phone the stacked cart card is narrower than field and button.
    <form action={formAction} noValidate className="flex min-w-0 flex-wrap items-start justify-end gap-2">
      <input type="hidden" name="productId" value={productId} />
      <Input
        id={`cart-quantity-${productId}`}
        label={<span className="sr-only">Quantity for {sku}</span>}
        name="quantity"
        type="number"
        inputMode="numeric"
        min={0}
        step={orderMultiple}
        required
        defaultValue={submittedValue(state, "quantity", String(quantity))}
        error={errors}
        wrapperClassName="w-24 min-w-0 shrink"
      />
      <SubmitButton variant="secondary" size="sm" className="mt-0.5">
        Update<span className="sr-only"> {sku}</span>
      </SubmitButton>
    </form>
  );
}

/** Removes a line from the cart (quantity 0). */
export function CartRemoveForm({ action, productId, sku }: LineProps) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction}>
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="quantity" value="0" />
      <SubmitButton variant="ghost" size="sm">
        Remove<span className="sr-only"> {sku}</span>
      </SubmitButton>
      {state?.ok === false && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
