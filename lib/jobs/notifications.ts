import "server-only";
import { sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { fromDrizzle, type JobInsert, type JobWithMetadata, type PgBoss } from "pg-boss";
import { db, queryRows, type DbOrTx } from "@/db/client";
import type { MailAttachmentRef } from "@/db/schema";
import type { Actor } from "@/lib/domain/actor";
import { env } from "@/lib/env";
import { documentPdf } from "@/lib/services/documents";
import { statementOfAccount, statementPdf } from "@/lib/services/statements";
import { QUEUES } from "./queue";

// Sending notification mails (issue 13): one pg-boss job per mail_messages row, enqueued by the
// outbox relay in the transaction that wrote the row. A job sends the stored message with its fixed
// Message-ID, then marks it sent. A worker killed between the two leaves the job active; pg-boss
// hands it out again when it expires and the mail goes once more, with the same Message-ID, so the
// recipient's client folds the copies: a crash repeats a mail at most once per crash, never loses it.

export type SendMailJob = { mailId: string };

/** Attempts and backoff: 30 s, 1 min, 2 min … capped at 6 h, about 2 days in all (MAIL_RETRY_DELAY_SECONDS base). */
export const MAIL_POLICY = { RETRY_LIMIT: 12, RETRY_DELAY_MAX_SECONDS: 6 * 3600, SEND_TIMEOUT_SECONDS: 60 } as const;

export function sendJobOptions() {
  return {
    retryLimit: MAIL_POLICY.RETRY_LIMIT,
    retryDelay: env().MAIL_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    retryDelayMax: MAIL_POLICY.RETRY_DELAY_MAX_SECONDS,
    // Rendering the attachments and one SMTP transaction; a killed worker's job comes back after this.
    expireInSeconds: MAIL_POLICY.SEND_TIMEOUT_SECONDS,
  };
}

/** Enqueues one send job per mail inside the caller's transaction (the relay's). */
export async function enqueueMails(boss: PgBoss, tx: DbOrTx, mailIds: readonly string[]): Promise<void> {
  if (mailIds.length === 0) return;
  const jobs: JobInsert<SendMailJob>[] = mailIds.map((mailId) => ({ data: { mailId }, ...sendJobOptions() }));
  await boss.insert(QUEUES.sendMail, jobs, { db: fromDrizzle(tx as Parameters<typeof fromDrizzle>[0], sql) });
}

// Attachments are rendered as the system: the mail was addressed by the fan-out, which decided who
// may see the document (the order's own buyer, the company's AP address).
const SYSTEM: Actor = { id: "00000000-0000-0000-0000-000000000000", email: "system@orderly.local", name: "Orderly", role: "admin", companyId: null };

let transport: { url: string; t: Transporter } | undefined;
function smtp(url: string): Transporter {
  if (transport?.url !== url) transport = { url, t: nodemailer.createTransport(url) };
  return transport.t;
}

type MailRow = {
  id: string;
  message_id: string;
  recipient: string;
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachmentRef[];
  status: "queued" | "sent" | "stored" | "failed";
  attempts: number;
};

async function loadMail(id: string): Promise<MailRow | null> {
  const [row] = await queryRows<MailRow>(
    db,
    sql`select id, message_id, recipient, subject, html, text, attachments, status::text as status, attempts from mail_messages where id = ${id}::uuid`,
  );
  return row ?? null;
}

async function mark(id: string, status: "sent" | "stored", attempts: number): Promise<void> {
  await queryRows(db, sql`update mail_messages set status = ${status}::mail_status, sent_at = now(), attempts = ${attempts}, last_error = null where id = ${id}::uuid and status = 'queued'`);
}

async function markFailure(id: string, attempts: number, error: string, final: boolean): Promise<void> {
  await queryRows(
    db,
    sql`update mail_messages set attempts = ${attempts}, last_error = ${error.slice(0, 500)}, status = case when ${final} then 'failed'::mail_status else status end
        where id = ${id}::uuid and status in ('queued', 'failed')`,
  );
}

/** The attachments of a mail, rendered now (or taken from the rendered-document cache). */
export async function attachmentsOf(refs: MailAttachmentRef[]): Promise<{ filename: string; content: Buffer; contentType: string }[]> {
  const out = [];
  for (const ref of refs) {
    if (ref.kind === "statement") {
      // The company's open items now, dated as of the reminder's day (a statement is never cached: it changes).
      const statement = await statementOfAccount(db, SYSTEM, ref.id, ref.asOf);
      if (!statement) throw new Error(`attachment statement ${ref.id} not found`);
      const { filename, pdf } = await statementPdf(statement);
      out.push({ filename: ref.filename || filename, content: pdf, contentType: "application/pdf" });
      continue;
    }
    const doc = await documentPdf(SYSTEM, ref.kind, ref.id);
    if (!doc) throw new Error(`attachment ${ref.kind} ${ref.id} not found`);
    out.push({ filename: doc.filename, content: doc.pdf, contentType: "application/pdf" });
  }
  return out;
}

export type SendHooks = {
  /** Tests: runs after the SMTP server accepted the mail and before it is marked (a crash there). */
  afterSend?: () => void | Promise<void>;
};

/**
 * One send of one mail. Already sent or stored: done (a duplicate job, or a retry after the mark).
 * No SMTP_URL: kept in the local mailbox if that is on, else failed for good. An SMTP error is
 * recorded and thrown, so pg-boss retries with backoff; the last attempt marks the mail failed.
 */
export async function sendMail(job: Pick<JobWithMetadata<SendMailJob>, "id" | "data" | "retryCount" | "retryLimit">, hooks: SendHooks = {}): Promise<{ status: string }> {
  const mail = await loadMail(job.data.mailId);
  if (!mail) return { status: "missing" };
  if (mail.status === "sent" || mail.status === "stored") return { status: `already ${mail.status}` };
  const e = env();
  const attempts = mail.attempts + 1;
  if (!e.SMTP_URL) {
    if (e.localMailbox) {
      await mark(mail.id, "stored", attempts);
      return { status: "stored" };
    }
    await markFailure(mail.id, attempts, "No SMTP_URL is configured and the local mailbox is off (MAIL_LOCAL_MAILBOX).", true);
    return { status: "failed" };
  }
  try {
    await smtp(e.SMTP_URL).sendMail({
      from: e.mailFrom,
      to: mail.recipient,
      subject: mail.subject,
      html: mail.html,
      text: mail.text,
      messageId: mail.message_id,
      attachments: await attachmentsOf(mail.attachments),
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markFailure(mail.id, attempts, message, job.retryCount >= job.retryLimit);
    throw error;
  }
  await hooks.afterSend?.();
  await mark(mail.id, "sent", attempts);
  return { status: "sent" };
}

/** How many mails are in each status (the Sent mail page's summary, tests). */
export async function countMailsByStatus(dbx: DbOrTx = db): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(dbx, sql`select status::text as status, count(*)::int as n from mail_messages group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
