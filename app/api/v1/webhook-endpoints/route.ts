// GET, POST /api/v1/webhook-endpoints: endpoints without secrets; create one, its signing secret answered once (webhooks:manage)
import { createWebhookEndpointOperation, listWebhookEndpointsOperation } from "@/lib/api-v1/webhook-endpoints";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listWebhookEndpointsOperation);
export const POST = routeHandler(createWebhookEndpointOperation);
