"use server";

import { revalidatePath } from "next/cache";
import { apiKeyFormInput, withTickedScopes } from "@/components/api-keys/form-input";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { createStaffApiKey, revokeApiKey, setApiKeyLimits } from "@/lib/services/api-keys";

// Thin adapters: the services validate, authorize (administrators: staff keys, and revoking any key), audit and run in one transaction.

export async function createApiKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createStaffApiKey, apiKeyFormInput(form));
  if (result.ok) revalidatePath("/admin/api-keys");
  // The result carries the key text: this answer is the one time it is shown.
  return withTickedScopes(toFormState(result, form), form);
}

export async function revokeApiKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(revokeApiKey, form);
  if (result.ok) revalidatePath("/admin/api-keys");
  return toFormState(result, form, result.ok ? `Key ${result.data.name} revoked: it no longer works.` : undefined);
}

export async function setApiKeyLimitsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setApiKeyLimits, form);
  if (result.ok) revalidatePath("/admin/api-keys");
  return toFormState(result, form, result.ok ? `Limits of ${result.data.name} saved.` : undefined);
}
