// GET /api/v1/webhook-endpoints/{id}/deliveries: the endpoint's delivery log, cursor pages; webhooks:manage
import { listWebhookDeliveriesOperation } from "@/lib/api-v1/webhook-endpoints";
import { routeHandler } from "@/lib/api-v1/operation";

export const GET = routeHandler(listWebhookDeliveriesOperation);
