import type { ActionState } from "@/components/forms/form-state";
import type { FormResult } from "@/components/ui";

/**
 * What the form-level message shows: the error unless a field already shows the same text
 * (a service's fieldError() carries its message twice), or the success message.
 */
export function formResult(state: ActionState): FormResult {
  if (!state) return null;
  if (state.ok) return state.message ? { ok: true, message: state.message } : null;
  const shownByFields = Object.values(state.fieldErrors ?? {}).flat();
  return shownByFields.includes(state.error) ? null : { ok: false, error: state.error };
}
