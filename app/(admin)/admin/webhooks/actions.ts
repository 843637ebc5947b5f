"use server";

import type { ActionState } from "@/components/forms/form-state";
import { createEndpoint, deleteEndpoint, replayDelivery, updateEndpoint } from "@/lib/webhook-actions";

// /admin/webhooks's form actions: lib/webhook-actions.ts, revalidating this section.

export async function createEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return createEndpoint("/admin/webhooks", form);
}

export async function updateEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return updateEndpoint("/admin/webhooks", form);
}

export async function deleteEndpointAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return deleteEndpoint("/admin/webhooks", form);
}

export async function replayDeliveryAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  return replayDelivery("/admin/webhooks", form);
}
