import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { z } from "zod";
import { db } from "@/db/client";
import { getEndpoint, listDeliveries, listEndpoints, type DeliveryRow, type EndpointRow } from "@/db/queries/webhooks";
import { can } from "@/lib/domain/permissions";
import { EVENT_TYPES, isEventType } from "@/lib/domain/webhook-events";
import type { Actor } from "@/lib/domain/actor";
import { createWebhookEndpoint, deleteWebhookEndpoint, endpointOwner, replayWebhookDelivery, updateWebhookEndpoint } from "@/lib/services/webhooks";
import { defineOperation, ok, runApiMutation } from "./operation";
import { pageOfRows, pagePosition } from "./invoices";
import { problem } from "./problem";
import { idParams, instant, instantSchema, optionalInstant, pageOf, pageQuery } from "./schemas";

// /api/v1/webhook-endpoints: the webhook pages over the API (lib/services/webhooks.ts). A key acts
// for the same owner as its user on the pages: an admin key manages the staff endpoints; a customer
// key acts as a buyer, who may not manage webhooks (403). The signing secret is answered once, by
// the POST that creates the endpoint; no read shows it again.

const forbidden = () => problem("forbidden", "This key's role may not manage webhook endpoints (customer keys act as buyers; an administrator's key may).");
const mayManage = (actor: Actor) => can(actor.role, "webhooks.manage");

export const webhookEndpointSchema = z
  .object({
    id: uuidString(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.enum(EVENT_TYPES)),
    enabled: z.boolean(),
    failureCount: z.int().describe("Consecutive failed deliveries."),
    disabledAt: instantSchema.nullable(),
    disabledReason: z.string().nullable().describe("manual, or why the endpoint was disabled after failing."),
    createdAt: instantSchema,
  })
  .meta({ id: "WebhookEndpoint" });

const endpointJson = (e: EndpointRow): z.input<typeof webhookEndpointSchema> => ({
  id: e.id,
  url: e.url,
  description: e.description,
  // Only the types an endpoint can subscribe to: a stored name that is none (an internal type written
  // directly, a type since withdrawn) is never delivered, so it is not shown either.
  eventTypes: e.eventTypes.filter(isEventType),
  enabled: e.enabled,
  failureCount: e.failureCount,
  disabledAt: optionalInstant(e.disabledAt),
  disabledReason: e.disabledReason,
  createdAt: instant(e.createdAt),
});

const endpointPageSchema = pageOf(webhookEndpointSchema, "WebhookEndpointPage");

export const listWebhookEndpointsOperation = defineOperation({
  operationId: "listWebhookEndpoints",
  method: "GET",
  path: "/webhook-endpoints",
  tag: "Webhooks",
  summary: "List webhook endpoints",
  description: "Newest first, without their secrets.",
  scope: "webhooks:manage",
  query: z.strictObject(pageQuery),
  responses: { 200: { description: "A page of endpoints.", schema: endpointPageSchema } },
  async handle({ actor, query }) {
    if (!mayManage(actor)) return forbidden();
    const limit = query.limit ?? 25;
    const at = pagePosition(query.cursor, { limit });
    if (at instanceof Response) return at;
    // One owner's endpoints are few (the pages list them all); the page is cut from the owner's list.
    const all = await listEndpoints(db, endpointOwner(actor));
    const page = pageOfRows(all.slice(at.offset, at.offset + limit + 1), limit, at);
    return ok({ data: page.data.map(endpointJson), nextCursor: page.nextCursor } satisfies z.input<typeof endpointPageSchema>);
  },
});

const createdSchema = webhookEndpointSchema
  .extend({ secret: z.string().describe("The signing secret (Standard Webhooks, whsec_…): shown this once, never again.") })
  .meta({ id: "WebhookEndpointCreated" });

const endpointBody = z.strictObject({
  url: z.string().max(2000).describe("https URL receiving the events."),
  description: z.string().max(200).optional(),
  eventTypes: z.array(z.enum(EVENT_TYPES)).min(1),
});

export const createWebhookEndpointOperation = defineOperation({
  operationId: "createWebhookEndpoint",
  method: "POST",
  path: "/webhook-endpoints",
  tag: "Webhooks",
  summary: "Create a webhook endpoint",
  description: "Answers the endpoint with its signing secret, once.",
  scope: "webhooks:manage",
  // createWebhookEndpoint is an idempotent mutation: a retry answers the first endpoint (and its secret), never a second one.
  idempotency: "required",
  body: endpointBody,
  requestExample: { url: "https://erp.example.com/hooks/orderly", description: "ERP", eventTypes: ["payment.recorded"] },
  responses: { 201: { description: "The endpoint, with its secret.", schema: createdSchema } },
  async handle(ctx) {
    if (!mayManage(ctx.actor)) return forbidden();
    // The mutation's answer may be the stored one of a retry (JSON: its dates are text); the endpoint is read again.
    return runApiMutation(ctx, createWebhookEndpoint, { ...ctx.body, description: ctx.body.description ?? "" }, async ({ endpoint, secret }) => {
      const row = await getEndpoint(db, endpointOwner(ctx.actor), endpoint.id);
      return row ? ok({ ...endpointJson(row), secret } satisfies z.input<typeof createdSchema>, 201) : problem("not_found", "The endpoint was deleted meanwhile.");
    });
  },
});

export const getWebhookEndpointOperation = defineOperation({
  operationId: "getWebhookEndpoint",
  method: "GET",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "A webhook endpoint (without its secret)",
  scope: "webhooks:manage",
  params: idParams,
  responses: { 200: { description: "The endpoint.", schema: webhookEndpointSchema } },
  async handle({ actor, params }) {
    if (!mayManage(actor)) return forbidden();
    const endpoint = await getEndpoint(db, endpointOwner(actor), params.id);
    return endpoint ? ok(endpointJson(endpoint)) : null;
  },
});

