"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type ActionState, type FormAction } from "@/components/forms/form-state";
import { Input, SubmitButton, useToast, type ButtonVariant } from "@/components/ui";
import { formResult } from "./payment-form-message";

type Props = {
  action: FormAction;
  paymentId: string;
  /** One key per rendered form, so a double submit or a retry decides the payment once. */
  idempotencyKey: string;
  submitLabel: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  /** The reason field, when the decision needs one; `id` must be unique on the page. */
  reason?: { id: string; label: string };
};

/** Verify, reject or refund one payment. */
export function PaymentDecisionForm({ action, paymentId, idempotencyKey, submitLabel, pendingLabel, variant = "secondary", reason }: Props) {
  const { toast } = useToast();
  // A decided payment moves to another table, so this form unmounts with its state:
  // the confirmation goes to the page-wide toast region instead.
  const [state, formAction] = useActionState(async (prev: ActionState, form: FormData) => {
    const next = await action(prev, form);
    if (next?.ok && next.message) toast({ title: next.message, tone: "success" });
    return next;
  }, null);
  const error = formResult(state);
  return (
    <form action={formAction} noValidate className="space-y-2">
      <input type="hidden" name="paymentId" value={paymentId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {reason && (
        <Input
          id={reason.id}
          label={reason.label}
          name="reason"
          required
          maxLength={1000}
          autoComplete="off"
          defaultValue={submittedValue(state, "reason")}
          error={fieldErrors(state, "reason")}
          className="sm:min-w-48"
        />
      )}
      <SubmitButton variant={variant} size="sm" pendingLabel={pendingLabel}>
        {submitLabel}
      </SubmitButton>
      {error?.ok === false && (
        <p role="alert" className="text-sm text-red-700">
          {error.error}
        </p>
      )}
    </form>
  );
}
