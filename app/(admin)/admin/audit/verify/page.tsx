import type { Metadata } from "next";
import { Suspense } from "react";
import { Badge, Card, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { db } from "@/db/client";
import { describeAuditChainBreak, formatExternalAnchor } from "@/lib/domain/audit-chain";
import { verifyAuditChains } from "@/lib/services/audit-chain";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Audit verification" };

// Runs the same verification as `npm run audit:verify` (without recording anchors: a page view
// writes nothing), on every visit: it reads the whole trail, so it takes as long as the trail is long.
export default async function AuditVerifyPage() {
  await requirePermission("audit.verify");
  return (
    <>
      <PageHeader
        title="Audit verification"
        description="Recomputes the hash of every audit event and checks each chain is complete, in order, and still holds every recorded anchor."
        actions={
          <LinkButton href="/admin/audit" variant="secondary">
            Back to the audit log
          </LinkButton>
        }
      />
      <Suspense
        fallback={
          <p role="status" aria-live="polite" className="text-sm text-slate-600">
            Verifying the audit trail…
          </p>
        }
      >
        <Verification />
      </Suspense>
    </>
  );
}

async function Verification() {
  const result = await verifyAuditChains(db);
  const counts = `${result.rows.toLocaleString("en")} events in ${result.chainsUsed} of ${result.chains} chains, ${result.anchorsChecked} anchors checked, ${Math.round(result.ms).toLocaleString("en")} ms.`;
  return (
    <div className="space-y-6">
      <Card>
        <div data-testid="audit-verification" className="flex flex-wrap items-center gap-3">
          <Badge tone={result.ok ? "success" : "danger"}>{result.ok ? "Verified" : "Broken"}</Badge>
          <p className="text-sm text-slate-800">
            {result.ok ? "The audit trail is intact: " : `The audit trail has been tampered with: ${result.breaks.length} broken chain(s). `}
            {counts}
          </p>
        </div>
        {!result.ok && (
          <p className="mt-4 text-sm font-medium text-red-800" data-testid="first-broken-row">
            First broken: {describeAuditChainBreak(result.breaks[0]!)}
          </p>
        )}
      </Card>
      {!result.ok && (
        <Table caption="Broken chains (the first broken row of each)" stack>
          <THead>
            <tr>
              <TH>Chain</TH>
              <TH>Seq</TH>
              <TH>Event id</TH>
              <TH>What does not match</TH>
            </tr>
          </THead>
          <TBody>
            {result.breaks.map((b) => (
              <TR key={`${b.chainId}-${b.chainSeq}`}>
                <TD className="font-mono text-xs">{b.chainId}</TD>
                <TD label="Seq" className="font-mono text-xs">{b.chainSeq}</TD>
                <TD label="Event id" className="font-mono text-xs">{b.id ?? "missing"}</TD>
                <TD label="What does not match" className="text-sm">{b.detail}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {result.ok && result.heads.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer font-medium text-brand-700">Chain heads (keep a copy outside the database)</summary>
          <pre className="mt-2 max-h-80 overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">
            {result.heads.map(formatExternalAnchor).join("\n")}
          </pre>
        </details>
      )}
    </div>
  );
}
