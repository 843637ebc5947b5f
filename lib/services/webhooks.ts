import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import {
  deleteEndpoint,
  eventVisibleToEndpoint,
  getEndpoint,
  insertEndpoint,
  updateEndpoint,
  type EndpointOwner,
  type EndpointRow,
} from "@/db/queries/webhooks";
import type { Actor } from "@/lib/domain/actor";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { checkbox, optionalText, uuidField } from "@/lib/domain/forms";
import { isCustomerRole } from "@/lib/domain/roles";
import { EVENT_TYPES, eventTypesForEndpoint, isEventType } from "@/lib/domain/webhook-events";
import { webhookUrlProblem } from "@/lib/domain/webhook-url";
import { env } from "@/lib/env";
import { enqueueDeliveries } from "@/lib/jobs/webhooks";
import { startJobQueue } from "@/lib/jobs/queue";
import { defineMutation } from "@/lib/mutation";

/** Whose endpoints an actor manages: a customer admin their company's, an admin the staff ones. */
export function endpointOwner(actor: Actor): EndpointOwner {
  if (isCustomerRole(actor.role)) {
    if (!actor.companyId) throw new DomainError("forbidden", "You are not allowed to do this.");
    return { companyId: actor.companyId };
  }
  return { companyId: null };
}

/** A Standard Webhooks secret: whsec_ + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

const urlField = z
  .string({ error: "Enter the endpoint's URL." })
  .trim()
  .min(1, "Enter the endpoint's URL.")
  .max(2000, "The URL is too long (2,000 characters at most).")
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url, { allowHttpLocalhost: env().WEBHOOK_ALLOW_HTTP_LOCALHOST });
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

// A form sends one value per ticked box (FormData.getAll), an API client an array.
const eventTypesField = z.preprocess(
  (v) => (typeof v === "string" ? [v] : v),
  z
    .array(z.string(), { error: "Choose at least one event." })
    .min(1, "Choose at least one event.")
    .max(EVENT_TYPES.length)
    .refine((types) => types.every(isEventType), "Choose events from the list.")
    .transform((types) => [...new Set(types)].sort()),
);

/** A company's endpoint never receives staff-only events: refused next to the field rather than stored and never sent. */
function checkEventTypesFor(owner: EndpointOwner, types: string[]): void {
  const allowed: readonly string[] = eventTypesForEndpoint(owner);
  const refused = types.filter((t) => !allowed.includes(t));
  if (refused.length) throw fieldError("eventTypes", `Your endpoints do not receive ${refused.join(", ")}: choose events from the list.`);
}

export const createWebhookEndpoint = defineMutation({
  name: "webhook_endpoint.create",
  entityType: "webhook_endpoint",
  permission: "webhooks.manage",
  idempotent: true,
  input: z.object({ url: urlField, description: optionalText(200), eventTypes: eventTypesField }),
  async run(ctx, input): Promise<{ endpoint: EndpointRow; secret: string }> {
    const owner = endpointOwner(ctx.actor);
    checkEventTypesFor(owner, input.eventTypes);
    const secret = newWebhookSecret();
    const endpoint = await insertEndpoint(ctx.tx, { ...owner, url: input.url, description: input.description, eventTypes: input.eventTypes, secret, createdBy: ctx.actor.id });
    await ctx.audit({
      action: "webhook_endpoint.create",
      entityType: "webhook_endpoint",
      entityId: endpoint.id,
      companyId: owner.companyId,
      after: { url: endpoint.url, eventTypes: endpoint.eventTypes.join(", "), description: endpoint.description },
    });
    // Shown once, like a password; the page never reads it again.
    return { endpoint, secret };
  },
});

export const updateWebhookEndpoint = defineMutation({
  name: "webhook_endpoint.update",
  entityType: "webhook_endpoint",
  permission: "webhooks.manage",
  input: z.object({ endpointId: uuidField("endpoint"), url: urlField, description: optionalText(200), eventTypes: eventTypesField, enabled: checkbox }),
  async run(ctx, input) {
    const owner = endpointOwner(ctx.actor);
    checkEventTypesFor(owner, input.eventTypes);
    const before = await getEndpoint(ctx.tx, owner, input.endpointId, { lock: true });
    if (!before) throw notFound("Webhook endpoint", { entityType: "webhook_endpoint", entityId: input.endpointId });
    const after = await updateEndpoint(ctx.tx, owner, input.endpointId, {
      url: input.url,
      description: input.description,
      eventTypes: input.eventTypes,
      ...(input.enabled !== before.enabled ? { enabled: input.enabled } : {}),
    });
    await ctx.audit({
      action: "webhook_endpoint.update",
      entityType: "webhook_endpoint",
      entityId: input.endpointId,
      companyId: owner.companyId,
      before: { url: before.url, eventTypes: before.eventTypes.join(", "), enabled: before.enabled },
      after: { url: after!.url, eventTypes: after!.eventTypes.join(", "), enabled: after!.enabled },
    });
    return { endpointId: input.endpointId, enabled: after!.enabled };
  },
});

export const deleteWebhookEndpoint = defineMutation({
  name: "webhook_endpoint.delete",
  entityType: "webhook_endpoint",
  permission: "webhooks.manage",
  input: z.object({ endpointId: uuidField("endpoint") }),
  async run(ctx, input) {
    const owner = endpointOwner(ctx.actor);
    const before = await getEndpoint(ctx.tx, owner, input.endpointId, { lock: true });
    if (!before || !(await deleteEndpoint(ctx.tx, owner, input.endpointId))) {
      throw notFound("Webhook endpoint", { entityType: "webhook_endpoint", entityId: input.endpointId });
    }
    await ctx.audit({ action: "webhook_endpoint.delete", entityType: "webhook_endpoint", entityId: input.endpointId, companyId: owner.companyId, before: { url: before.url } });
    return { endpointId: input.endpointId };
  },
});

/**
 * Sends one event to one endpoint again, now, once (no automatic retries), with the same webhook-id
 * so a receiver that already processed it can recognise it. Enqueued in this transaction, audited.
 */
export const replayWebhookDelivery = defineMutation({
  name: "webhook_delivery.replay",
  entityType: "webhook_endpoint",
  permission: "webhooks.manage",
  idempotent: true,
  input: z.object({ endpointId: uuidField("endpoint"), eventId: uuidField("event") }),
  async run(ctx, input) {
    const owner = endpointOwner(ctx.actor);
    const endpoint = await getEndpoint(ctx.tx, owner, input.endpointId);
    if (!endpoint || !(await eventVisibleToEndpoint(ctx.tx, input.endpointId, input.eventId))) {
      throw notFound("Webhook delivery", { entityType: "webhook_endpoint", entityId: input.endpointId });
    }
    const boss = await startJobQueue({ worker: false });
    await enqueueDeliveries(boss, ctx.tx, [{ endpointId: input.endpointId, eventId: input.eventId, manual: true }]);
    await ctx.audit({ action: "webhook_delivery.replay", entityType: "webhook_endpoint", entityId: input.endpointId, companyId: owner.companyId, after: { eventId: input.eventId } });
    return { endpointId: input.endpointId, eventId: input.eventId };
  },
});
