import { HistoryLink } from "@/components/audit/history-link";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DateTime } from "@/components/lists/date-time";
import { Card, FormMessage, PageHeader, StatusBadge } from "@/components/ui";
import { ResetPasswordForm } from "@/components/users/reset-password-form";
import { SpendingLimitsForm } from "@/components/users/spending-limits-form";
import { UserActiveForm } from "@/components/users/user-active-form";
import { UserForm } from "@/components/users/user-form";
import { getCompany, listCompanyOptions } from "@/db/queries/companies";
import { SessionActionForm } from "@/components/sessions/session-action-form";
import { SessionsTable } from "@/components/sessions/sessions-table";
import { listUserSessions } from "@/db/queries/sessions";
import { getUser } from "@/db/queries/users";
import { db } from "@/db/client";
import { minorToDecimal } from "@/lib/domain/money";
import { PASSWORD_MIN_LENGTH } from "@/lib/domain/password-policy";
import { can } from "@/lib/domain/permissions";
import { roleLabels } from "@/lib/domain/roles";
import { requirePermission } from "@/lib/session";
import {
  resetUserPasswordAction,
  revokeAllUserSessionsAction,
  revokeUserSessionAction,
  setSpendingLimitsAction,
  setUserActiveAction,
  updateUserAction,
} from "../actions";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Edit user" };

export default async function UserPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const actor = await requirePermission("users.manage");
  const tz = await getViewerTimeZone(actor);
  const { id } = await params;
  const user = await getUser(db, actor, id);
  if (!user) notFound();
  const [companies, query, sessions] = await Promise.all([listCompanyOptions(db), searchParams, listUserSessions(db, user.id)]);
  const isSelf = user.id === actor.id;
  // Spending limits apply to buyers only, in their company's currency.
  const limitsCompany = user.role === "buyer" && user.companyId && can(actor.role, "users.set_spending_limits") ? await getCompany(db, user.companyId) : null;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="font-medium text-brand-700 hover:underline">
          ← All users
        </Link>
      </p>
      <PageHeader
        title={user.name}
        description={
          <>
            {user.email} · {roleLabels[user.role]}
            {user.companyName ? ` at ${user.companyName}` : ""} · last login <DateTime value={user.lastLoginAt} timeZone={tz} empty="never" />
          </>
        }
        actions={
          <>
            <HistoryLink type="user" id={user.id} label={user.email} className="self-center text-sm font-medium text-brand-700 hover:underline" />
            <StatusBadge status={user.active ? "active" : "inactive"} className="text-sm" />
          </>
        }
      />
      {query.created === "1" && <FormMessage result={{ ok: true, message: "User created." }} className="mb-4" />}
      <div className="space-y-6">
        <Card title="Details">
          <UserForm
            action={updateUserAction}
            companies={companies}
            user={{ id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId }}
          />
        </Card>
        {limitsCompany && (
          <Card title="Spending limits">
            <p className="mb-4 text-sm text-slate-700">
              An order above either limit needs the approval of a customer admin of {limitsCompany.name} before it reaches the seller.
            </p>
            <SpendingLimitsForm
              action={setSpendingLimitsAction}
              userId={user.id}
              // Two decimals: the service reads the limits back with two.
              orderLimit={user.orderLimitMinor === null ? "" : minorToDecimal(user.orderLimitMinor)}
              monthlyLimit={user.monthlyLimitMinor === null ? "" : minorToDecimal(user.monthlyLimitMinor)}
              currency={limitsCompany.currency}
            />
          </Card>
        )}
        <Card title="Access">
          {isSelf ? (
            <p className="text-sm text-slate-700">This is your own account. Another administrator can deactivate it.</p>
          ) : (
            <div className="space-y-3">
              <p className="text-sm text-slate-700">
                {user.active
                  ? "Deactivating ends the user's sessions at once and stops them from signing in. Their records stay."
                  : "This user cannot sign in. Reactivating lets them sign in again with their current password."}
              </p>
              <UserActiveForm action={setUserActiveAction} userId={user.id} active={user.active} />
            </div>
          )}
        </Card>
        <Card title="Sessions">
          <div className="space-y-4">
            <p className="text-sm text-slate-700">
              Each sign-in is a session until it is signed out, revoked or expires. Revoking one signs that browser out at its next request.
            </p>
            <SessionsTable
              sessions={sessions}
              currentId={actor.sessionId}
              timeZone={tz}
              caption={`Sessions of ${user.name}`}
              action={(s) => (
                <SessionActionForm
                  action={revokeUserSessionAction}
                  hidden={{ userId: user.id, sessionId: s.id }}
                  label="Revoke"
                  pendingLabel="Revoking…"
                  size="sm"
                />
              )}
            />
            <SessionActionForm
              action={revokeAllUserSessionsAction}
              hidden={{ userId: user.id }}
              label="Revoke all sessions"
              pendingLabel="Revoking…"
            />
          </div>
        </Card>
        <Card title="Reset password">
          <p className="mb-4 text-sm text-slate-700">Sets a new password and signs the user out everywhere.</p>
          <ResetPasswordForm
            action={resetUserPasswordAction}
            userId={user.id}
            passwordHint={`At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`}
          />
        </Card>
      </div>
    </>
  );
}
