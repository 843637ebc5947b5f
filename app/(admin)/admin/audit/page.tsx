import type { Metadata } from "next";
import { Suspense } from "react";
import { FilterForm } from "@/components/lists/filter-form";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { EmptyState, Input, LinkButton, PageHeader, Select, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listAuditEvents, type AuditFilter } from "@/db/queries/audit";
import { PAGE_SIZE } from "@/db/queries/users";
import { db } from "@/db/client";
import { roleLabels, roles, type Role } from "@/lib/domain/roles";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Audit log" };

const entityTypes = [
  { value: "user", label: "User" },
  { value: "company", label: "Company" },
] as const;

function roleLabel(role: string | null): string | null {
  if (!role) return null;
  return (roles as readonly string[]).includes(role) ? roleLabels[role as Role] : role;
}

function actorLabel(row: { actorType: "user" | "system" | "anonymous"; actorEmail: string | null }): string {
  if (row.actorType === "system") return "system";
  if (row.actorType === "anonymous") return "anonymous";
  return row.actorEmail ?? "unknown user";
}

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("audit.read");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const outcome = param(params, "outcome");
  const entityId = param(params, "entityId", 100);
  const entityType = param(params, "entityType", 50);
  const filter = {
    action: param(params, "action", 100),
    entityType: entityType && /^[a-z_]+$/.test(entityType) ? entityType : undefined,
    entityId,
    outcome: outcome === "success" || outcome === "denied" ? outcome : undefined,
  } satisfies AuditFilter;
  const page = pageParam(params);
  const filtered = Object.values(filter).some(Boolean);
  return (
    <>
      <PageHeader title="Audit log" description="Every change and every refused attempt, newest first. Times are in UTC." actions={can(actor.role, "audit.verify") && <LinkButton href="/admin/audit/verify" variant="secondary">Verify the audit trail</LinkButton>} />
      {/* Keyed by the filter so "Clear filters" (a navigation, not a reset) shows empty fields again. */}
      <FilterForm
        key={JSON.stringify(filter)}
        action="/admin/audit"
        label="Filter audit events"
        filtered={filtered}
        className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-[1fr_12rem_12rem_auto] lg:items-end"
        actionsClassName="flex flex-wrap items-center gap-2"
      >
        <Input label="Action starts with" name="action" defaultValue={filter.action ?? ""} placeholder="e.g. user. or company.update" />
        <Select label="Entity type" name="entityType" defaultValue={filter.entityType ?? ""}>
          <option value="">All types</option>
          {entityTypes.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
          {filter.entityType && !entityTypes.some((t) => t.value === filter.entityType) && (
            <option value={filter.entityType}>{filter.entityType}</option>
          )}
        </Select>
        <Select label="Outcome" name="outcome" defaultValue={filter.outcome ?? ""}>
          <option value="">All outcomes</option>
          <option value="success">Success</option>
          <option value="denied">Denied</option>
        </Select>
        {filter.entityId && <input type="hidden" name="entityId" value={filter.entityId} />}
      </FilterForm>
      {filter.entityId && (
        <p className="mb-4 text-sm text-slate-700">
          Showing events for {filter.entityType ?? "entity"} <code className="font-mono text-xs break-all">{filter.entityId}</code>.
        </p>
      )}
      <Suspense key={JSON.stringify({ ...filter, page })} fallback={<TableSkeleton label="audit events" />}>
        <AuditTable filter={filter} filtered={filtered} page={page} timeZone={tz} />
      </Suspense>
    </>
  );
}

type Filter = Omit<AuditFilter, "page">;

async function AuditTable({ filter, filtered, page, timeZone: tz }: { filter: Filter; filtered: boolean; page: number; timeZone: string }) {
  const { rows, total } = await listAuditEvents(db, { ...filter, page });
  if (rows.length === 0) {
    return total > 0 ? (
      <EmptyState
        title="Nothing on this page"
        description={`There are ${total} matching events on earlier pages.`}
        action={<LinkButton href={hrefWith("/admin/audit", filter)} variant="secondary">Go to the first page</LinkButton>}
      />
    ) : (
      <EmptyState
        title={filtered ? "No matching events" : "No audit events yet"}
        description={filtered ? "No event matches these filters." : "Sign-ins, changes and refused attempts will be recorded here."}
      />
    );
  }
  return (
    <>
      <Table caption="Audit events">
        <THead>
          <tr>
            <TH>{zonedHeader("Time", tz)}</TH>
            <TH>Actor</TH>
            <TH>Action</TH>
            <TH>Entity</TH>
            <TH>Outcome</TH>
            <TH>IP</TH>
            <TH>Changes</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((row) => {
            const role = roleLabel(row.actorRole);
            return (
              <TR key={String(row.id)} data-testid="audit-row">
                <TD className="font-mono text-xs whitespace-nowrap">
                  <DateTime value={row.occurredAt} timeZone={tz} zone={false} seconds />
                </TD>
                <TD>
                  <span className="whitespace-nowrap">{actorLabel(row)}</span>
                  {role && <span className="block text-xs text-slate-600">{role}</span>}
                </TD>
                <TD className="font-mono text-xs whitespace-nowrap">{row.action}</TD>
                <TD className="whitespace-nowrap">
                  {row.entityType}
                  {row.entityId && (
                    <span className="block font-mono text-xs text-slate-600" title={row.entityId}>
                      {row.entityId.length > 8 ? `${row.entityId.slice(0, 8)}…` : row.entityId}
                    </span>
                  )}
                </TD>
                <TD>
                  <StatusBadge status={row.outcome} />
                </TD>
                <TD className="font-mono text-xs whitespace-nowrap">{row.ip ?? "—"}</TD>
                <TD className="min-w-40">
                  {row.diff ? (
                    <details>
                      <summary className="cursor-pointer text-sm font-medium text-brand-700">Changes</summary>
                      <pre className="mt-2 max-h-80 max-w-[min(36rem,75vw)] overflow-auto rounded bg-slate-50 p-2 font-mono text-xs">
                        {JSON.stringify(row.diff, null, 2)}
                      </pre>
                    </details>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      <Pagination page={page} total={total} pageSize={PAGE_SIZE} href={(p) => hrefWith("/admin/audit", { ...filter, page: p })} />
    </>
  );
}
