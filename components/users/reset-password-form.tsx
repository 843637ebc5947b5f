"use client";

import { useActionState } from "react";
import { fieldErrors, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

/** Staff sets a new password for a user (whose sessions then end); the field is cleared after each try. */
export function ResetPasswordForm({ action, userId, passwordHint }: { action: FormAction; userId: string; passwordHint?: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="id" value={userId} />
      <Input
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordHint}
        error={fieldErrors(state, "password")}
        wrapperClassName="sm:max-w-sm"
      />
      <SubmitButton variant="secondary" pendingLabel="Resetting…">
        Reset password
      </SubmitButton>
    </form>
  );
}
