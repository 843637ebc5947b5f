// POST /api/v1/webhook-endpoints/{id}/deliveries/{deliveryId}/replay: send that delivery's event again; webhooks:manage
import { replayWebhookDeliveryOperation } from "@/lib/api-v1/webhook-endpoints";
import { routeHandler } from "@/lib/api-v1/operation";

export const POST = routeHandler(replayWebhookDeliveryOperation);