export const updateWebhookEndpointOperation = defineOperation({
  operationId: "updateWebhookEndpoint",
  method: "PATCH",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Change a webhook endpoint",
  description: "Fields left out keep their value. enabled: true re-enables an endpoint disabled after failures (its failure count starts again).",
  scope: "webhooks:manage",
  params: idParams,
  body: endpointBody.partial().extend({ enabled: z.boolean().optional() }),
  requestExample: { enabled: false },
  responses: { 200: { description: "The endpoint as changed.", schema: webhookEndpointSchema } },
  async handle(ctx) {
    if (!mayManage(ctx.actor)) return forbidden();
    const owner = endpointOwner(ctx.actor);
    const before = await getEndpoint(db, owner, ctx.params.id);
    if (!before) return null;
    const input = {
      endpointId: before.id,
      url: ctx.body.url ?? before.url,
      description: ctx.body.description ?? before.description,
      eventTypes: ctx.body.eventTypes ?? before.eventTypes,
      enabled: ctx.body.enabled ?? before.enabled,
    };
    return runApiMutation(ctx, updateWebhookEndpoint, input, async () => {
      const after = await getEndpoint(db, owner, before.id);
      return after ? ok(endpointJson(after)) : problem("not_found", "Not found.");
    });
  },
});

export const deleteWebhookEndpointOperation = defineOperation({
  operationId: "deleteWebhookEndpoint",
  method: "DELETE",
  path: "/webhook-endpoints/{id}",
  tag: "Webhooks",
  summary: "Delete a webhook endpoint",
  description: "No further events are sent to it; its delivery log goes with it.",
  scope: "webhooks:manage",
  params: idParams,
  responses: { 204: { description: "Deleted." } },
  async handle(ctx) {
    if (!mayManage(ctx.actor)) return forbidden();
    return runApiMutation(ctx, deleteWebhookEndpoint, { endpointId: ctx.params.id }, () => new Response(null, { status: 204 }));
  },
});

export const webhookDeliverySchema = z
  .object({
    id: uuidString(),
    eventId: uuidString(),
    eventType: z.string(),
    attempt: z.int(),
    succeeded: z.boolean(),
    statusCode: z.int().nullable(),
    error: z.string().nullable(),
    durationMs: z.int(),
    responseExcerpt: z.string().nullable(),
    attemptedAt: instantSchema,
    nextAttemptAt: instantSchema.nullable(),
    manual: z.boolean().describe("A replay someone asked for."),
  })
  .meta({ id: "WebhookDelivery" });

const deliveryJson = (d: DeliveryRow): z.input<typeof webhookDeliverySchema> => ({
  ...d,
  attemptedAt: instant(d.attemptedAt),
  nextAttemptAt: optionalInstant(d.nextAttemptAt),
});

const deliveryPageSchema = pageOf(webhookDeliverySchema, "WebhookDeliveryPage");

export const listWebhookDeliveriesOperation = defineOperation({
  operationId: "listWebhookDeliveries",
  method: "GET",
  path: "/webhook-endpoints/{id}/deliveries",
  tag: "Webhooks",
  summary: "An endpoint's delivery log",
  description: "Every attempt, newest first.",
  scope: "webhooks:manage",
  params: idParams,
  query: z.strictObject(pageQuery),
  responses: { 200: { description: "A page of delivery attempts.", schema: deliveryPageSchema } },
  async handle({ actor, params, query }) {
    if (!mayManage(actor)) return forbidden();
    const endpoint = await getEndpoint(db, endpointOwner(actor), params.id);
    if (!endpoint) return null;
    const limit = query.limit ?? 25;
    const at = pagePosition(query.cursor, { endpoint: endpoint.id, limit });
    if (at instanceof Response) return at;
    const rows = await listDeliveries(db, endpoint.id, { offset: at.offset, limit: limit + 1 });
    const page = pageOfRows(rows, limit, at);
    return ok({ data: page.data.map(deliveryJson), nextCursor: page.nextCursor } satisfies z.input<typeof deliveryPageSchema>);
  },
});

const replayedSchema = z.object({ endpointId: uuidString(), eventId: uuidString(), queued: z.literal(true) }).meta({ id: "WebhookReplay" });

export const replayWebhookDeliveryOperation = defineOperation({
  operationId: "replayWebhookDelivery",
  method: "POST",
  path: "/webhook-endpoints/{id}/deliveries/{deliveryId}/replay",
  tag: "Webhooks",
  summary: "Send a delivery's event again",
  description: "Queues the event of that delivery for this endpoint once more, now, with the same webhook-id (no automatic retries); it appears in the log as a manual attempt.",
  scope: "webhooks:manage",
  params: z.object({ id: uuidString(), deliveryId: uuidString() }),
  idempotency: "required",
  responses: { 202: { description: "Queued.", schema: replayedSchema } },
  async handle(ctx) {
    if (!mayManage(ctx.actor)) return forbidden();
    const endpoint = await getEndpoint(db, endpointOwner(ctx.actor), ctx.params.id);
    if (!endpoint) return null;
    const [delivery] = await listDeliveries(db, endpoint.id, { deliveryId: ctx.params.deliveryId, limit: 1 });
    if (!delivery) return null;
    return runApiMutation(ctx, replayWebhookDelivery, { endpointId: endpoint.id, eventId: delivery.eventId }, (r) =>
      Response.json({ endpointId: r.endpointId, eventId: r.eventId, queued: true } satisfies z.input<typeof replayedSchema>, { status: 202 }),
    );
  },
});
