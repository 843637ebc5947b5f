import type { Metadata } from "next";
import Link from "next/link";
import { ApiKeysTable } from "@/components/api-keys/api-keys-table";
import { CreateApiKeyForm } from "@/components/api-keys/create-api-key-form";
import { Card, PageHeader } from "@/components/ui";
import { listApiKeys } from "@/db/queries/api-keys";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { MAX_LIVE_KEYS } from "@/lib/services/api-keys";
import { createApiKeyAction, revokeApiKeyAction } from "./actions";

export const metadata: Metadata = { title: "API keys" };

export default async function CompanyApiKeysPage() {
  const actor = await requirePermission("api_keys.manage_own_company");
  const [tz, keys] = await Promise.all([getViewerTimeZone(actor), listApiKeys(db, actor)]);
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your ERP or procurement system use the ordering API for your company. A key acts with buyer rights, limited to the scopes you choose."
        actions={
          <div className="flex gap-4">
            <Link href="/api-docs" className="text-sm text-brand-700 hover:underline">
              API reference
            </Link>
            <Link href="/account" className="text-sm text-brand-700 hover:underline">
              Back to account
            </Link>
          </div>
        }
      />
      <div className="space-y-6">
        <Card title="Your company's keys">
          <ApiKeysTable keys={keys} timeZone={tz} revokeAction={revokeApiKeyAction} now={new Date()} />
        </Card>
        <Card title="Create API key">
          <p className="mb-4 text-sm text-slate-700">
            Send the key as <code className="font-mono">Authorization: Bearer ok_…</code>. Up to {MAX_LIVE_KEYS} keys can be live at once; revoke a key as soon as it is no longer used or may have leaked.
          </p>
          <CreateApiKeyForm action={createApiKeyAction} />
        </Card>
      </div>
    </>
  );
}
