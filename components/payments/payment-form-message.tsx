import type { ActionState } from "@/components/forms/form-state";
import { FormMessage, type FormResult } from "@/components/ui";

/**
 * The form-level message: the error unless a field already shows the same text (a service's
 * fieldError() carries its message twice), or the success message.
 */
export function formResult(state: ActionState): FormResult {
  if (!state) return null;
  if (state.ok) return state.message ? { ok: true, message: state.message } : null;
  const shownByFields = Object.values(state.fieldErrors ?? {}).flat();
  return shownByFields.includes(state.error) ? null : { ok: false, error: state.error };
}

export function PaymentFormMessage({ state, className }: { state: ActionState; className?: string }) {
  return <FormMessage result={formResult(state)} className={className} />;
}
