import "server-only";
import { and, count, desc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import { queryRows, type DbOrTx } from "@/db/client";
import { companies, mailMessages, notificationPreferences, notifications, type MailAttachmentRef } from "@/db/schema";

// Reads of the notifications feature; each is scoped to the actor in SQL (a user's own rows), or
// staff-only where the caller has checked mail.read.

export const NOTIFICATIONS_PAGE_SIZE = 50;
export const MAIL_PAGE_SIZE = 50;

export async function unreadNotificationCount(db: DbOrTx, userId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(notifications).where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

export type NotificationRow = { id: string; kind: string; title: string; body: string; link: string; createdAt: Date; readAt: Date | null };

export async function listNotifications(db: DbOrTx, userId: string, page = 1): Promise<{ rows: NotificationRow[]; total: number }> {
  const rows = await db
    .select({ id: notifications.id, kind: notifications.kind, title: notifications.title, body: notifications.body, link: notifications.link, createdAt: notifications.createdAt, readAt: notifications.readAt })
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(NOTIFICATIONS_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * NOTIFICATIONS_PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId));
  return { rows, total: total?.n ?? 0 };
}

/** The user's stored email choices by kind (a kind without a row is on). */
export async function emailPreferences(db: DbOrTx, userId: string): Promise<Map<string, boolean>> {
  const rows = await db.select({ kind: notificationPreferences.kind, email: notificationPreferences.email }).from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  return new Map(rows.map((r) => [r.kind, r.email]));
}

export type MailListRow = { id: string; recipient: string; subject: string; kind: string; status: string; attempts: number; createdAt: Date; sentAt: Date | null; attachmentCount: number };

export const MAIL_STATUSES = ["queued", "sent", "stored", "failed"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * Staff only (mail.read): the outgoing mail log, newest first; one status only when given (the
 * failed ones to resend); `q` narrows it to mails whose recipient, subject or text names it (an
 * order reference, an invoice number, a payment reference).
 */
export async function listMails(db: DbOrTx, page = 1, filter: { status?: MailStatus; q?: string } = {}): Promise<{ rows: MailListRow[]; total: number }> {
  const pattern = filter.q ? `%${filter.q.replace(/[%_\\]/g, "\\$&")}%` : undefined;
  const where = and(
    filter.status ? eq(mailMessages.status, filter.status) : undefined,
    pattern ? or(ilike(mailMessages.recipient, pattern), ilike(mailMessages.subject, pattern), ilike(mailMessages.text, pattern)) : undefined,
  );
  const rows = await db
    .select({
      id: mailMessages.id,
      recipient: mailMessages.recipient,
      subject: mailMessages.subject,
      kind: mailMessages.kind,
      status: mailMessages.status,
      attempts: mailMessages.attempts,
      createdAt: mailMessages.createdAt,
      sentAt: mailMessages.sentAt,
      attachmentCount: sql<number>`jsonb_array_length(${mailMessages.attachments})::int`,
    })
    .from(mailMessages)
    .where(where)
    .orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
    .limit(MAIL_PAGE_SIZE)
    .offset((Math.max(1, page) - 1) * MAIL_PAGE_SIZE);
  const [total] = await db.select({ n: count() }).from(mailMessages).where(where);
  return { rows, total: total?.n ?? 0 };
}

export type MailDetail = {
  id: string;
  messageId: string;
  recipient: string;
  subject: string;
  kind: string;
  status: string;
  attempts: number;
  lastError: string | null;
  html: string;
  text: string;
  attachments: MailAttachmentRef[];
  createdAt: Date;
  sentAt: Date | null;
};

/** Staff only (mail.read): one message with its bodies. */
export async function getMail(db: DbOrTx, id: string): Promise<MailDetail | null> {
  const [row] = await db
    .select({
      id: mailMessages.id,
      messageId: mailMessages.messageId,
      recipient: mailMessages.recipient,
      subject: mailMessages.subject,
      kind: mailMessages.kind,
      status: mailMessages.status,
      attempts: mailMessages.attempts,
      lastError: mailMessages.lastError,
      html: mailMessages.html,
      text: mailMessages.text,
      attachments: mailMessages.attachments,
      createdAt: mailMessages.createdAt,
      sentAt: mailMessages.sentAt,
    })
    .from(mailMessages)
    .where(eq(mailMessages.id, id));
  return row ?? null;
}

// Writes and locks of the notification mutations (lib/notifications/service.ts, lib/services/mail-resend.ts).

/** Marks one of the user's notifications read (scoped to the user: another's is not found); null when there is none. */
export async function markNotificationReadFor(tx: DbOrTx, userId: string, notificationId: string): Promise<{ id: string; link: string } | null> {
  const [row] = await tx
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
    .returning({ id: notifications.id, link: notifications.link });
  return row ?? null;
}

/** Marks every unread notification of the user read; how many. */
export async function markAllNotificationsReadFor(tx: DbOrTx, userId: string): Promise<number> {
  const marked = await tx
    .update(notifications)
    .set({ readAt: sql`now()` })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return marked.length;
}

/** Stores a user's email choices per kind (one row per kind, replaced). */
export async function saveEmailPreferences(tx: DbOrTx, choices: { userId: string; kind: string; email: boolean }[]): Promise<void> {
  if (choices.length === 0) return;
  await tx
    .insert(notificationPreferences)
    .values(choices)
    .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { email: sql`excluded.email`, updatedAt: sql`now()` } });
}

/** A company's accounts-payable address, its row locked; null when the company does not exist. */
export async function lockCompanyApEmail(tx: DbOrTx, companyId: string): Promise<{ ap: string | null } | null> {
  const [row] = await tx.select({ ap: companies.accountsPayableEmail }).from(companies).where(eq(companies.id, companyId)).for("update");
  return row ?? null;
}

export async function setCompanyApEmail(tx: DbOrTx, companyId: string, email: string | null): Promise<void> {
  await tx.update(companies).set({ accountsPayableEmail: email, updatedAt: sql`now()` }).where(eq(companies.id, companyId));
}

export type LockedMail = { id: string; status: string; recipient: string; subject: string; message_id: string; attempts: number; last_error: string | null };

/** One mail, locked (two resends of it queue it once); null when there is none. */
export async function lockMail(tx: DbOrTx, id: string): Promise<LockedMail | null> {
  const [mail] = await queryRows<LockedMail>(
    tx,
    sql`select id, status::text as status, recipient, subject, message_id, attempts, last_error from mail_messages where id = ${id}::uuid for update`,
  );
  return mail ?? null;
}

export async function setMailQueued(tx: DbOrTx, id: string): Promise<void> {
  await queryRows(tx, sql`update mail_messages set status = 'queued'::mail_status where id = ${id}::uuid`);
}
