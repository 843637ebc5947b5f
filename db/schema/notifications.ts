import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { outboxEvents } from "./webhooks";

// Notifications (issue 13) hang off the webhook outbox: the relay that claims an outbox event also
// writes its in-app notifications and outgoing mails in the same transaction (lib/notifications/fan-out.ts),
// and enqueues one send job per mail. The unique keys make a re-run of the fan-out a no-op.

/** A notification kind: what happened, as the user sees it (lib/notifications/kinds.ts lists them). */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull().default(""),
    // A path inside the app (/orders/…); absolute URLs are made from APP_URL where mails need them.
    link: text("link").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("notifications_user_event_kind_key").on(t.userId, t.eventId, t.kind),
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
    index("notifications_user_unread_idx").on(t.userId).where(sql`${t.readAt} is null`),
    index("notifications_event_id_idx").on(t.eventId),
    check("notifications_link_check", sql`${t.link} ~ '^/'`),
  ],
);

export type Notification = typeof notifications.$inferSelect;
export type NewNotification = typeof notifications.$inferInsert;

// queued: waiting for its send job; sent: accepted by the SMTP server; stored: kept in the local
// mailbox (no SMTP_URL); failed: out of retries (last_error says why).
export const mailStatus = pgEnum("mail_status", ["queued", "sent", "stored", "failed"]);

/**
 * A PDF a mail carries, rendered at send time: an issued document by id, or (dunning's last reminder)
 * the statement of account of the company `id` as of the date `asOf`.
 */
export type MailAttachmentRef = { kind: "quotation" | "invoice" | "credit_note"; id: string; filename: string } | { kind: "statement"; id: string; asOf: string; filename: string };

// The outgoing mail log, and the local mailbox when no SMTP server is configured. One row per
// (event, kind, recipient): the Message-ID is fixed at creation, so a resend after a crash between
// sending and marking carries the same id and mail clients fold the two copies into one.
export const mailMessages = pgTable(
  "mail_messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: text("message_id").notNull(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "restrict" }),
    kind: text("kind").notNull(),
    // The address this row is for (the unique key); the user, when it is one (null: the AP address).
    recipient: text("recipient").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    subject: text("subject").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    // Rendered at send time from the document (documentPdf, or its cache); never stored twice.
    attachments: jsonb("attachments").$type<MailAttachmentRef[]>().notNull().default([]),
    status: mailStatus("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("mail_messages_event_kind_recipient_key").on(t.eventId, t.kind, sql`lower(${t.recipient})`),
    uniqueIndex("mail_messages_message_id_key").on(t.messageId),
    index("mail_messages_created_idx").on(t.createdAt),
    index("mail_messages_user_id_idx").on(t.userId),
    check("mail_messages_attempts_check", sql`${t.attempts} >= 0`),
    check("mail_messages_message_id_check", sql`${t.messageId} ~ '^<[^<>@ ]+@[^<>@ ]+>$'`),
    check("mail_messages_sent_check", sql`(${t.status} in ('sent', 'stored')) = (${t.sentAt} is not null)`),
  ],
);

export type MailMessage = typeof mailMessages.$inferSelect;
export type NewMailMessage = typeof mailMessages.$inferInsert;

// Per user and kind: email off (a missing row means on). In-app notifications are always written.
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    email: boolean("email").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

export type NotificationPreference = typeof notificationPreferences.$inferSelect;

// Reminders (issue 13): things the reminders job (lib/services/reminders.ts) tells people because time
// passed rather than because someone acted: dunning of overdue invoices, quotations about to expire,
// low stock. A reminder is sent exactly when its row and its outbox event are written, in one statement
// (db/queries/reminders.ts): the unique key makes a second run of the job write neither.
// kind: "invoice_overdue" (subject: the invoice; stage 1, 2, 3 = due + 1, 7, 21 days),
// "quotation_expiring" (subject: the quotation version; stage 1), "low_stock" (subject: the product;
// stage n = its n-th low-stock episode, closed_at set when availability is back at the threshold).
export const reminders = pgTable(
  "reminders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind").notNull(),
    subjectId: uuid("subject_id").notNull(),
    stage: integer("stage").notNull(),
    eventId: uuid("event_id")
      .notNull()
      .references(() => outboxEvents.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    // Low stock only: when the episode ended (availability back at or above the threshold).
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    uniqueIndex("reminders_kind_subject_stage_key").on(t.kind, t.subjectId, t.stage),
    index("reminders_event_id_idx").on(t.eventId),
    index("reminders_open_idx").on(t.kind, t.subjectId).where(sql`${t.closedAt} is null`),
    check("reminders_stage_check", sql`${t.stage} >= 1`),
  ],
);

export type Reminder = typeof reminders.$inferSelect;
export type NewReminder = typeof reminders.$inferInsert;
