import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { FilterForm } from "@/components/lists/filter-form";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { EmptyState, Input, LinkButton, PageHeader, Select, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listUsers, PAGE_SIZE } from "@/db/queries/users";
import { db } from "@/db/client";
import { roleLabels, roles, type Role } from "@/lib/domain/roles";
import type { Actor } from "@/lib/domain/actor";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Users" };

const PATH = "/admin/users";
const statuses = { active: true, inactive: false } as const;

type UserFilters = { q?: string; role?: Role; status?: keyof typeof statuses };

function readFilters(params: SearchParams): UserFilters {
  const role = param(params, "role");
  const status = param(params, "status");
  return {
    q: param(params, "q"),
    role: roles.find((r) => r === role),
    status: status === "active" || status === "inactive" ? status : undefined,
  };
}

const filterHref = (f: UserFilters, page?: number) => hrefWith(PATH, { q: f.q, role: f.role, status: f.status, page });

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("users.manage");
  const params = await searchParams;
  const filters = readFilters(params);
  const page = pageParam(params);
  return (
    <>
      <PageHeader
        title="Users"
        description="Staff and customer accounts, their roles and access."
        actions={<LinkButton href="/admin/users/new">New user</LinkButton>}
      />
      {/* Keyed by the filters: selects take their defaults only on mount. */}
      <FilterForm key={filterHref(filters)} action={PATH} label="Filter users" filtered={Boolean(filters.q || filters.role || filters.status)}>
        <Input label="Search users" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="Name or email" wrapperClassName="sm:w-72" />
        <Select label="Role" name="role" defaultValue={filters.role ?? ""} wrapperClassName="sm:w-48">
          <option value="">All roles</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabels[r]}
            </option>
          ))}
        </Select>
        <Select label="Status" name="status" defaultValue={filters.status ?? ""} wrapperClassName="sm:w-40">
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
        </Select>
      </FilterForm>
      <Suspense key={`${filterHref(filters)}|${page}`} fallback={<TableSkeleton label="users" />}>
        <UsersTable actor={actor} filters={filters} page={page} />
      </Suspense>
    </>
  );
}

async function UsersTable({ actor, filters, page }: { actor: Actor; filters: UserFilters; page: number }) {
  const tz = await getViewerTimeZone(actor);
  const { rows, total } = await listUsers(db, actor, { q: filters.q, role: filters.role, active: filters.status === undefined ? undefined : statuses[filters.status], page });
  if (rows.length === 0) {
    if (total > 0) {
      return (
        <EmptyState
          title="Nothing on this page"
          description={`There are ${total} matching users on earlier pages.`}
          action={<LinkButton href={filterHref(filters)} variant="secondary">Go to the first page</LinkButton>}
        />
      );
    }
    const { q, role, status } = filters;
    const matching = [status, role && roleLabels[role].toLowerCase()].filter(Boolean).join(" ");
    return q || role || status ? (
      <EmptyState
        title="No users found"
        description={q ? `No ${matching ? `${matching} ` : ""}user's name or email contains “${q}”.` : `There are no ${matching} users.`}
      />
    ) : (
      <EmptyState title="No users yet" description="Create the first account for a colleague or a customer." action={<LinkButton href="/admin/users/new">New user</LinkButton>} />
    );
  }
  return (
    <>
      <Table caption="Users" stack>
        <THead>
          <tr>
            <TH>Name</TH>
            <TH>Email</TH>
            <TH>Role</TH>
            <TH>Company</TH>
            <TH>Status</TH>
            <TH>{zonedHeader("Last login", tz)}</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((u) => (
            <TR key={u.id} data-testid={`user-row-${u.email}`}>
              <TD className="font-medium">
                <Link href={`/admin/users/${u.id}`} className="text-brand-700 hover:underline">
                  {u.name}
                </Link>
              </TD>
              <TD label="Email" className="whitespace-nowrap">{u.email}</TD>
              <TD label="Role" className="whitespace-nowrap">{roleLabels[u.role]}</TD>
              <TD label="Company">{u.companyName ?? <span className="text-slate-500">Staff</span>}</TD>
              <TD label="Status">
                <StatusBadge status={u.active ? "active" : "inactive"} />
              </TD>
              <TD label="Last login" className="whitespace-nowrap"><DateTime value={u.lastLoginAt} timeZone={tz} zone={false} empty="Never" /></TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Pagination page={page} total={total} pageSize={PAGE_SIZE} href={(p) => filterHref(filters, p)} />
    </>
  );
}
