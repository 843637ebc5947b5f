import type { FormState } from "@/lib/action";
import type { Result } from "@/lib/domain/errors";

// Shared by server actions (which build the state) and client forms (which read it).
// Only types are imported, so nothing server-only reaches the client bundle.

/** What a form action hands to useActionState: the mutation's result, plus what was typed if it failed. */
export type ActionState = (NonNullable<FormState> & { values?: Record<string, string> }) | null;

/** The signature every form action has; pages pass actions to client forms as this prop type. */
export type FormAction = (prev: ActionState, form: FormData) => Promise<ActionState>;

// Secrets are never echoed back into the page; the idempotency key comes from the page, not the state.
const notEchoed = /password|^idempotencyKey$|^\$ACTION/i;

/**
 * Turns a mutation result into form state. React 19 resets an uncontrolled form after its action runs,
 * so a failure carries the submitted values back and the form uses them as default values.
 */
export function toFormState(result: Result<unknown>, form: FormData, successMessage?: string): ActionState {
  if (result.ok) return successMessage ? { ...result, message: successMessage } : result;
  const values: Record<string, string> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === "string" && !notEchoed.test(key)) values[key] = value;
  }
  return { ...result, values };
}

/** Field errors for one input, for the `error` prop of the ui fields. */
export function fieldErrors(state: ActionState, name: string): string[] | undefined {
  return state?.ok === false ? state.fieldErrors?.[name] : undefined;
}

/** The value to show in a field: what was submitted after a failure, else the given default. */
export function submittedValue(state: ActionState, name: string, fallback = ""): string {
  return state?.ok === false && state.values ? (state.values[name] ?? "") : fallback;
}

/** Checkbox state: as submitted after a failure ("on"), else the given default. */
export function submittedChecked(state: ActionState, name: string, fallback: boolean): boolean {
  return state?.ok === false && state.values ? state.values[name] === "on" : fallback;
}
