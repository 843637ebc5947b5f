import "server-only";
import { sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { fromDrizzle, type JobInsert, type JobResult, type JobWithMetadata, type PgBoss } from "pg-boss";
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

// One pooled SMTP transport per process: a few connections, each carrying many messages, instead of
// a connection (and EHLO, and a TLS handshake on a real server) per mail. Measured with the bench
// (npm run bench -- notifications): see the commit that introduced it. The pool is closed as soon as
// no send is in flight, so idle connections never outlive the work (an SMTP server being stopped
// would otherwise wait for them). SMTP_URL may set its own pool options (?pool=false&maxConnections=…).
const SMTP_MAX_CONNECTIONS = 8;
let transport: { url: string; t: Transporter; users: number } | undefined;
function acquireSmtp(url: string): Transporter {
  if (transport?.url !== url) {
    const pooled = new URL(url);
    if (!pooled.searchParams.has("pool")) pooled.searchParams.set("pool", "true");
    if (!pooled.searchParams.has("maxConnections")) pooled.searchParams.set("maxConnections", String(SMTP_MAX_CONNECTIONS));
    if (!pooled.searchParams.has("maxMessages")) pooled.searchParams.set("maxMessages", "1000");
    transport = { url, t: nodemailer.createTransport(pooled.toString()), users: 0 };
  }
  transport.users++;
  return transport.t;
}
function releaseSmtp(t: Transporter): void {
  if (transport?.t !== t) return t.close();
  if (--transport.users === 0) {
    transport = undefined;
    t.close();
  }
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

async function loadMails(ids: readonly string[]): Promise<Map<string, MailRow>> {
  if (ids.length === 0) return new Map();
  const rows = await queryRows<MailRow>(
    db,
    sql`select id, message_id, recipient, subject, html, text, attachments, status::text as status, attempts from mail_messages where id = any(${`{${ids.join(",")}}`}::uuid[])`,
  );
  return new Map(rows.map((r) => [r.id, r]));
}

/** Marks mails sent (or stored) in one statement; each one's attempts counts this send. */
async function mark(ids: readonly string[], status: "sent" | "stored"): Promise<void> {
  if (ids.length === 0) return;
  await queryRows(
    db,
    sql`update mail_messages set status = ${status}::mail_status, sent_at = now(), attempts = attempts + 1, last_error = null
        where id = any(${`{${ids.join(",")}}`}::uuid[]) and status = 'queued'`,
  );
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

type SendJob = Pick<JobWithMetadata<SendMailJob>, "id" | "data" | "retryCount" | "retryLimit">;
type Outcome = { status: string; error?: unknown };

/**
 * One send of each job's mail, the worker's batch (the mails loaded in one statement, sent
 * concurrently over the pooled transport, the sent ones marked in one statement after every SMTP
 * transaction of the batch has ended). Already sent or stored: done (a duplicate job, or a retry after
 * the mark). No SMTP_URL: kept in the local mailbox if that is on, else failed for good. An SMTP error
 * is recorded and that job fails, so pg-boss retries it with backoff; the last attempt marks the mail
 * failed. A worker killed after sending and before the mark leaves its jobs active: pg-boss hands them
 * out again when they expire, and each of those mails goes once more with its own Message-ID.
 */
async function sendMails(jobs: readonly SendJob[], hooks: SendHooks): Promise<Outcome[]> {
  const mails = await loadMails(jobs.map((j) => j.data.mailId));
  const outcomes: Outcome[] = jobs.map((job) => {
    const mail = mails.get(job.data.mailId);
    if (!mail) return { status: "missing" };
    if (mail.status === "sent" || mail.status === "stored") return { status: `already ${mail.status}` };
    return { status: "pending" };
  });
  // A job is handed out once at a time, but two jobs for one mail would send it twice in one batch.
  const seen = new Set<string>();
  const pending = jobs.flatMap((job, i) => {
    if (outcomes[i]!.status !== "pending" || seen.has(job.data.mailId)) {
      if (outcomes[i]!.status === "pending") outcomes[i] = { status: "duplicate job" };
      return [];
    }
    seen.add(job.data.mailId);
    return [{ job, i, mail: mails.get(job.data.mailId)! }];
  });
  if (pending.length === 0) return outcomes;
  const e = env();
  if (!e.SMTP_URL) {
    const ids = pending.map((p) => p.mail.id);
    if (e.localMailbox) await mark(ids, "stored");
    else for (const p of pending) await markFailure(p.mail.id, p.mail.attempts + 1, "No SMTP_URL is configured and the local mailbox is off (MAIL_LOCAL_MAILBOX).", true);
    for (const p of pending) outcomes[p.i] = { status: e.localMailbox ? "stored" : "failed" };
    return outcomes;
  }
  // Mails of one document (an invoice to the buyer and to the AP address) share its rendering.
  const rendered = new Map<string, ReturnType<typeof attachmentsOf>>();
  const attachments = (refs: MailAttachmentRef[]) => {
    const key = JSON.stringify(refs);
    let got = rendered.get(key);
    if (!got) rendered.set(key, (got = attachmentsOf(refs)));
    return got;
  };
  const t = acquireSmtp(e.SMTP_URL);
  let results: PromiseSettledResult<unknown>[];
  try {
    results = await Promise.allSettled(
      pending.map(async ({ mail }) =>
        t.sendMail({
          from: e.mailFrom,
          to: mail.recipient,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId: mail.message_id,
          attachments: mail.attachments.length > 0 ? await attachments(mail.attachments) : [],
        }),
      ),
    );
  } finally {
    releaseSmtp(t);
  }
  const sent: string[] = [];
  for (const [k, p] of pending.entries()) {
    const r = results[k]!;
    if (r.status === "fulfilled") {
      sent.push(p.mail.id);
      outcomes[p.i] = { status: "sent" };
    } else {
      const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
      await markFailure(p.mail.id, p.mail.attempts + 1, message, p.job.retryCount >= p.job.retryLimit);
      outcomes[p.i] = { status: "failed", error: r.reason };
    }
  }
  if (sent.length > 0) await hooks.afterSend?.();
  await mark(sent, "sent");
  return outcomes;
}

/** One send of one mail (see sendMails); an SMTP error is thrown, for pg-boss to retry the job. */
export async function sendMail(job: SendJob, hooks: SendHooks = {}): Promise<{ status: string }> {
  const [outcome] = await sendMails([job], hooks);
  if (outcome!.error !== undefined) throw outcome!.error;
  return { status: outcome!.status };
}

/** The worker's handler: a fetched batch of send jobs, one result per job (a failed one is retried alone). */
export async function sendMailBatch(jobs: JobWithMetadata<SendMailJob>[], hooks: SendHooks = {}): Promise<JobResult[]> {
  const outcomes = await sendMails(jobs, hooks);
  return jobs.map((job, i) => {
    const { status, error } = outcomes[i]!;
    if (error === undefined) return { id: job.id, status: "completed", output: { status } };
    return { id: job.id, status: "failed", output: { status, error: error instanceof Error ? error.message : String(error) } };
  });
}

/** How many mails are in each status (the Sent mail page's summary, tests). */
export async function countMailsByStatus(dbx: DbOrTx = db): Promise<Record<string, number>> {
  const rows = await queryRows<{ status: string; n: number }>(dbx, sql`select status::text as status, count(*)::int as n from mail_messages group by status`);
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}
