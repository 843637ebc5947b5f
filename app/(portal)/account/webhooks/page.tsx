import type { Metadata } from "next";
import { WebhookEndpointsPage } from "@/components/webhooks/webhook-pages";
import { requirePermission } from "@/lib/session";
import { createEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

// /account/webhooks: your company's webhook endpoints (webhooks.manage); the query is scoped to the actor's own endpoints.
export default async function WebhooksPage() {
  const actor = await requirePermission("portal.access");
  return <WebhookEndpointsPage actor={actor} basePath="/account/webhooks" description="Your company's systems receive signed HTTPS calls when its quotations, orders, invoices and payments change." createAction={createEndpointAction} />;
}
