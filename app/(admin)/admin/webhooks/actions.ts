"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { createWebhookEndpoint, deleteWebhookEndpoint, replayWebhookDelivery, updateWebhookEndpoint } from "@/lib/services/webhooks";

// Thin adapters: the services validate, authorize (the actor's own endpoints only), audit and run in one transaction.

/** A form posts one eventTypes value per ticked box; the service takes the list. */
function endpointInput(form: FormData) {
  return { ...Object.fromEntries([...form.entries()].filter(([, v]) => typeof v === "string")), eventTypes: form.getAll("eventTypes").filter((v) => typeof v === "string") };
}

function withEventTypes(state: ActionState, form: FormData): ActionState {
  if (state?.ok === false && state.values) state.values.eventTypes = form.getAll("eventTypes").join(",");
  return state;
}

export async function createEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createWebhookEndpoint, endpointInput(form));
  if (result.ok) revalidatePath("/admin/webhooks");
  return withEventTypes(toFormState(result, form), form);
}

export async function updateEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateWebhookEndpoint, endpointInput(form));
  if (result.ok) revalidatePath("/admin/webhooks", "layout");
  return withEventTypes(toFormState(result, form, result.ok && result.data.enabled ? "Endpoint saved; it receives events." : "Endpoint saved; it is disabled."), form);
}

export async function deleteEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deleteWebhookEndpoint, form);
  if (result.ok) revalidatePath("/admin/webhooks", "layout");
  return toFormState(result, form, "Endpoint deleted.");
}

export async function replayDeliveryAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(replayWebhookDelivery, form);
  if (result.ok) revalidatePath("/admin/webhooks", "layout");
  return toFormState(result, form, "Queued for delivery.");
}
