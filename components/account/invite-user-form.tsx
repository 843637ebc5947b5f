"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, Select, SubmitButton } from "@/components/ui";
import { customerRoles, roleLabels } from "@/lib/domain/roles";

type Props = {
  action: FormAction;
  /** One per page render: the page re-renders after a successful invitation, which brings a new key. */
  idempotencyKey: string;
  passwordHint?: string;
};

/** A customer admin adds a colleague to their own company with an initial password. */
export function InviteUserForm({ action, idempotencyKey, passwordHint }: Props) {
  const [state, formAction] = useActionState(action, null);
  const role = submittedValue(state, "role", "buyer");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={submittedValue(state, "email")}
          error={fieldErrors(state, "email")}
        />
        <Input label="Name" name="name" autoComplete="off" required defaultValue={submittedValue(state, "name")} error={fieldErrors(state, "name")} />
        {/* Keyed by value: React applies a select's defaultValue only on mount, and the form reset after each action returns to it. */}
        <Select key={`role-${role}`} label="Role" name="role" required defaultValue={role} error={fieldErrors(state, "role")}>
          {customerRoles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </Select>
        <Input
          label="Initial password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          hint={passwordHint}
          error={fieldErrors(state, "password")}
        />
      </div>
      <SubmitButton pendingLabel="Inviting…">Invite user</SubmitButton>
    </form>
  );
}
