"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { FormMessage, SubmitButton } from "@/components/ui";

/** Removes a ship-to address (orders keep their copy of it). */
export function DeleteAddressForm({ action, companyId, addressId, label }: { action: FormAction; companyId: string; addressId: string; label: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-2">
      {state?.ok === false && <FormMessage result={state} />}
      <input type="hidden" name="companyId" value={companyId} />
      <input type="hidden" name="addressId" value={addressId} />
      <SubmitButton variant="danger" size="sm" pendingLabel="Deleting…" aria-label={`Delete ship-to address ${label}`}>
        Delete
      </SubmitButton>
    </form>
  );
}
