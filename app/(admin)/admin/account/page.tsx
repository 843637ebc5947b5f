import type { Metadata } from "next";
import { OwnAccountCards } from "@/components/account/own-account-cards";
import { PageHeader } from "@/components/ui";
import { db } from "@/db/client";
import { listUserSessions } from "@/db/queries/sessions";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { EmailPreferencesCard } from "@/components/notifications/email-preferences-card";
import { changePasswordAction, setNotificationPreferencesAction, signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Account" };

/** A staff member's own account: profile, password and sessions. */
export default async function StaffAccountPage() {
  const actor = await requirePermission("admin.access");
  const [tz, sessions] = await Promise.all([getViewerTimeZone(actor), listUserSessions(db, actor.id)]);
  return (
    <>
      <PageHeader title="Account" description="Your profile, password and sessions." />
      <div className="space-y-6">
        <OwnAccountCards
          actor={actor}
          sessions={sessions}
          timeZone={tz}
          changePasswordAction={changePasswordAction}
          signOutEverywhereAction={signOutEverywhereAction}
        />
        <EmailPreferencesCard actor={actor} action={setNotificationPreferencesAction} />
      </div>
    </>
  );
}
