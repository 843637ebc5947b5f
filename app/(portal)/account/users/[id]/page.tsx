import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailList } from "@/components/lists/detail-list";
import { formatDateTime } from "@/components/lists/format";
import { Card, PageHeader, StatusBadge } from "@/components/ui";
import { UserActiveForm } from "@/components/users/user-active-form";
import { getUser } from "@/db/queries/users";
import { db } from "@/lib/db";
import { roleLabels } from "@/lib/domain/roles";
import { requirePermission } from "@/lib/session";
import { setCompanyUserActiveAction } from "../../actions";

export const metadata: Metadata = { title: "Company user" };

export default async function CompanyUserPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("users.manage_own_company");
  const { id } = await params;
  // Scoped to the actor's company: another company's user is indistinguishable from a missing one.
  const user = await getUser(db, actor, id);
  if (!user) notFound();
  const isSelf = user.id === actor.id;
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
              { label: "Last login", value: formatDateTime(user.lastLoginAt) },
            ]}
          />
        </Card>
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
