import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { KeyLimitsForm } from "@/components/api-keys/key-limits-form";
import { Card, PageHeader } from "@/components/ui";
import { listApiKeys } from "@/db/queries/api-keys";
import { db } from "@/db/client";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { createApiKeyAction, revokeApiKeyAction, setApiKeyLimitsAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

export default async function AdminApiKeysPage() {
  const actor = await requirePermission("api_keys.manage");
  const [tz, keys] = await Promise.all([getViewerTimeZone(actor), listApiKeys(db, actor)]);
  const e = env();
  const live = keys.filter((k) => !k.revokedAt).map((k) => ({ id: k.id, label: `${k.name} (${k.companyName ?? "Staff"}, ok_${k.prefix}_…)` }));
  return (
    <>
      <PageHeader
        title="API keys"
        description="Every key of the integration API: staff keys, and the keys customer admins made for their companies. Revoking one stops it at once."
        actions={
          <Link href="/api-docs" className="text-sm text-brand-700 hover:underline">
            API reference
          </Link>
        }
      />
      <div className="space-y-6">
        <Card title="All keys">
          <ApiKeysTable keys={keys} timeZone={tz} revokeAction={revokeApiKeyAction} showOwner now={new Date()} />
        </Card>
        {live.length > 0 && (
          <Card title="Rate limit of a key">
            <p className="mb-4 text-sm text-slate-700">Give one key (a customer&apos;s too) its own limit, or clear the fields to return it to the defaults.</p>
            <KeyLimitsForm action={setApiKeyLimitsAction} keys={live} defaults={{ perMinute: e.API_RATE_LIMIT_PER_MINUTE, burst: e.API_RATE_LIMIT_BURST }} />
          </Card>
        )}
        <Card title="Create staff API key">
          <p className="mb-4 text-sm text-slate-700">A staff key acts with the role you choose, limited to its scopes. Its requests are recorded in the audit trail under your name and the key.</p>
          <CreateApiKeyForm action={createApiKeyAction} staff={{ defaultPerMinute: e.API_RATE_LIMIT_PER_MINUTE, defaultBurst: e.API_RATE_LIMIT_BURST }} />
        </Card>
      </div>
    </>
  );
}
