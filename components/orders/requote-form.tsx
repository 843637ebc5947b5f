"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { SubmitButton } from "@/components/ui";

/** Copies an order's quoted lines into the cart to be priced afresh; the action redirects to the cart. */
export function RequoteForm({ action, orderId, idempotencyKey }: { action: FormAction; orderId: string; idempotencyKey: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <SubmitButton pendingLabel="Copying to cart…">Request a new quotation</SubmitButton>
      {state?.ok === false && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
