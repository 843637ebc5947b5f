// GET, PATCH, DELETE /api/v1/webhook-endpoints/{id}: read, change or delete an endpoint (webhooks:manage)
import { deleteWebhookEndpointOperation, getWebhookEndpointOperation, updateWebhookEndpointOperation } from "@/lib/api-v1/webhook-endpoints";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(getWebhookEndpointOperation);
export const PATCH = routeHandler(updateWebhookEndpointOperation);
export const DELETE = routeHandler(deleteWebhookEndpointOperation);
