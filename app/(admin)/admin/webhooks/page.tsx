import type { Metadata } from "next";
import { WebhookEndpointsPage } from "@/components/webhooks/webhook-pages";
import { requirePermission } from "@/lib/session";
import { createEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

// /admin/webhooks: staff webhook endpoints (webhooks.manage); the query is scoped to the actor's own endpoints.
export default async function WebhooksPage() {
  const actor = await requirePermission("admin.access");
  return <WebhookEndpointsPage actor={actor} basePath="/admin/webhooks" description="Staff endpoints receive every company's events, signed per Standard Webhooks." createAction={createEndpointAction} />;
}
