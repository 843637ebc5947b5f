"use client";

import { useActionState, type ReactNode } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { SubmitButton, type ButtonVariant } from "@/components/ui";

type Props = {
  action: FormAction;
  /** Hidden inputs that identify what the button acts on. */
  fields: Record<string, string>;
  children: ReactNode;
  pendingLabel: string;
  variant?: ButtonVariant;
};

/** A single small button posting hidden fields (remove an entry, unassign a company); a failure shows beside it. */
export function InlineActionForm({ action, fields, children, pendingLabel, variant = "secondary" }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="inline-flex flex-col items-start gap-1">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <SubmitButton variant={variant} size="sm" pendingLabel={pendingLabel}>
        {children}
      </SubmitButton>
      {state?.ok === false && (
        <p role="alert" className="text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}
