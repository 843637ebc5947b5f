import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { RowActionForm } from "@/components/forms/row-action-form";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { SearchForm } from "@/components/lists/search-form";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { Card, EmptyState, LinkButton, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { buttonClasses } from "@/components/ui/button";
import { db } from "@/db/client";
import { env } from "@/lib/env";
import { can } from "@/lib/domain/permissions";
import { countMailsByStatus } from "@/lib/jobs/notifications";
import { listMails, MAIL_PAGE_SIZE, MAIL_STATUSES, type MailStatus } from "@/db/queries/notifications";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { resendMailAction } from "./actions";

export const metadata: Metadata = { title: "Sent mail" };

const statusLabels: Record<MailStatus, string> = { queued: "Queued", sent: "Sent", stored: "Stored", failed: "Failed" };

export default async function SentMailPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("mail.read");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const page = pageParam(params);
  const requested = param(params, "status", 20);
  const status = MAIL_STATUSES.find((s) => s === requested);
  const q = param(params, "q", 100);
  const [{ rows, total }, counts] = await Promise.all([listMails(db, page, { status, q }), countMailsByStatus(db)]);
  const mayResend = can(actor.role, "mail.resend");
  const e = env();
  const mode = e.SMTP_URL ? "Mail is sent through the configured SMTP server (SMTP_URL)." : e.localMailbox ? "No SMTP_URL is configured: mail is kept here, in the local mailbox, and not sent." : "No SMTP_URL is configured and the local mailbox is off: mail cannot be delivered.";
  const failed = counts.failed ?? 0;
  return (
    <>
      <PageHeader
        title="Sent mail"
        description={`Every notification mail, newest first. ${mode}`}
        actions={<LinkButton href="/admin/mail/preview" variant="secondary" size="sm">Preview templates</LinkButton>}
      />
      {failed > 0 && status !== "failed" && (
        <p role="status" className="mb-4 rounded border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          {failed} {failed === 1 ? "mail" : "mails"} failed after every retry.{" "}
          <Link href={hrefWith("/admin/mail", { status: "failed" })} className="font-medium underline">
            Show failed mail
          </Link>
        </p>
      )}
      <nav aria-label="Filter by mail status" className="mb-6 flex flex-wrap gap-2">
        {[undefined, ...MAIL_STATUSES].map((s) => (
          <Link key={s ?? "all"} href={hrefWith("/admin/mail", { status: s, q })} aria-current={s === status ? "page" : undefined} className={buttonClasses(s === status ? "primary" : "secondary", "sm")}>
            {s ? `${statusLabels[s]} (${counts[s] ?? 0})` : "All"}
          </Link>
        ))}
      </nav>
      <SearchForm action="/admin/mail" q={q} label="Search mail" placeholder="Recipient, order, invoice or payment reference" />
      <Card>
        {rows.length === 0 ? (
          q ? (
            <EmptyState title="No matching mail" description={`No${status ? ` ${statusLabels[status].toLowerCase()}` : ""} mail's recipient, subject or text contains “${q}”.`} />
          ) : (
            <EmptyState
              title={status ? `No ${statusLabels[status].toLowerCase()} mail` : "No mail yet"}
              description={status ? "Nothing in this status right now." : "Quotations, approvals, invoices and payments send mail as they happen."}
            />
          )
        ) : (
          <>
            <Table caption={status ? `${statusLabels[status]} mail` : "Sent mail"} stack>
              <THead>
                <tr>
                  <TH>{zonedHeader("Created", tz)}</TH>
                  <TH>To</TH>
                  <TH>Subject</TH>
                  <TH>Status</TH>
                  <TH>Attempts</TH>
                  {mayResend && <TH>Action</TH>}
                </tr>
              </THead>
              <TBody>
                {rows.map((m) => (
                  <TR key={m.id} data-testid={`mail-row-${m.id}`}>
                    <TD className="whitespace-nowrap"><DateTime value={m.createdAt} timeZone={tz} zone={false} /></TD>
                    <TD label="To" className="whitespace-nowrap">{m.recipient}</TD>
                    <TD label="Subject">
                      <Link href={`/admin/mail/${m.id}`} className="text-brand-700 hover:underline">
                        {m.subject}
                      </Link>
                      {m.attachmentCount > 0 && <span className="ml-1 text-xs text-slate-600">({m.attachmentCount} attachment{m.attachmentCount === 1 ? "" : "s"})</span>}
                    </TD>
                    <TD label="Status"><StatusBadge status={m.status} /></TD>
                    <TD label="Attempts">{m.attempts}</TD>
                    {mayResend && (
                      <TD>
                        {m.status === "failed" ? (
                          <RowActionForm action={resendMailAction} hidden={{ mailId: m.id }} idempotencyKey={randomUUID()} submitLabel="Send again" pendingLabel="Queuing…" />
                        ) : null}
                      </TD>
                    )}
                  </TR>
                ))}
              </TBody>
            </Table>
            <Pagination label="Sent mail pagination" page={page} total={total} pageSize={MAIL_PAGE_SIZE} href={(p) => hrefWith("/admin/mail", { q, page: p, status })} />
          </>
        )}
      </Card>
    </>
  );
}
