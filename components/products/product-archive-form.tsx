"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { SubmitButton } from "@/components/ui";

/** One button that archives an active product or restores an archived one; the outcome shows inline. */
export function ProductArchiveForm({ action, productId, archived }: { action: FormAction; productId: string; archived: boolean }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      <input type="hidden" name="id" value={productId} />
      <input type="hidden" name="archived" value={archived ? "false" : "true"} />
      <SubmitButton variant={archived ? "secondary" : "danger"} pendingLabel={archived ? "Restoring…" : "Archiving…"}>
        {archived ? "Restore product" : "Archive product"}
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
