import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailList } from "@/components/lists/detail-list";
import { DateTime } from "@/components/lists/date-time";
import { Card, PageHeader, StatusBadge } from "@/components/ui";
import { SpendingLimitsForm } from "@/components/users/spending-limits-form";
import { UserActiveForm } from "@/components/users/user-active-form";
import { getCompany } from "@/db/queries/companies";
import { getUser } from "@/db/queries/users";
import { db } from "@/db/client";
import { formatMoney, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { roleLabels } from "@/lib/domain/roles";
import { requirePermission } from "@/lib/session";
import { setCompanyUserActiveAction, setSpendingLimitsAction } from "../../actions";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Company user" };

export default async function CompanyUserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("users.manage_own_company");
  const tz = await getViewerTimeZone(actor);
  const { id } = await params;
  // Scoped to the actor's company: another company's user is indistinguishable from a missing one.
  const user = await getUser(db, actor, id);
  if (!user) notFound();
  const isSelf = user.id === actor.id;
  // user.companyId is the actor's own company (getUser scoped it); limits apply to buyers only.
  const limitsCompany = user.role === "buyer" && user.companyId && can(actor.role, "users.set_spending_limits") ? await getCompany(db, user.companyId) : null;
  const limitText = (minor: bigint | null) => (minor === null || !limitsCompany ? "No limit" : formatMoney(minor, limitsCompany.currency));
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/account" className="font-medium text-brand-700 hover:underline">
          ← Account
        </Link>
      </p>
      <PageHeader title={user.name} description={user.email} actions={<StatusBadge status={user.active ? "active" : "inactive"} className="text-sm" />} />
      <div className="space-y-6">
        <Card title="Details">
          <DetailList
            items={[
              { label: "Name", value: user.name },
              { label: "Email", value: user.email },
              { label: "Role", value: roleLabels[user.role] },
              { label: "Company", value: user.companyName ?? "—" },
              { label: "Status", value: <StatusBadge status={user.active ? "active" : "inactive"} /> },
              { label: "Last login", value: <DateTime value={user.lastLoginAt} timeZone={tz} empty="Never" /> },
            ]}
          />
        </Card>
        {limitsCompany && (
          <Card title="Spending limits">
            <p className="mb-4 text-sm text-slate-700">
              Now: {limitText(user.orderLimitMinor)} per order, {limitText(user.monthlyLimitMinor)} per month. An order above either limit waits for
              your approval (or another customer admin&apos;s) before it reaches the seller.
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
            <p className="text-sm text-slate-700">This is your own account. Change your password on the account page.</p>
          ) : (
            <div className="space-y-3">
              <p className="text-sm text-slate-700">
                {user.active
                  ? "Deactivating ends the user's sessions at once and stops them from signing in."
                  : "This user cannot sign in. Reactivating lets them sign in again with their current password."}
              </p>
              <UserActiveForm action={setCompanyUserActiveAction} userId={user.id} active={user.active} />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
