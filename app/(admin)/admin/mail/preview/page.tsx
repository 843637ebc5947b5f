import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/lists/date-time";
import { DetailList } from "@/components/lists/detail-list";
import { Badge, Card, PageHeader } from "@/components/ui";
import { mailPreviews } from "@/lib/notifications/preview";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Mail templates" };

// Read-only: each kind's mail as the fan-out would write it for the latest real event of that kind
// (lib/notifications/preview.ts: the same plansFor and rendering, in a read-only transaction).
export default async function MailPreviewPage() {
  const actor = await requirePermission("mail.read");
  const tz = await getViewerTimeZone(actor);
  const previews = await mailPreviews();
  return (
    <>
      <PageHeader
        title="Mail templates"
        description={
          <>
            Every kind of notification mail, rendered from the latest real event of that kind by the same code that writes the mails. Nothing is sent or saved.{" "}
            <Link href="/admin/mail" className="text-brand-700 hover:underline">All sent mail</Link>
          </>
        }
      />
      <nav aria-label="Mail kinds" className="mb-6">
        <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
          {previews.map((p) => (
            <li key={p.kind}>
              <a href={`#kind-${p.kind}`} className="text-brand-700 hover:underline">{p.label}</a>
            </li>
          ))}
        </ul>
      </nav>
      <div className="space-y-8">
        {previews.map((p) => (
          <section key={p.kind} id={`kind-${p.kind}`} aria-labelledby={`kind-${p.kind}-title`} data-testid={`preview-${p.kind}`} className="space-y-4">
            <h2 id={`kind-${p.kind}-title`} className="flex flex-wrap items-center gap-2 text-lg font-semibold text-slate-900">
              {p.label}
              <code className="text-xs font-normal text-slate-600">{p.kind}</code>
              {p.mandatory && <Badge tone="info">Always mailed</Badge>}
            </h2>
            {!p.sample ? (
              <Card>
                <p className="text-sm text-slate-700">{p.note}</p>
              </Card>
            ) : (
              <>
                <Card title="Message">
                  <DetailList
                    items={[
                      { label: "Subject", value: p.sample.subject },
                      { label: "Shown as for", value: `${p.sample.recipient}${p.sample.recipientCount > 1 ? ` (and ${p.sample.recipientCount - 1} more)` : p.sample.recipientCount === 0 ? " (nobody gets it by email now)" : ""}` },
                      { label: "From the event", value: <>{p.sample.eventType}, <DateTime value={p.sample.occurredAt} timeZone={tz} /></> },
                      { label: "Attachments", value: p.sample.attachments.length === 0 ? "None" : p.sample.attachments.map((a) => a.filename).join(", ") },
                    ]}
                  />
                </Card>
                <Card title="HTML">
                  {/* As on the mail's own page: srcdoc in a sandbox without allow-scripts (an opaque origin, no script). */}
                  <iframe title={`HTML preview of ${p.label}`} sandbox="" srcDoc={p.sample.html} className="h-[28rem] w-full rounded border border-slate-200 bg-white" />
                </Card>
                <Card title="Plain text">
                  <pre className="overflow-x-auto whitespace-pre-wrap text-sm text-slate-800" data-testid={`preview-text-${p.kind}`}>{p.sample.text}</pre>
                </Card>
              </>
            )}
          </section>
        ))}
      </div>
    </>
  );
}
