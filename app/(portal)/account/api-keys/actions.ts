"use server";

import { revalidatePath } from "next/cache";
import { apiKeyFormInput, withTickedScopes } from "@/components/api-keys/form-input";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { createCompanyApiKey, revokeCompanyApiKey } from "@/lib/services/api-keys";

// Thin adapters: the services validate, authorize (customer admins, own company only), audit and run in one transaction.

export async function createApiKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createCompanyApiKey, apiKeyFormInput(form));
  if (result.ok) revalidatePath("/account/api-keys");
  // The result carries the key text: this answer is the one time it is shown.
  return withTickedScopes(toFormState(result, form), form);
}

export async function revokeApiKeyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(revokeCompanyApiKey, form);
  if (result.ok) revalidatePath("/account/api-keys");
  return toFormState(result, form, result.ok ? `Key ${result.data.name} revoked: it no longer works.` : undefined);
}
