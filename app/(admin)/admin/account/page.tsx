import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { DetailList } from "@/components/lists/detail-list";
import { SessionActionForm } from "@/components/sessions/session-action-form";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { Card, PageHeader } from "@/components/ui";
import { db } from "@/db/client";
import { listUserSessions } from "@/db/queries/sessions";
import { PASSWORD_MIN_LENGTH } from "@/lib/domain/password-policy";
import { roleLabels } from "@/lib/domain/roles";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { changePasswordAction, signOutEverywhereAction } from "./actions";

export const metadata: Metadata = { title: "Account" };

/** A staff member's own account: profile, password and sessions. */
export default async function StaffAccountPage() {
  const actor = await requirePermission("admin.access");
  const [tz, sessions] = await Promise.all([getViewerTimeZone(actor), listUserSessions(db, actor.id)]);
  return (
    <>
      <PageHeader title="Account" description="Your profile, password and sessions." />
      <div className="space-y-6">
        <Card title="Profile">
          <DetailList
            items={[
              { label: "Name", value: actor.name, testId: "profile-name" },
              { label: "Email", value: actor.email, testId: "profile-email" },
              { label: "Role", value: roleLabels[actor.role], testId: "profile-role" },
            ]}
          />
        </Card>
        <Card title="Change password">
          <p className="mb-4 text-sm text-slate-700">After the change you are signed out everywhere and sign in again with the new password.</p>
          <ChangePasswordForm action={changePasswordAction} passwordHint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`} />
        </Card>
        <Card title="Sessions">
          <div className="space-y-4">
            <p className="text-sm text-slate-700">Where you are signed in. Signing out everywhere ends all of them, this one included.</p>
            <SessionsTable sessions={sessions} currentId={actor.sessionId} timeZone={tz} caption="Your sessions" />
            <SessionActionForm action={signOutEverywhereAction} label="Sign out everywhere" pendingLabel="Signing out…" />
          </div>
        </Card>
      </div>
    </>
  );
}
