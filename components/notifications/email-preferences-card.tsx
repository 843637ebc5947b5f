import type { FormAction } from "@/components/forms/form-state";
import { Card } from "@/components/ui";
import { db } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";
import { kindsForRole, MANDATORY_EMAIL_KINDS, notificationKindLabels, wantsEmail } from "@/lib/notifications/kinds";
import { emailPreferences } from "@/db/queries/notifications";
import { EmailPreferencesForm } from "./email-preferences-form";

/** The account page's "Email notifications" card: the kinds the actor's role receives, each on or off. */
export async function EmailPreferencesCard({ actor, action }: { actor: Actor; action: FormAction }) {
  const kinds = kindsForRole(actor.role);
  if (kinds.length === 0) return null;
  const stored = await emailPreferences(db, actor.id);
  const items = kinds.map((kind) => ({ kind, label: notificationKindLabels[kind], email: wantsEmail(kind, stored.get(kind)), mandatory: MANDATORY_EMAIL_KINDS.includes(kind) }));
  return (
    <Card title="Email notifications">
      <p className="mb-4 text-sm text-slate-700">Everything also appears under Notifications in the header; here you choose what is emailed to {actor.email}.</p>
      <EmailPreferencesForm action={action} items={items} />
    </Card>
  );
}
