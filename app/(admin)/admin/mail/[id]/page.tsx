import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DateTime } from "@/components/lists/date-time";
import { DetailList } from "@/components/lists/detail-list";
import { RowActionForm } from "@/components/forms/row-action-form";
import { Card, PageHeader, StatusBadge } from "@/components/ui";
import { can } from "@/lib/domain/permissions";
import { db } from "@/db/client";
import { documentPdfHref } from "@/components/documents/document-links";
import { isUuid } from "@/lib/domain/ids";
import { getMail } from "@/db/queries/notifications";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { resendMailAction } from "../actions";

export const metadata: Metadata = { title: "Mail" };

export default async function MailPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("mail.read");
  const { id } = await params;
  if (!isUuid(id)) notFound();
  const mail = await getMail(db, id);
  if (!mail) notFound();
  const tz = await getViewerTimeZone(actor);
  return (
    <>
      <PageHeader title={mail.subject} description={<Link href="/admin/mail" className="text-brand-700 hover:underline">All sent mail</Link>} />
      <div className="space-y-6">
        <Card title="Message">
          <DetailList
            items={[
              { label: "To", value: mail.recipient, testId: "mail-to" },
              { label: "Status", value: <StatusBadge status={mail.status} />, testId: "mail-status" },
              { label: "Attempts", value: String(mail.attempts) },
              ...(mail.lastError ? [{ label: "Last error", value: mail.lastError }] : []),
              { label: "Created", value: <DateTime value={mail.createdAt} timeZone={tz} /> },
              { label: "Sent or stored", value: <DateTime value={mail.sentAt} timeZone={tz} empty="Not yet" /> },
              { label: "Message-ID", value: <code className="text-xs">{mail.messageId}</code> },
            ]}
          />
          {mail.status === "failed" && can(actor.role, "mail.resend") && (
            <div className="mt-4 border-t border-slate-200 pt-4">
              <p className="mb-2 text-sm text-slate-700">This mail failed after every retry. Sending it again queues it with a new send job; it keeps its Message-ID.</p>
              <RowActionForm action={resendMailAction} hidden={{ mailId: mail.id }} idempotencyKey={randomUUID()} submitLabel="Send again" pendingLabel="Queuing…" variant="primary" />
            </div>
          )}
        </Card>
        <Card title="Attachments">
          {mail.attachments.length === 0 ? (
            <p className="text-sm text-slate-700">None.</p>
          ) : (
            <ul className="list-inside list-disc text-sm">
              {mail.attachments.map((a) => (
                <li key={`${a.kind}-${a.id}`}>
                  {/* The same PDF the mail carries: rendered from the issued document (or its cache). */}
                  {/* A dunning mail's statement of account: today's, from live data (the mail's is as of its day). */}
                  <a href={a.kind === "statement" ? `/api/statements/account?company=${a.id}&format=pdf` : documentPdfHref(a.kind, a.id)} className="text-brand-700 hover:underline">
                    Download {a.filename}
                  </a>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="HTML">
          {/* srcdoc in a sandbox without allow-scripts: the mail's HTML runs no script, reaches neither
              this page nor its cookies (an opaque origin), and needs no frame-able URL (the app sends
              frame-ancestors 'none'). The page's CSP applies inside, so inline styles may be dropped. */}
          <iframe title={`HTML body of ${mail.subject}`} sandbox="" srcDoc={mail.html} className="h-[32rem] w-full rounded border border-slate-200 bg-white" />
        </Card>
        <Card title="Plain text">
          <pre className="overflow-x-auto whitespace-pre-wrap text-sm text-slate-800" data-testid="mail-text">{mail.text}</pre>
        </Card>
      </div>
    </>
  );
}
