"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  userId: string;
  active: boolean;
  size?: "sm" | "md";
};

/** One button that deactivates an active user or reactivates an inactive one; the outcome shows inline. */
export function UserActiveForm({ action, userId, active, size = "md" }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="id" value={userId} />
      <input type="hidden" name="active" value={active ? "false" : "true"} />
      <SubmitButton variant={active ? "danger" : "secondary"} size={size} pendingLabel={active ? "Deactivating…" : "Reactivating…"}>
        {active ? "Deactivate user" : "Reactivate user"}
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
