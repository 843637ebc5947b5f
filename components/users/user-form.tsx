"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, Select, SubmitButton } from "@/components/ui";
import { roleLabels, roles, type Role } from "@/lib/domain/roles";

export type UserFormValues = { id: string; email: string; name: string; role: Role; companyId: string | null };

type Props = {
  action: FormAction;
  companies: { id: string; name: string }[];
  /** Edit mode when given; create mode (with an initial password) otherwise. */
  user?: UserFormValues;
  /** Create mode: the page's one-time key, so a resubmitted form cannot create the user twice. */
  idempotencyKey?: string;
  passwordHint?: string;
};

/** Staff form to create a user or edit one (email, name, role, company). */
export function UserForm({ action, companies, user, idempotencyKey, passwordHint }: Props) {
  const [state, formAction] = useActionState(action, null);
  const role = submittedValue(state, "role", user?.role ?? "buyer");
  const companyId = submittedValue(state, "companyId", user?.companyId ?? "");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      {user ? <input type="hidden" name="id" value={user.id} /> : <input type="hidden" name="idempotencyKey" value={idempotencyKey ?? ""} />}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Email"
          name="email"
          type="email"
          autoComplete="off"
          required
          defaultValue={submittedValue(state, "email", user?.email)}
          error={fieldErrors(state, "email")}
        />
        <Input
          label="Name"
          name="name"
          autoComplete="off"
          required
          defaultValue={submittedValue(state, "name", user?.name)}
          error={fieldErrors(state, "name")}
        />
        {/* Keyed by value: React applies a select's defaultValue only on mount, and the form reset after each action returns to it. */}
        <Select key={`role-${role}`} label="Role" name="role" required defaultValue={role} error={fieldErrors(state, "role")}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </Select>
        <Select
          key={`company-${companyId}`}
          label="Company"
          name="companyId"
          defaultValue={companyId}
          hint="Required for buyers and customer admins; staff belong to no company."
          error={fieldErrors(state, "companyId")}
        >
          <option value="">— none (staff) —</option>
          {companies.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
        {!user && (
          <Input
            label="Initial password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            hint={passwordHint}
            error={fieldErrors(state, "password")}
            wrapperClassName="sm:col-span-2"
          />
        )}
      </div>
      <SubmitButton pendingLabel={user ? "Saving…" : "Creating…"}>{user ? "Save changes" : "Create user"}</SubmitButton>
    </form>
  );
}
