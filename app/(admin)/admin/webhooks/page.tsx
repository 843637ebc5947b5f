import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui";
import { CreateEndpointForm } from "@/components/webhooks/endpoint-form";
import { EndpointsTable, RetryPolicyNote } from "@/components/webhooks/webhook-tables";
import { db } from "@/db/client";
import { listEndpoints } from "@/db/queries/webhooks";
import { can } from "@/lib/domain/permissions";
import { endpointOwner } from "@/lib/services/webhooks";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { createEndpointAction } from "./actions";

export const metadata: Metadata = { title: "Webhooks" };

// /admin/webhooks: staff webhook endpoints (webhooks.manage); the query is scoped to the actor's own endpoints.
export default async function WebhooksPage() {
  const actor = await requirePermission("admin.access");
  if (!can(actor.role, "webhooks.manage")) notFound();
  const [endpoints, tz] = await Promise.all([listEndpoints(db, endpointOwner(actor)), getViewerTimeZone(actor)]);
  return (
    <>
      <PageHeader title="Webhooks" description="Staff endpoints receive every company's events, signed per Standard Webhooks." />
      <div className="space-y-6">
        <Card title="Endpoints">
          <EndpointsTable endpoints={endpoints} basePath="/admin/webhooks" timeZone={tz} />
        </Card>
        <Card title="Add an endpoint">
          <div className="space-y-4">
            <RetryPolicyNote />
            <CreateEndpointForm action={createEndpointAction} idempotencyKey={randomUUID()} />
          </div>
        </Card>
      </div>
    </>
  );
}
