"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { FormMessage, SubmitButton } from "@/components/ui";

/** Freezes the cart into a quotation; the action redirects to the new order on success. */
export function SubmitCartForm({ action, idempotencyKey, blockedReason }: { action: FormAction; idempotencyKey: string; blockedReason: string | null }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage result={state?.ok === false ? { ok: false, error: state.error } : null} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <SubmitButton pendingLabel="Requesting…" disabled={blockedReason !== null} aria-describedby={blockedReason ? "submit-cart-hint" : undefined}>
        Request quotation
      </SubmitButton>
      {blockedReason ? (
        <p id="submit-cart-hint" data-testid="submit-cart-hint" className="text-sm text-slate-700">
          {blockedReason}
        </p>
      ) : (
        <p className="text-sm text-slate-600">Prices and taxes are fixed in a quotation you can then accept or decline.</p>
      )}
    </form>
  );
}
