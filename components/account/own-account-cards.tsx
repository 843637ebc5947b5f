import { ChangePasswordForm } from "@/components/account/change-password-form";
import type { FormAction } from "@/components/forms/form-state";
import { DetailList } from "@/components/lists/detail-list";
import { SessionActionForm } from "@/components/sessions/session-action-form";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { Card } from "@/components/ui";
import type { Actor } from "@/lib/domain/actor";
import { PASSWORD_MIN_LENGTH } from "@/lib/domain/password-policy";
import { roleLabels } from "@/lib/domain/roles";
import type { ComponentProps } from "react";

type Props = {
  actor: Actor;
  /** Extra profile rows (a customer's company). */
  profileExtra?: ComponentProps<typeof DetailList>["items"];
  sessions: ComponentProps<typeof SessionsTable>["sessions"];
  timeZone: string;
  changePasswordAction: FormAction;
  signOutEverywhereAction: FormAction;
};

/** The cards every user's own account page shows, staff and customers alike: profile, password, sessions. */
export function OwnAccountCards({ actor, profileExtra = [], sessions, timeZone, changePasswordAction, signOutEverywhereAction }: Props) {
  return (
    <>
      <Card title="Profile">
        <DetailList
          items={[
            { label: "Name", value: actor.name, testId: "profile-name" },
            { label: "Email", value: actor.email, testId: "profile-email" },
            { label: "Role", value: roleLabels[actor.role], testId: "profile-role" },
            ...profileExtra,
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
          <SessionsTable sessions={sessions} currentId={actor.sessionId} timeZone={timeZone} caption="Your sessions" />
          <SessionActionForm action={signOutEverywhereAction} label="Sign out everywhere" pendingLabel="Signing out…" />
        </div>
      </Card>
    </>
  );
}
