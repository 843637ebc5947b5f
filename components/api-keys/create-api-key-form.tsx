"use client";

import { useActionState, useState } from "react";
import { fieldErrors, submittedValue, type ActionState, type FormAction } from "@/components/forms/form-state";
import { Button, Checkbox, FormMessage, Input, Select, SubmitButton } from "@/components/ui";
import { apiScopeLabels, apiScopes, staffKeyRoles, type ApiScope } from "@/lib/domain/api-keys";
import { roleLabels } from "@/lib/domain/roles";

type Props = {
  action: FormAction;
  /** Staff keys: the role to act with and optional rate limits (defaults shown as hints). */
  staff?: { defaultPerMinute: number; defaultBurst: number };
};

const lifetimes = [
  ["30", "30 days"],
  ["90", "90 days"],
  ["180", "180 days"],
  ["365", "1 year"],
  ["", "Never"],
] as const;

type Created = { key: string; name: string; prefix: string };

function createdKey(state: ActionState): Created | null {
  if (!state?.ok) return null;
  const data = (state as { data?: unknown }).data as Partial<Created> | undefined;
  return data?.key ? (data as Created) : null;
}

/** The new key, shown once, with a copy button. */
function NewKey({ created }: { created: Created }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="space-y-2 rounded-md border border-green-300 bg-green-50 p-4" data-testid="new-api-key">
      <p className="text-sm font-medium text-green-900">
        Key “{created.name}” created. Copy it now: it is shown only this once and cannot be recovered.
      </p>
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <Input label="New API key" name="newKey" readOnly value={created.key} wrapperClassName="grow" className="font-mono" onFocus={(e) => e.currentTarget.select()} />
        <Button
          type="button"
          variant="secondary"
          onClick={async () => {
            await navigator.clipboard.writeText(created.key);
            setCopied(true);
          }}
        >
          Copy key
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-green-900">
        {copied ? "Copied to the clipboard." : ""}
      </p>
    </div>
  );
}

export function CreateApiKeyForm({ action, staff }: Props) {
  const [state, formAction] = useActionState(action, null);
  const created = createdKey(state);
  const failedScopes = state?.ok === false && state.values ? new Set(Object.keys(state.values).filter((k) => k.startsWith("scope:")).map((k) => k.slice(6))) : null;
  const scopeErrors = fieldErrors(state, "scopes");
  return (
    <div className="space-y-4">
      {created ? <NewKey created={created} /> : <FormMessage result={state?.ok === false ? state : null} />}
      <form action={formAction} noValidate className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2">
          <Input label="Name" name="name" required maxLength={100} autoComplete="off" hint="What uses the key, e.g. “ERP order sync”." defaultValue={submittedValue(state, "name")} error={fieldErrors(state, "name")} />
          <Select label="Expires after" name="lifetimeDays" defaultValue={submittedValue(state, "lifetimeDays", "90")} error={fieldErrors(state, "lifetimeDays")}>
            {lifetimes.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
          {staff && (
            <>
              <Select label="Acts as" name="role" required defaultValue={submittedValue(state, "role", "sales")} error={fieldErrors(state, "role")}>
                {staffKeyRoles.map((r) => (
                  <option key={r} value={r}>
                    {roleLabels[r]}
                  </option>
                ))}
              </Select>
              <div className="grid grid-cols-2 gap-4">
                <Input label="Requests per minute" name="rateLimitPerMinute" inputMode="numeric" hint={`Default ${staff.defaultPerMinute}.`} defaultValue={submittedValue(state, "rateLimitPerMinute")} error={fieldErrors(state, "rateLimitPerMinute")} />
                <Input label="Burst" name="rateLimitBurst" inputMode="numeric" hint={`Default ${staff.defaultBurst}.`} defaultValue={submittedValue(state, "rateLimitBurst")} error={fieldErrors(state, "rateLimitBurst")} />
              </div>
            </>
          )}
        </div>
        <fieldset aria-describedby={scopeErrors ? "scopes-error" : undefined}>
          <legend className="text-sm font-medium text-slate-800">Scopes</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {apiScopes.map((scope: ApiScope) => (
              <Checkbox
                key={`${scope}-${failedScopes ? "failed" : "fresh"}`}
                label={
                  <>
                    <span className="font-mono">{scope}</span>: {apiScopeLabels[scope]}
                  </>
                }
                name="scopes"
                value={scope}
                defaultChecked={failedScopes ? failedScopes.has(scope) : scope === "catalog:read"}
              />
            ))}
          </div>
          <p id="scopes-error" aria-live="polite" className="mt-1 text-sm text-red-700 empty:hidden">
            {scopeErrors?.join(" ")}
          </p>
        </fieldset>
        <SubmitButton pendingLabel="Creating…">Create API key</SubmitButton>
      </form>
    </div>
  );
}
