import { randomUUID } from "node:crypto";
import Link from "next/link";
import { notFound } from "next/navigation";
import type { FormAction } from "@/components/forms/form-state";
import { Card, PageHeader } from "@/components/ui";
import { CreateEndpointForm, EndpointSettingsForm, ReplayForm } from "@/components/webhooks/endpoint-form";
import { DeliveriesTable, EndpointsTable, RetryPolicyNote } from "@/components/webhooks/webhook-tables";
import { db } from "@/db/client";
import { getEndpoint, listDeliveries, listEndpoints } from "@/db/queries/webhooks";
import type { Actor } from "@/lib/domain/actor";
import { isUuid } from "@/lib/domain/ids";
import { can } from "@/lib/domain/permissions";
import { eventTypesForEndpoint } from "@/lib/domain/webhook-events";
import { endpointOwner } from "@/lib/services/webhooks";
import { getViewerTimeZone } from "@/lib/time-zone";

// The bodies of the webhook pages, shared by /admin/webhooks (staff endpoints) and /account/webhooks
// (a company's): the pages check their section's access and pass their path, wording and actions.
// Every query is scoped to the actor's own endpoints (endpointOwner).

export async function WebhookEndpointsPage({ actor, basePath, description, createAction }: { actor: Actor; basePath: string; description: string; createAction: FormAction }) {
  if (!can(actor.role, "webhooks.manage")) notFound();
  const [endpoints, tz] = await Promise.all([listEndpoints(db, endpointOwner(actor)), getViewerTimeZone(actor)]);
  return (
    <>
      <PageHeader title="Webhooks" description={description} />
      <div className="space-y-6">
        <Card title="Endpoints">
          <EndpointsTable endpoints={endpoints} basePath={basePath} timeZone={tz} />
        </Card>
        <Card title="Add an endpoint">
          <div className="space-y-4">
            <RetryPolicyNote />
            <CreateEndpointForm action={createAction} idempotencyKey={randomUUID()} eventTypes={eventTypesForEndpoint(endpointOwner(actor))} />
          </div>
        </Card>
      </div>
    </>
  );
}

export async function WebhookEndpointPage({
  actor,
  id,
  basePath,
  actions,
}: {
  actor: Actor;
  id: string;
  basePath: string;
  actions: { update: FormAction; delete: FormAction; replay: FormAction };
}) {
  if (!can(actor.role, "webhooks.manage")) notFound();
  if (!isUuid(id)) notFound();
  const endpoint = await getEndpoint(db, endpointOwner(actor), id);
  if (!endpoint) notFound();
  const [deliveries, tz] = await Promise.all([listDeliveries(db, endpoint.id, { limit: 100 }), getViewerTimeZone(actor)]);
  return (
    <>
      <PageHeader title="Webhook endpoint" description={endpoint.url} actions={<Link className="underline" href={basePath}>All endpoints</Link>} />
      <div className="space-y-6">
        {!endpoint.enabled && (
          <p role="status" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
            {endpoint.disabledReason === "failures"
              ? `Disabled automatically after ${endpoint.failureCount} failed deliveries in a row. Fix the receiver, then enable it again.`
              : "Disabled: no events are sent to it."}
          </p>
        )}
        <Card title="Settings">
          <div className="space-y-4">
            <RetryPolicyNote />
            <EndpointSettingsForm action={actions.update} deleteAction={actions.delete} endpoint={endpoint} eventTypes={eventTypesForEndpoint(endpointOwner(actor))} />
          </div>
        </Card>
        <Card title="Deliveries">
          <DeliveriesTable
            deliveries={deliveries}
            timeZone={tz}
            replay={(d) => <ReplayForm action={actions.replay} endpointId={endpoint.id} eventId={d.eventId} idempotencyKey={randomUUID()} />}
          />
        </Card>
      </div>
    </>
  );
}
