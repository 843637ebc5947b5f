import type { Metadata } from "next";
import Link from "next/link";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { SearchForm } from "@/components/lists/search-form";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { Card, EmptyState, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { db } from "@/db/client";
import { env } from "@/lib/env";
import { listMails, MAIL_PAGE_SIZE } from "@/lib/notifications/queries";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Sent mail" };

export default async function SentMailPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("mail.read");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const page = pageParam(params);
  const q = param(params, "q", 100);
  const { rows, total } = await listMails(db, page, q);
  const e = env();
  const mode = e.SMTP_URL ? "Mail is sent through the configured SMTP server (SMTP_URL)." : e.localMailbox ? "No SMTP_URL is configured: mail is kept here, in the local mailbox, and not sent." : "No SMTP_URL is configured and the local mailbox is off: mail cannot be delivered.";
  return (
    <>
      <PageHeader title="Sent mail" description={`Every notification mail, newest first. ${mode}`} />
      <SearchForm action="/admin/mail" q={q} label="Search mail" placeholder="Recipient, order, invoice or payment reference" />
      <Card>
        {rows.length === 0 ? (
          q ? (
            <EmptyState title="No matching mail" description={`No mail's recipient, subject or text contains “${q}”.`} />
          ) : (
            <EmptyState title="No mail yet" description="Quotations, approvals, invoices and payments send mail as they happen." />
          )
        ) : (
          <>
            <Table caption="Sent mail">
              <THead>
                <tr>
                  <TH>{zonedHeader("Created", tz)}</TH>
                  <TH>To</TH>
                  <TH>Subject</TH>
                  <TH>Status</TH>
                  <TH>Attempts</TH>
                </tr>
              </THead>
              <TBody>
                {rows.map((m) => (
                  <TR key={m.id} data-testid={`mail-row-${m.id}`}>
                    <TD className="whitespace-nowrap"><DateTime value={m.createdAt} timeZone={tz} zone={false} /></TD>
                    <TD className="whitespace-nowrap">{m.recipient}</TD>
                    <TD>
                      <Link href={`/admin/mail/${m.id}`} className="text-brand-700 hover:underline">
                        {m.subject}
                      </Link>
                      {m.attachmentCount > 0 && <span className="ml-1 text-xs text-slate-600">({m.attachmentCount} attachment{m.attachmentCount === 1 ? "" : "s"})</span>}
                    </TD>
                    <TD><StatusBadge status={m.status} /></TD>
                    <TD>{m.attempts}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            <Pagination label="Sent mail pagination" page={page} total={total} pageSize={MAIL_PAGE_SIZE} href={(p) => hrefWith("/admin/mail", { q, page: p })} />
          </>
        )}
      </Card>
    </>
  );
}
