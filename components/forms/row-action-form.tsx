"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type ActionState, type FormAction } from "@/components/forms/form-state";
import { Input, SubmitButton, useToast, type ButtonVariant } from "@/components/ui";
import { formResult } from "@/components/payments/payment-form-message";

type Props = {
  action: FormAction;
  /** What the action needs to know which row it acts on, e.g. { paymentId }. */
  hidden: Record<string, string>;
  /** One key per rendered form, so a double submit or a retry acts once. */
  idempotencyKey: string;
  submitLabel: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  /** A text field the action needs (a reason by default); `id` must be unique on the page. */
  reason?: { id: string; label: string; name?: string; placeholder?: string };
};

/** One action on one table row (verify, reject, refund a payment; undo or assign a bank line), with an optional text field. */
export function RowActionForm({ action, hidden, idempotencyKey, submitLabel, pendingLabel, variant = "secondary", reason }: Props) {
  const { toast } = useToast();
  // A decided row moves to another table, so this form unmounts with its state:
  // the confirmation goes to the page-wide toast region instead.
  const [state, formAction] = useActionState(async (prev: ActionState, form: FormData) => {
    const next = await action(prev, form);
    if (next?.ok && next.message) toast({ title: next.message, tone: "success" });
    return next;
  }, null);
  const error = formResult(state);
  return (
    <form action={formAction} noValidate className="space-y-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {reason && (
        <Input
          id={reason.id}
          label={reason.label}
          name={reason.name ?? "reason"}
          placeholder={reason.placeholder}
          required
          maxLength={1000}
          autoComplete="off"
          defaultValue={submittedValue(state, reason.name ?? "reason")}
          error={fieldErrors(state, reason.name ?? "reason")}
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
