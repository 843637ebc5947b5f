import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { OwnAccountCards } from "@/components/account/own-account-cards";
import { InviteUserForm } from "@/components/account/invite-user-form";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, type SearchParams } from "@/components/lists/search-params";
import { Card, EmptyState, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { UserActiveForm } from "@/components/users/user-active-form";
import { getUser, listUsers, PAGE_SIZE } from "@/db/queries/users";
import { db } from "@/db/client";
import { PASSWORD_MIN_LENGTH } from "@/lib/domain/password-policy";
import { can } from "@/lib/domain/permissions";
import { roleLabels } from "@/lib/domain/roles";
import { requirePermission } from "@/lib/session";
import { AccountsPayableForm } from "@/components/notifications/accounts-payable-form";
import { EmailPreferencesCard } from "@/components/notifications/email-preferences-card";
import { getCompany } from "@/db/queries/companies";
import { AddressBook } from "@/components/addresses/address-book";
import { listCompanyAddresses } from "@/db/queries/addresses";
import { createShipToAddressAction, deleteShipToAddressAction, updateShipToAddressAction } from "./actions";
import { changePasswordAction, inviteUserAction, setAccountsPayableEmailAction, setCompanyUserActiveAction, setNotificationPreferencesAction, signOutEverywhereAction } from "./actions";
import { listUserSessions } from "@/db/queries/sessions";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Account" };

const passwordHint = `At least ${PASSWORD_MIN_LENGTH} characters, not a common password.`;

export default async function AccountPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("portal.access");
  const tz = await getViewerTimeZone(actor);
  const profile = await getUser(db, actor, actor.id);
  const managesCompany = can(actor.role, "users.manage_own_company");
  const page = pageParam(await searchParams);
  // listUsers scopes a customer admin to their own company in SQL.
  const team = managesCompany ? await listUsers(db, actor, { page }) : null;
  const sessions = await listUserSessions(db, actor.id);
  const company = managesCompany && actor.companyId ? await getCompany(db, actor.companyId) : null;
  // Everyone in the company sees where goods can go; the customer admin edits the ship-to addresses.
  const addresses = actor.companyId ? await listCompanyAddresses(db, actor.companyId) : [];
  const editsShipTo = can(actor.role, "company_addresses.manage");
  return (
    <>
      <PageHeader title="Account" description="Your profile and password." />
      <div className="space-y-6">
        <OwnAccountCards
          actor={actor}
          profileExtra={[{ label: "Company", value: profile?.companyName ?? "—", testId: "profile-company" }]}
          sessions={sessions}
          timeZone={tz}
          changePasswordAction={changePasswordAction}
          signOutEverywhereAction={signOutEverywhereAction}
        />
        <EmailPreferencesCard actor={actor} action={setNotificationPreferencesAction} />
        {actor.companyId && (
          <Card title="Addresses">
            <AddressBook
              companyId={actor.companyId}
              companyName={profile?.companyName ?? ""}
              addresses={addresses}
              canEditBilling={false}
              canEditShipping={editsShipTo}
              actions={{ create: createShipToAddressAction, update: updateShipToAddressAction, remove: deleteShipToAddressAction }}
            />
          </Card>
        )}
        {company && (
          <Card title="Accounts payable">
            <AccountsPayableForm action={setAccountsPayableEmailAction} companyId={company.id} value={company.accountsPayableEmail} />
          </Card>
        )}
        {team && (
          <>
            <Card title="Company users">
              {team.total === 0 ? (
                <EmptyState title="No users" description="Invite colleagues below so they can order for your company." />
              ) : (
                <>
                  <Table caption="Company users" stack>
                    <THead>
                      <tr>
                        <TH>Name</TH>
                        <TH>Email</TH>
                        <TH>Role</TH>
                        <TH>Status</TH>
                        <TH>{zonedHeader("Last login", tz)}</TH>
                        {/* relative: keeps the sr-only text inside the table's scroll box on narrow screens */}
                        <TH className="relative">
                          <span className="sr-only">Actions</span>
                        </TH>
                      </tr>
                    </THead>
                    <TBody>
                      {team.rows.map((u) => (
                        <TR key={u.id} data-testid={`user-row-${u.email}`}>
                          <TD className="font-medium">
                            <Link href={`/account/users/${u.id}`} className="text-brand-700 hover:underline">
                              {u.name}
                            </Link>
                          </TD>
                          <TD label="Email" className="whitespace-nowrap">{u.email}</TD>
                          <TD label="Role" className="whitespace-nowrap">{roleLabels[u.role]}</TD>
                          <TD label="Status">
                            <StatusBadge status={u.active ? "active" : "inactive"} />
                          </TD>
                          <TD label="Last login" className="whitespace-nowrap"><DateTime value={u.lastLoginAt} timeZone={tz} zone={false} empty="Never" /></TD>
                          <TD>
                            {u.id === actor.id ? (
                              <span className="text-sm text-slate-600">You</span>
                            ) : (
                              <UserActiveForm action={setCompanyUserActiveAction} userId={u.id} active={u.active} size="sm" />
                            )}
                          </TD>
                        </TR>
                      ))}
                    </TBody>
                  </Table>
                  <Pagination
                    label="Company users pagination"
                    page={page}
                    total={team.total}
                    pageSize={PAGE_SIZE}
                    href={(p) => hrefWith("/account", { page: p })}
                  />
                </>
              )}
            </Card>
            <Card title="API keys">
              <p className="text-sm text-slate-700">
                Let your ERP or procurement system order through the API.{" "}
                <Link href="/account/api-keys" className="text-brand-700 hover:underline">
                  Manage API keys
                </Link>
              </p>
            </Card>
            <Card title="Invite user">
              <p className="mb-4 text-sm text-slate-700">
                The colleague joins {profile?.companyName ?? "your company"} and signs in with the email and initial password you set here.
              </p>
              <InviteUserForm
                action={inviteUserAction}
                idempotencyKey={randomUUID()}
                passwordHint={`${passwordHint} You share it with your colleague yourself, ideally in person or by phone.`}
              />
            </Card>
          </>
        )}
      </div>
    </>
  );
}
