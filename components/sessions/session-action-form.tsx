"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { SubmitButton, useToast, type ButtonVariant } from "@/components/ui";

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
  const { toast } = useToast();
  // A revoked row loses its button (and this form its state) when the page re-renders:
  // the confirmation goes to the page-wide toast region.
  const [state, formAction] = useActionState(async (prev: Awaited<ReturnType<FormAction>>, form: FormData) => {
    const next = await action(prev, form);
    if (next?.ok && next.message) toast({ title: next.message, tone: "success" });
    return next;
  }, null);
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
    </form>
  );
}
