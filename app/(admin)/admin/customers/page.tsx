import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { formatCount } from "@/components/lists/format";
import { Pagination } from "@/components/lists/pagination";
import { SearchForm } from "@/components/lists/search-form";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { EmptyState, LinkButton, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listCompanies } from "@/db/queries/companies";
import { PAGE_SIZE } from "@/db/queries/users";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("companies.read");
  const params = await searchParams;
  const q = param(params, "q");
  const page = pageParam(params);
  const newButton = can(actor.role, "companies.manage") ? <LinkButton href="/admin/customers/new">New company</LinkButton> : undefined;
  return (
    <>
      <PageHeader title="Customers" description="Customer companies, their terms and credit limits." actions={newButton} />
      <SearchForm action="/admin/customers" q={q} label="Search companies" placeholder="Company name" />
      <Suspense key={`${q}|${page}`} fallback={<TableSkeleton label="customers" />}>
        <CompaniesTable q={q} page={page} newButton={newButton} />
      </Suspense>
    </>
  );
}

async function CompaniesTable({ q, page, newButton }: { q?: string; page: number; newButton?: ReactNode }) {
  const { rows, total } = await listCompanies(db, { q, page });
  if (rows.length === 0) {
    if (total > 0) {
      return (
        <EmptyState
          title="Nothing on this page"
          description={`There are ${total} matching companies on earlier pages.`}
          action={<LinkButton href={hrefWith("/admin/customers", { q })} variant="secondary">Go to the first page</LinkButton>}
        />
      );
    }
    return q ? (
      <EmptyState title="No companies found" description={`No company name contains “${q}”.`} />
    ) : (
      <EmptyState title="No customers yet" description="Customer companies you sell to will be listed here." action={newButton} />
    );
  }
  return (
    <>
      <Table caption="Customer companies" stack>
        <THead>
          <tr>
            <TH>Name</TH>
            <TH>Currency</TH>
            <TH>Payment terms</TH>
            <TH className="text-right">Credit limit</TH>
            <TH className="text-right">Users</TH>
            <TH>Status</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((c) => (
            <TR key={c.id} data-testid={`company-row-${c.id}`}>
              <TD className="font-medium">
                <Link href={`/admin/customers/${c.id}`} className="text-brand-700 hover:underline">
                  {c.name}
                </Link>
              </TD>
              <TD label="Currency">{c.currency}</TD>
              <TD label="Payment terms" className="whitespace-nowrap">{c.paymentTermsDays === 1 ? "1 day" : `${c.paymentTermsDays} days`}</TD>
              <TD label="Credit limit" className="text-right whitespace-nowrap tabular-nums">{formatMoney(c.creditLimitMinor, c.currency)}</TD>
              <TD label="Users" className="text-right tabular-nums">{formatCount(c.userCount)}</TD>
              <TD label="Status">
                <StatusBadge status={c.active ? "active" : "inactive"} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Pagination page={page} total={total} pageSize={PAGE_SIZE} href={(p) => hrefWith("/admin/customers", { q, page: p })} />
    </>
  );
}
