"use client";

import { useActionState } from "react";
import { fieldErrors, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

/** The signed-in user's own password; on success the action signs them out to sign in again. */
export function ChangePasswordForm({ action, passwordHint }: { action: FormAction; passwordHint?: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4 sm:max-w-sm">
      <FormMessage result={state} />
      <Input
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors(state, "currentPassword")}
      />
      <Input
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        required
        hint={passwordHint}
        error={fieldErrors(state, "newPassword")}
      />
      <SubmitButton pendingLabel="Changing…">Change password</SubmitButton>
    </form>
  );
}
