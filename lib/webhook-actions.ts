import "server-only";
import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { createWebhookEndpoint, deleteWebhookEndpoint, replayWebhookDelivery, updateWebhookEndpoint } from "@/lib/services/webhooks";

// The webhook pages' form actions, shared by /admin/webhooks and /account/webhooks: the two differ
// only in the path they revalidate (each actions.ts is a "use server" file of thin wrappers). The
// services validate, authorize (the actor's own endpoints only), audit and run in one transaction.

/** A form posts one eventTypes value per ticked box; the service takes the list. */
function endpointInput(form: FormData) {
  return { ...Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")), eventTypes: form.getAll("eventTypes").filter((v) => typeof v === "string") };
}

/** A refused form shows the boxes ticked as they were. */
function withEventTypes(state: ActionState, form: FormData): ActionState {
  if (state?.ok === false && state.values) state.values.eventTypes = form.getAll("eventTypes").join(",");
  return state;
}

export async function createEndpoint(basePath: string, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createWebhookEndpoint, endpointInput(form));
  if (result.ok) revalidatePath(basePath);
  return withEventTypes(toFormState(result, form), form);
}

export async function updateEndpoint(basePath: string, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateWebhookEndpoint, endpointInput(form));
  if (result.ok) revalidatePath(basePath, "layout");
  return withEventTypes(toFormState(result, form, result.ok && result.data.enabled ? "Endpoint saved; it receives events." : "Endpoint saved; it is disabled."), form);
}

export async function deleteEndpoint(basePath: string, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deleteWebhookEndpoint, form);
  if (result.ok) revalidatePath(basePath, "layout");
  return toFormState(result, form, "Endpoint deleted.");
}

export async function replayDelivery(basePath: string, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(replayWebhookDelivery, form);
  if (result.ok) revalidatePath(basePath, "layout");
  return toFormState(result, form, "Queued for delivery.");
}
