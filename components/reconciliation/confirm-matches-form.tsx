"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { PaymentFormMessage } from "@/components/payments/payment-form-message";
import { SubmitButton } from "@/components/ui";

export const CONFIRM_FORM_ID = "confirm-matches";

/**
 * The bulk confirmation form. The table's checkboxes ("line") and per-row buttons ("only") belong to
 * it through their form attribute, so the rows can hold other forms (assign, ignore) of their own.
 */
export function ConfirmMatchesForm({ action, idempotencyKey, count }: { action: FormAction; idempotencyKey: string; count: number }) {
  const [state, formAction] = useActionState(action, null);
  function selectAll(checked: boolean) {
    document.querySelectorAll<HTMLInputElement>(`input[name="line"][form="${CONFIRM_FORM_ID}"]`).forEach((box) => {
      box.checked = checked;
    });
  }
  return (
    <form id={CONFIRM_FORM_ID} action={formAction} className="space-y-3">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <PaymentFormMessage state={state} />
      <div className={count === 0 ? "hidden" : "flex flex-wrap items-center gap-4"}>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" className="size-4" onChange={(e) => selectAll(e.target.checked)} />
          Select all {count} on this page
        </label>
        <SubmitButton pendingLabel="Confirming…">Confirm selected matches</SubmitButton>
      </div>
    </form>
  );
}
