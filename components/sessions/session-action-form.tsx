"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { SubmitButton, type ButtonVariant } from "@/components/ui";

type Props = {
  action: FormAction;
  hidden?: Record<string, string>;
  label: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  size?: "sm" | "md";
};

/** One button that ends sessions (sign out everywhere, revoke one or all); the outcome shows inline. */
export function SessionActionForm({ action, hidden = {}, label, pendingLabel, variant = "danger", size = "md" }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant={variant} size={size} pendingLabel={pendingLabel}>
        {label}
      </SubmitButton>
      {state?.ok === false && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
      {state?.ok && state.message && (
        <p role="status" className="text-sm text-green-800">
          {state.message}
        </p>
      )}
    </form>
  );
}
