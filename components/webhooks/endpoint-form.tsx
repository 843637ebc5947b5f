"use client";

import { useActionState, useState } from "react";
import { fieldErrors, submittedValue, type ActionState, type FormAction } from "@/components/forms/form-state";
import { Button, Checkbox, FormMessage, Input, SubmitButton } from "@/components/ui";
import { eventTypeLabels, type EventType } from "@/lib/domain/webhook-events";

type Props = {
  action: FormAction;
  idempotencyKey: string;
  /** What the actor's endpoints can receive (eventTypesForEndpoint): a company's never get staff-only events. */
  eventTypes: readonly EventType[];
};

/** The signing secret of a new endpoint, shown once with a copy button. */
function SecretOnce({ state }: { state: ActionState }) {
  const [copied, setCopied] = useState(false);
  const data = state?.ok ? (state.data as { secret?: string; endpoint?: { url: string } }) : null;
  if (!data?.secret) return null;
  return (
    <div role="status" className="space-y-2 rounded border border-amber-300 bg-amber-50 p-3 text-sm">
      <p>
        Endpoint {data.endpoint?.url} added. Copy its signing secret now: it is not shown again. Receivers verify each delivery with it
        (Standard Webhooks: <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>).
      </p>
      <div className="flex items-center gap-2">
        <code data-testid="webhook-secret" className="break-all rounded bg-white px-2 py-1">
          {data.secret}
        </code>
        <Button
          type="button"
          variant="secondary"
          onClick={() => {
            void navigator.clipboard?.writeText(data.secret!).then(() => setCopied(true));
          }}
        >
          {copied ? "Copied" : "Copy secret"}
        </Button>
      </div>
    </div>
  );
}

/** Adds a webhook endpoint: URL, description, the events it receives. */
export function CreateEndpointForm({ action, idempotencyKey, eventTypes }: Props) {
  const [state, formAction] = useActionState(action, null);
  const chosen = state?.ok === false && state.values ? (state.values.eventTypes ?? "").split(",") : [];
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state?.ok ? null : state} />
      <SecretOnce state={state} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input label="Endpoint URL" name="url" type="url" required placeholder="https://erp.example.com/webhooks/orderly" defaultValue={submittedValue(state, "url")} error={fieldErrors(state, "url")} />
        <Input label="Description" name="description" maxLength={200} defaultValue={submittedValue(state, "description")} error={fieldErrors(state, "description")} />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Events</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {eventTypes.map((type) => (
            <Checkbox key={type} label={`${eventTypeLabels[type]} (${type})`} name="eventTypes" value={type} defaultChecked={chosen.includes(type)} />
          ))}
        </div>
        {fieldErrors(state, "eventTypes")?.map((e) => (
          <p key={e} className="text-sm text-red-700">
            {e}
          </p>
        ))}
      </fieldset>
      <SubmitButton pendingLabel="Adding…">Add endpoint</SubmitButton>
    </form>
  );
}

type SettingsProps = {
  action: FormAction;
  deleteAction: FormAction;
  endpoint: { id: string; url: string; description: string; eventTypes: string[]; enabled: boolean };
  eventTypes: readonly EventType[];
};

/** Changes an endpoint (URL, events, enabled: re-enabling clears its failure streak) or deletes it. */
export function EndpointSettingsForm({ action, deleteAction, endpoint, eventTypes }: SettingsProps) {
  const [state, formAction] = useActionState(action, null);
  const [deleteState, deleteFormAction] = useActionState(deleteAction, null);
  return (
    <div className="space-y-6">
      <form action={formAction} noValidate className="space-y-4">
        <FormMessage result={state} />
        <input type="hidden" name="endpointId" value={endpoint.id} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Input label="Endpoint URL" name="url" type="url" required defaultValue={submittedValue(state, "url", endpoint.url)} error={fieldErrors(state, "url")} />
          <Input label="Description" name="description" maxLength={200} defaultValue={submittedValue(state, "description", endpoint.description)} error={fieldErrors(state, "description")} />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Events</legend>
          <div className="grid gap-2 sm:grid-cols-2">
            {eventTypes.map((type) => (
              <Checkbox key={type} label={`${eventTypeLabels[type]} (${type})`} name="eventTypes" value={type} defaultChecked={endpoint.eventTypes.includes(type)} />
            ))}
          </div>
          {fieldErrors(state, "eventTypes")?.map((e) => (
            <p key={e} className="text-sm text-red-700">
              {e}
            </p>
          ))}
        </fieldset>
        <Checkbox label="Enabled (deliveries are sent)" name="enabled" defaultChecked={endpoint.enabled} />
        <SubmitButton pendingLabel="Saving…">Save endpoint</SubmitButton>
      </form>
      <form action={deleteFormAction}>
        <FormMessage result={deleteState} />
        <input type="hidden" name="endpointId" value={endpoint.id} />
        <SubmitButton variant="danger" pendingLabel="Deleting…">
          Delete endpoint
        </SubmitButton>
      </form>
    </div>
  );
}

/** Sends one event to the endpoint again, now, with the same webhook-id. */
export function ReplayForm({ action, endpointId, eventId, idempotencyKey }: { action: FormAction; endpointId: string; eventId: string; idempotencyKey: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="inline">
      <input type="hidden" name="endpointId" value={endpointId} />
      <input type="hidden" name="eventId" value={eventId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <SubmitButton variant="secondary" pendingLabel="Queuing…" aria-label={`Replay event ${eventId}`}>
        Replay
      </SubmitButton>
      {state && (state.ok ? <span role="status"> Queued.</span> : <span role="alert"> {state.error}</span>)}
    </form>
  );
}
