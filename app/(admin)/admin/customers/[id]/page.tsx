import { HistoryLink } from "@/components/audit/history-link";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CompanyForm } from "@/components/companies/company-form";
import { DetailList } from "@/components/lists/detail-list";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, type SearchParams } from "@/components/lists/search-params";
import { Card, EmptyState, FormMessage, LinkButton, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { getCompany } from "@/db/queries/companies";
import { listUsers, PAGE_SIZE } from "@/db/queries/users";
import { db } from "@/db/client";
import { formatMoney, minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { roleLabels } from "@/lib/domain/roles";
import { requirePermission } from "@/lib/session";
import { AccountsPayableForm } from "@/components/notifications/accounts-payable-form";
import { createCompanyAddressAction, deleteCompanyAddressAction, setAccountsPayableEmailAction, setCompanyAssortmentAction, updateCompanyAction, updateCompanyAddressAction } from "../actions";
import { CompanyAssortment } from "@/components/catalog/company-assortment";
import { AddressBook } from "@/components/addresses/address-book";
import { listCompanyAddresses } from "@/db/queries/addresses";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Customer" };

export default async function CompanyPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("companies.read");
  const tz = await getViewerTimeZone(actor);
  const { id } = await params;
  const company = await getCompany(db, id);
  if (!company) notFound();
  const query = await searchParams;
  const usersPage = pageParam(query, "usersPage");
  // listUsers scopes to the actor: only staff who manage users see every company's users.
  const canSeeUsers = can(actor.role, "users.manage");
  const users = canSeeUsers ? await listUsers(db, actor, { companyId: company.id, page: usersPage }) : null;
  const addresses = await listCompanyAddresses(db, company.id);
  const editsAddresses = can(actor.role, "company_addresses.manage");
  const path = `/admin/customers/${company.id}`;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/customers" className="font-medium text-brand-700 hover:underline">
          ← All customers
        </Link>
      </p>
      <PageHeader
        title={company.name}
        description={`${company.currency} · ${company.paymentTermsDays} days · credit limit ${formatMoney(company.creditLimitMinor, company.currency)}`}
        actions={
          <>
            <HistoryLink type="company" id={company.id} label={company.name} className="self-center text-sm font-medium text-brand-700 hover:underline" />
            <StatusBadge status={company.active ? "active" : "inactive"} className="text-sm" />
          </>
        }
      />
      {query.created === "1" && <FormMessage result={{ ok: true, message: "Company created." }} className="mb-4" />}
      <div className="space-y-6">
        <Card title="Details">
          {can(actor.role, "companies.manage") ? (
            <CompanyForm
              action={updateCompanyAction}
              companyId={company.id}
              defaults={{
                name: company.name,
                taxId: company.taxId,
                paymentTermsDays: String(company.paymentTermsDays),
                // The service reads the limit back with two decimals, so it is shown with two.
                creditLimit: minorToDecimal(company.creditLimitMinor, minorDigits(company.currency)),
                currency: company.currency,
                timeZone: company.timeZone,
                active: company.active,
                quoteValidityDays: String(company.quoteValidityDays),
                requiresPoNumber: company.requiresPoNumber,
              }}
            />
          ) : (
            <DetailList
              items={[
                { label: "Name", value: company.name },
                { label: "Status", value: <StatusBadge status={company.active ? "active" : "inactive"} /> },
                { label: "Tax ID", value: company.taxId || "—" },
                { label: "Payment terms", value: `${company.paymentTermsDays} days` },
                { label: "Credit limit", value: formatMoney(company.creditLimitMinor, company.currency), testId: "credit-limit" },
                { label: "Currency", value: company.currency },
                { label: "Time zone", value: company.timeZone },
                { label: "Quotation validity", value: `${company.quoteValidityDays} days` },
                { label: "PO number required", value: company.requiresPoNumber ? "Yes" : "No" },
                { label: "Customer since", value: <DateTime value={company.createdAt} timeZone={tz} /> },
                { label: "Accounts-payable email", value: company.accountsPayableEmail ?? "—" },
              ]}
            />
          )}
        </Card>
        <Card title="Addresses">
          <AddressBook
            companyId={company.id}
            companyName={company.name}
            addresses={addresses}
            canEditBilling={editsAddresses}
            canEditShipping={editsAddresses}
            actions={{ create: createCompanyAddressAction, update: updateCompanyAddressAction, remove: deleteCompanyAddressAction }}
          />
        </Card>
        <CompanyAssortment companyId={company.id} canEdit={can(actor.role, "pricing.manage")} action={setCompanyAssortmentAction} />
        {can(actor.role, "companies.manage") && (
          <Card title="Accounts payable">
            <AccountsPayableForm action={setAccountsPayableEmailAction} companyId={company.id} value={company.accountsPayableEmail} />
          </Card>
        )}
        {users && (
          <Card title="Users">
            {users.total === 0 ? (
              <EmptyState
                title="No users yet"
                description="Give this company a customer admin, who can then invite colleagues."
                action={<LinkButton href="/admin/users/new">New user</LinkButton>}
              />
            ) : (
              <>
                <Table caption={`Users of ${company.name}`} stack>
                  <THead>
                    <tr>
                      <TH>Name</TH>
                      <TH>Email</TH>
                      <TH>Role</TH>
                      <TH>Status</TH>
                      <TH>{zonedHeader("Last login", tz)}</TH>
                    </tr>
                  </THead>
                  <TBody>
                    {users.rows.map((u) => (
                      <TR key={u.id}>
                        <TD className="font-medium">
                          <Link href={`/admin/users/${u.id}`} className="text-brand-700 hover:underline">
                            {u.name}
                          </Link>
                        </TD>
                        <TD label="Email" className="whitespace-nowrap">{u.email}</TD>
                        <TD label="Role" className="whitespace-nowrap">{roleLabels[u.role]}</TD>
                        <TD label="Status">
                          <StatusBadge status={u.active ? "active" : "inactive"} />
                        </TD>
                        <TD label="Last login" className="whitespace-nowrap"><DateTime value={u.lastLoginAt} timeZone={tz} zone={false} empty="Never" /></TD>
                      </TR>
                    ))}
                  </TBody>
                </Table>
                <Pagination
                  label="Company users pagination"
                  page={usersPage}
                  total={users.total}
                  pageSize={PAGE_SIZE}
                  href={(p) => hrefWith(path, { usersPage: p })}
                />
              </>
            )}
          </Card>
        )}
      </div>
    </>
  );
}
