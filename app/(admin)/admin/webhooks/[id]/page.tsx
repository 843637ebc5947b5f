import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, PageHeader } from "@/components/ui";
import { EndpointSettingsForm, ReplayForm } from "@/components/webhooks/endpoint-form";
import { DeliveriesTable, RetryPolicyNote } from "@/components/webhooks/webhook-tables";
import { db } from "@/db/client";
import { getEndpoint, listDeliveries } from "@/db/queries/webhooks";
import { isUuid } from "@/lib/domain/ids";
import { can } from "@/lib/domain/permissions";
import { endpointOwner } from "@/lib/services/webhooks";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { deleteEndpointAction, replayDeliveryAction, updateEndpointAction } from "../actions";

export const metadata: Metadata = { title: "Webhook endpoint" };

// /admin/webhooks/[id]: one of staff endpoints, its settings and delivery log (another owner's id: 404).
export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("admin.access");
  if (!can(actor.role, "webhooks.manage")) notFound();
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const endpoint = await getEndpoint(db, endpointOwner(actor), id);
  if (!endpoint) notFound();
  const [deliveries, tz] = await Promise.all([listDeliveries(db, endpoint.id, { limit: 100 }), getViewerTimeZone(actor)]);
  return (
    <>
      <PageHeader title="Webhook endpoint" description={endpoint.url} actions={<Link className="underline" href="/admin/webhooks">All endpoints</Link>} />
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
            <EndpointSettingsForm action={updateEndpointAction} deleteAction={deleteEndpointAction} endpoint={endpoint} />
          </div>
        </Card>
        <Card title="Deliveries">
          <DeliveriesTable
            deliveries={deliveries}
            timeZone={tz}
            replay={(d) => <ReplayForm action={replayDeliveryAction} endpointId={endpoint.id} eventId={d.eventId} idempotencyKey={randomUUID()} />}
          />
        </Card>
      </div>
    </>
  );
}
