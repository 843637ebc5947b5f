"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  userId: string;
  /** The current limits as decimal text ("5000.00"), empty for no limit. */
  orderLimit: string;
  monthlyLimit: string;
  currency: string;
};

/** A buyer's per-order and monthly spending limits; above either, their company admin must approve the order. */
export function SpendingLimitsForm({ action, userId, orderLimit, monthlyLimit, currency }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="id" value={userId} />
      <div className="grid gap-4 sm:grid-cols-2">
        {/* Keyed by the saved value: after a save the page re-renders with it, and the inputs remount to show it. */}
        <Input
          key={`orderLimit-${orderLimit}`}
          label="Limit per order"
          id="spending-order-limit"
          name="orderLimit"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={submittedValue(state, "orderLimit", orderLimit)}
          hint={`In ${currency}, e.g. 5000.00. Leave empty for no limit.`}
          error={fieldErrors(state, "orderLimit")}
        />
        <Input
          key={`monthlyLimit-${monthlyLimit}`}
          label="Limit per month"
          id="spending-monthly-limit"
          name="monthlyLimit"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={submittedValue(state, "monthlyLimit", monthlyLimit)}
          hint={`In ${currency}, all accepted orders in a calendar month. Leave empty for no limit.`}
          error={fieldErrors(state, "monthlyLimit")}
        />
      </div>
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save limits
      </SubmitButton>
    </form>
  );
}
