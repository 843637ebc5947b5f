"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, SubmitButton, Textarea, type ButtonVariant } from "@/components/ui";
import { formResult } from "./form-helpers";

export type OrderActionFormProps = {
  action: FormAction;
  orderId: string;
  /** The one text field: a reason or a comment. */
  field: { name: "reason" | "comment"; label: string; required?: boolean; hint?: string };
  /** Unique on the page: several of these forms share field names. */
  idPrefix: string;
  submitLabel: string;
  pendingLabel: string;
  variant?: ButtonVariant;
};

/** One order decision with a reason or comment (decline, cancel, approve, reject). */
export function OrderActionForm({ action, orderId, field, idPrefix, submitLabel, pendingLabel, variant = "secondary" }: OrderActionFormProps) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-3">
      <FormMessage result={formResult(state)} />
      <input type="hidden" name="orderId" value={orderId} />
      <Textarea
        id={`${idPrefix}-${field.name}`}
        label={field.label}
        name={field.name}
        rows={2}
        required={field.required}
        hint={field.hint}
        defaultValue={submittedValue(state, field.name)}
        error={fieldErrors(state, field.name)}
      />
      <SubmitButton variant={variant} pendingLabel={pendingLabel}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
