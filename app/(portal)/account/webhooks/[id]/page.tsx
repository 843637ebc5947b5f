import type { Metadata } from "next";
import { WebhookEndpointPage as EndpointPage } from "@/components/webhooks/webhook-pages";
import { requirePermission } from "@/lib/session";
import { deleteEndpointAction, replayDeliveryAction, updateEndpointAction } from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

// /account/webhooks/[id]: one of your company's endpoints, its settings and delivery log (another owner's id: 404).
export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("portal.access");
  const { id } = await params;
  return <EndpointPage actor={actor} id={id} basePath="/account/webhooks" actions={{ update: updateEndpointAction, delete: deleteEndpointAction, replay: replayDeliveryAction }} />;
}
