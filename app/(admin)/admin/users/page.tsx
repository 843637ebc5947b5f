import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { SearchForm } from "@/components/lists/search-form";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { EmptyState, LinkButton, PageHeader, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listUsers, PAGE_SIZE } from "@/db/queries/users";
import { db } from "@/db/client";
import { roleLabels } from "@/lib/domain/roles";
import type { Actor } from "@/lib/domain/actor";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("users.manage");
  const params = await searchParams;
  const q = param(params, "q");
  const page = pageParam(params);
  return (
    <>
      <PageHeader
        title="Users"
        description="Staff and customer accounts, their roles and access."
        actions={<LinkButton href="/admin/users/new">New user</LinkButton>}
      />
      <SearchForm action="/admin/users" q={q} label="Search users" placeholder="Name or email" />
      <Suspense key={`${q}|${page}`} fallback={<TableSkeleton label="users" />}>
        <UsersTable actor={actor} q={q} page={page} />
      </Suspense>
    </>
  );
}

async function UsersTable({ actor, q, page }: { actor: Actor; q?: string; page: number }) {
  const tz = await getViewerTimeZone(actor);
  const { rows, total } = await listUsers(db, actor, { q, page });
  if (rows.length === 0) {
    if (total > 0) {
      return (
        <EmptyState
          title="Nothing on this page"
          description={`There are ${total} matching users on earlier pages.`}
          action={<LinkButton href={hrefWith("/admin/users", { q })} variant="secondary">Go to the first page</LinkButton>}
        />
      );
    }
    return q ? (
      <EmptyState title="No users found" description={`No user's name or email contains “${q}”.`} />
    ) : (
      <EmptyState title="No users yet" description="Create the first account for a colleague or a customer." action={<LinkButton href="/admin/users/new">New user</LinkButton>} />
    );
  }
  return (
    <>
      <Table caption="Users">
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
              <TD className="whitespace-nowrap">{u.email}</TD>
              <TD className="whitespace-nowrap">{roleLabels[u.role]}</TD>
              <TD>{u.companyName ?? <span className="text-slate-500">Staff</span>}</TD>
              <TD>
                <StatusBadge status={u.active ? "active" : "inactive"} />
              </TD>
              <TD className="whitespace-nowrap"><DateTime value={u.lastLoginAt} timeZone={tz} zone={false} empty="Never" /></TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Pagination page={page} total={total} pageSize={PAGE_SIZE} href={(p) => hrefWith("/admin/users", { q, page: p })} />
    </>
  );
}
