import type { ActionState } from "@/components/forms/form-state";

// The create forms post several `scopes` checkboxes under one name; the shared form helpers keep
// one value per name, so the key actions read the form through these two.

/** The form's fields as the create services take them: text fields, and `scopes` as a list. */
export function apiKeyFormInput(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of form.entries()) if (typeof value === "string" && !key.startsWith("$ACTION") && key !== "scopes") out[key] = value;
  out.scopes = form.getAll("scopes").filter((v): v is string => typeof v === "string");
  return out;
}

/** After a refusal, the ticked scopes go back to the form (as `scope:<name>` values) with the rest. */
export function withTickedScopes(state: ActionState, form: FormData): ActionState {
  if (!state || state.ok) return state;
  const ticked = Object.fromEntries(form.getAll("scopes").filter((v): v is string => typeof v === "string").map((s) => [`scope:${s}`, "on"]));
  return { ...state, values: { ...state.values, ...ticked } };
}
