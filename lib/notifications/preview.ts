import "server-only";
import { db as defaultDb, type Db } from "@/db/client";
import { latestEventByKind } from "@/db/queries/notifications-fan-out";
import type { MailAttachmentRef } from "@/db/schema";
import { isCustomerRole } from "@/lib/domain/roles";
import { distinctPeople, mailRecipients, outboxRows, plansFor, renderPlanMail, type MailRecipient } from "./fan-out";
import { MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS, notificationKindLabels, type NotificationKind } from "./kinds";

// The template preview (/admin/mail/preview, issue 13: "one template set, previewable"): for each
// notification kind, the mail the fan-out would write for the latest real event that produced that
// kind, through the same plansFor and renderPlanMail the fan-out uses, so what is shown is what is
// sent. Read-only: one READ ONLY transaction, so nothing can be written (no message id, no row).

export type MailPreviewSample = {
  eventId: string;
  eventType: string;
  occurredAt: Date;
  /** The address this sample is rendered for (the first the fan-out would mail). */
  recipient: string;
  /** How many addresses the fan-out would mail for this event (preferences applied). */
  recipientCount: number;
  subject: string;
  html: string;
  text: string;
  attachments: MailAttachmentRef[];
};

export type MailPreview = {
  kind: NotificationKind;
  label: string;
  mandatory: boolean;
  sample: MailPreviewSample | null;
  /** Why there is no sample. */
  note: string | null;
};

/** Every kind's preview, in NOTIFICATION_KINDS order. Staff only (mail.read): the caller checks. */
export async function mailPreviews(db: Db = defaultDb): Promise<MailPreview[]> {
  return db.transaction(
    async (tx) => {
      const latest = await latestEventByKind(tx, NOTIFICATION_KINDS);
      const events = new Map((await outboxRows(tx, [...new Set(latest.values())])).map((e) => [e.id, e]));
      const out: MailPreview[] = [];
      for (const kind of NOTIFICATION_KINDS) {
        const base = { kind, label: notificationKindLabels[kind], mandatory: MANDATORY_EMAIL_KINDS.includes(kind) };
        const event = events.get(latest.get(kind) ?? "");
        if (!event) {
          out.push({ ...base, sample: null, note: "No event of this kind has happened yet." });
          continue;
        }
        const plan = (await plansFor(tx, event)).find((p) => p.kind === kind);
        if (!plan) {
          out.push({ ...base, sample: null, note: `The latest event of this kind (${event.type}) no longer makes a mail of it.` });
          continue;
        }
        const recipients = await mailRecipients(tx, plan);
        // Everyone turned this mail off: still show it, as the first person would get it.
        const first = distinctPeople(plan)[0];
        const shown: MailRecipient | undefined =
          recipients[0] ?? (first ? { address: first.email, userId: first.id, name: first.name, path: isCustomerRole(first.role) ? plan.portalPath : plan.adminPath } : undefined);
        if (!shown) {
          out.push({ ...base, sample: null, note: `Nobody is left to tell of the latest event of this kind (${event.type}).` });
          continue;
        }
        const mail = await renderPlanMail(plan, shown, event);
        out.push({
          ...base,
          sample: { eventId: event.id, eventType: event.type, occurredAt: event.occurredAt, recipient: shown.address, recipientCount: recipients.length, ...mail, attachments: plan.attachments },
          note: null,
        });
      }
      return out;
    },
    { accessMode: "read only" },
  );
}
