import type { FormAction } from "@/components/forms/form-state";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { SessionActionForm } from "@/components/sessions/session-action-form";
import { Badge, EmptyState, Table, TBody, TD, TH, THead, TR, type BadgeTone } from "@/components/ui";
import type { ApiKeyListRow } from "@/db/queries/api-keys";
import { roleLabels } from "@/lib/domain/roles";

type Props = {
  keys: ApiKeyListRow[];
  timeZone: string;
  revokeAction: FormAction;
  /** Administrators see every key: the company (or "Staff") and the owner. */
  showOwner?: boolean;
  now: Date;
};

function status(k: ApiKeyListRow, now: Date): { label: string; tone: BadgeTone } {
  if (k.revokedAt) return { label: "Revoked", tone: "danger" };
  if (k.expiresAt && k.expiresAt <= now) return { label: "Expired", tone: "neutral" };
  return { label: "Active", tone: "success" };
}

/** API keys with their scopes, use and state; live keys have a revoke button. Never the secret. */
export function ApiKeysTable({ keys, timeZone, revokeAction, showOwner = false, now }: Props) {
  if (keys.length === 0) return <EmptyState title="No API keys yet" description="Create one below; it is shown once, when it is made." />;
  return (
    <Table caption="API keys" stack>
      <THead>
        <tr>
          <TH>Name</TH>
          <TH>Key</TH>
          {showOwner && <TH>Owner</TH>}
          <TH>Acts as</TH>
          <TH>Scopes</TH>
          <TH>{zonedHeader("Last used", timeZone)}</TH>
          <TH>{zonedHeader("Expires", timeZone)}</TH>
          <TH>Status</TH>
          <TH className="relative">
            <span className="sr-only">Actions</span>
          </TH>
        </tr>
      </THead>
      <TBody>
        {keys.map((k) => {
          const s = status(k, now);
          return (
            <TR key={k.id} data-testid={`api-key-${k.prefix}`}>
              <TD className="font-medium">{k.name}</TD>
              <TD label="Key" className="font-mono text-xs whitespace-nowrap">ok_{k.prefix}_…</TD>
              {showOwner && (
                <TD label="Owner">
                  <span className="block">{k.companyName ?? "Staff"}</span>
                  <span className="block text-xs text-slate-600">{k.ownerEmail}</span>
                </TD>
              )}
              <TD label="Acts as" className="whitespace-nowrap">{roleLabels[k.role]}</TD>
              <TD label="Scopes">
                <ul className="flex flex-wrap gap-1">
                  {k.scopes.map((scope) => (
                    <li key={scope} className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-800">
                      {scope}
                    </li>
                  ))}
                </ul>
                {(k.rateLimitPerMinute || k.rateLimitBurst) && (
                  <span className="mt-1 block text-xs text-slate-600">
                    Limit: {k.rateLimitPerMinute ?? "default"}/min, burst {k.rateLimitBurst ?? "default"}
                  </span>
                )}
              </TD>
              <TD label="Last used" className="whitespace-nowrap">
                <DateTime value={k.lastUsedAt} timeZone={timeZone} zone={false} empty="Never" />
              </TD>
              <TD label="Expires" className="whitespace-nowrap">
                <DateTime value={k.expiresAt} timeZone={timeZone} zone={false} empty="Never" />
              </TD>
              <TD label="Status">
                <Badge tone={s.tone}>{s.label}</Badge>
                {k.revokedAt && k.revokedByName && <span className="mt-1 block text-xs text-slate-600">by {k.revokedByName}</span>}
              </TD>
              <TD>
                {!k.revokedAt && (
                  <SessionActionForm action={revokeAction} hidden={{ id: k.id }} label={`Revoke ${k.name}`} pendingLabel="Revoking…" size="sm" />
                )}
              </TD>
            </TR>
          );
        })}
      </TBody>
    </Table>
  );
}
