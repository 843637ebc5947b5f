import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { EntityReference } from "@/components/audit/entity-reference";
import { FilterForm } from "@/components/lists/filter-form";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { hrefWith, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { buttonClasses, EmptyState, FormMessage, Input, LinkButton, PageHeader, Select, StatusBadge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listAuditEvents, listStaffEmails, type AuditListFilter, type AuditReference } from "@/db/queries/audit";
import { db } from "@/db/client";
import { AUDIT_PAGE_SIZE, auditEntityTypes, entityHref, entityTypeLabel, filterParams, parseAuditQuery, type AuditQuery } from "@/lib/domain/audit-filter";
import { roleLabels, roles, type Role } from "@/lib/domain/roles";
import { can } from "@/lib/domain/permissions";
import { resolveAuditFilter, type ResolvedAuditFilter } from "@/lib/services/audit-viewer";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Audit log" };

const PATH = "/admin/audit";

function roleLabel(role: string | null): string | null {
  if (!role) return null;
  return (roles as readonly string[]).includes(role) ? roleLabels[role as Role] : role;
}

function actorLabel(row: { actorType: "user" | "system" | "anonymous"; actorEmail: string | null }): string {
  if (row.actorType === "system") return "system";
  if (row.actorType === "anonymous") return "anonymous";
  return row.actorEmail ?? "unknown user";
}

const linkClass = "font-medium text-brand-700 hover:underline";

export default async function AuditPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("audit.read");
  const tz = await getViewerTimeZone(actor);
  const params = await searchParams;
  const parsed = parseAuditQuery(params);
  // The form shows what was asked, also when a value was refused, so it can be corrected.
  const raw = (name: string) => param(params, name, 254) ?? "";
  const q: AuditQuery = parsed.ok ? parsed.query : {};
  const filters = parsed.ok ? filterParams(q) : {};
  const filtered = Object.values(filters).some(Boolean) || ["actor", "from", "to", "action", "outcome", "entityType", "entityId"].some((n) => raw(n) !== "");
  const [resolved, staffEmails] = await Promise.all([parsed.ok ? resolveAuditFilter(db, q, tz) : null, listStaffEmails(db)]);
  const exportHref = hrefWith("/api/admin/audit/export", filters);
  const entityType = raw("entityType");

  return (
    <>
      <PageHeader
        title="Audit log"
        description={`Every change and every refused attempt, newest first. Times and dates are in ${tz}.`}
        actions={
          <>
            {parsed.ok && (
              // A plain link: the export is a file download from a route handler, not a page.
              <a href={exportHref} download className={buttonClasses("secondary")}>
                Export CSV
              </a>
            )}
            {can(actor.role, "audit.verify") && (
              <LinkButton href="/admin/audit/verify" variant="secondary">
                Verify the audit trail
              </LinkButton>
            )}
          </>
        }
      />
      {/* Keyed by the query so "Clear filters" (a navigation, not a reset) shows empty fields again. */}
      <FilterForm
        key={JSON.stringify(params)}
        action={PATH}
        label="Filter audit events"
        filtered={filtered}
        className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-4 lg:items-end"
        actionsClassName="flex flex-wrap items-center gap-2"
      >
        <Input label="Actor" name="actor" defaultValue={raw("actor")} list="audit-actor-emails" placeholder="email, system or anonymous" autoComplete="off" />
        <datalist id="audit-actor-emails">
          {staffEmails.map((email) => (
            <option key={email} value={email} />
          ))}
          <option value="system" />
          <option value="anonymous" />
        </datalist>
        <Input label="From" name="from" type="date" defaultValue={raw("from")} />
        <Input label="To" name="to" type="date" defaultValue={raw("to")} />
        <Input label="Action starts with" name="action" defaultValue={raw("action")} placeholder="e.g. order. or user.create" />
        <Select label="Entity type" name="entityType" defaultValue={auditEntityTypes.some((t) => t.value === entityType) ? entityType : ""}>
          <option value="">All types</option>
          {auditEntityTypes.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </Select>
        <Select label="Outcome" name="outcome" defaultValue={q.outcome ?? ""}>
          <option value="">All outcomes</option>
          <option value="success">Success</option>
          <option value="denied">Denied</option>
        </Select>
        {q.entityId && <input type="hidden" name="entityId" value={q.entityId} />}
      </FilterForm>
      {!parsed.ok ? (
        <div data-testid="audit-filter-problems">
          <FormMessage
            result={{
              ok: false,
              error: `These filters cannot be used: ${parsed.problems.map((p) => `${p.label}: ${p.message}`).join(" ")}`,
            }}
            className="mb-4"
          />
        </div>
      ) : (
        <>
          <FilterNotes resolved={resolved!} query={q} />
          <Suspense key={JSON.stringify(q, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))} fallback={<TableSkeleton label="audit events" />}>
            <AuditTable filter={resolved!.filter} query={q} timeZone={tz} />
          </Suspense>
        </>
      )}
    </>
  );
}

/** The entity whose history this is, linked to its page like the table's entity column. */
function HistoryReference({ type, reference }: { type: string; reference: AuditReference }) {
  const href = entityHref(type, reference.linkId);
  return href ? (
    <Link href={href} className={linkClass}>
      {reference.reference}
    </Link>
  ) : (
    <strong>{reference.reference}</strong>
  );
}

/** What the filters resolved to: whose history this is, which users an actor search matched. */
function FilterNotes({ resolved, query }: { resolved: ResolvedAuditFilter; query: AuditQuery }) {
  const { history, actors } = resolved;
  return (
    <>
      {history && (
        <p className="mb-4 text-sm text-slate-700" data-testid="audit-history-of">
          History of {entityTypeLabel(history.type).toLowerCase()}{" "}
          {history.reference ? <HistoryReference type={history.type} reference={history.reference} /> : <code className="font-mono text-xs break-all">{history.id}</code>}
          {history.type === "order" && ", with its quotations, invoice and credit notes"}
          {history.type === "invoice" && ", with its credit notes"}.{" "}
          <Link href={hrefWith(PATH, { ...filterParams(query), entityType: undefined, entityId: undefined })} className={linkClass}>
            Show all entities
          </Link>
        </p>
      )}
      {actors && actors.length === 0 && (
        <p className="mb-4 text-sm text-slate-700" data-testid="audit-actor-note">
          No user&apos;s email matches “{query.actor}”.
        </p>
      )}
      {actors && actors.length > 1 && (
        <p className="mb-4 text-sm text-slate-700" data-testid="audit-actor-note">
          Events by the {actors.length === 20 ? "first 20" : actors.length} users whose email contains “{query.actor}”: {actors.map((a) => a.email).join(", ")}.
        </p>
      )}
    </>
  );
}

async function AuditTable({ filter, query, timeZone: tz }: { filter: AuditListFilter; query: AuditQuery; timeZone: string }) {
  const { rows, hasOlder, hasNewer } = await listAuditEvents(db, filter, { before: query.before, after: query.after }, AUDIT_PAGE_SIZE);
  const base = filterParams(query);
  const filtered = Object.values(base).some(Boolean);
  const paged = query.before !== undefined || query.after !== undefined;
  if (rows.length === 0) {
    return paged ? (
      <EmptyState
        title="Nothing on this page"
        description="No more events in this direction."
        action={<LinkButton href={hrefWith(PATH, base)} variant="secondary">Go to the newest events</LinkButton>}
      />
    ) : (
      <EmptyState
        title={filtered ? "No matching events" : "No audit events yet"}
        description={filtered ? "No event matches these filters." : "Sign-ins, changes and refused attempts will be recorded here."}
      />
    );
  }
  const enabled = buttonClasses("secondary", "sm");
  const disabled = `${enabled} pointer-events-none opacity-50`;
  const nav = (label: string, href: string | null, rel?: string) =>
    href ? (
      <Link href={href} rel={rel} className={enabled}>
        {label}
      </Link>
    ) : (
      <span aria-disabled="true" className={disabled}>
        {label}
      </span>
    );
  return (
    <>
      <Table caption="Audit events" stack>
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
            const label = actorLabel(row);
            return (
              <TR key={String(row.id)} data-testid="audit-row" data-event-id={String(row.id)}>
                <TD className="font-mono text-xs whitespace-nowrap">
                  <DateTime value={row.occurredAt} timeZone={tz} zone={false} seconds />
                </TD>
                <TD label="Actor">
                  {row.actorType === "user" && !row.actorEmail ? (
                    <span className="whitespace-nowrap">{label}</span>
                  ) : (
                    <Link href={hrefWith(PATH, { ...base, actor: row.actorEmail ?? row.actorType })} className="whitespace-nowrap text-slate-900 hover:underline" title="Only this actor's events">
                      {label}
                    </Link>
                  )}
                  {role && <span className="block text-xs text-slate-600">{role}</span>}
                </TD>
                <TD label="Action" className="font-mono text-xs whitespace-nowrap">{row.action}</TD>
                <TD label="Entity" className="whitespace-nowrap">
                  <EntityReference type={row.entityType} id={row.entityId} entity={row.entity} />
                </TD>
                <TD label="Outcome">
                  <StatusBadge status={row.outcome} />
                </TD>
                <TD label="IP" className="font-mono text-xs whitespace-nowrap">{row.ip ?? "—"}</TD>
                <TD label="Changes" className="min-w-40">
                  {row.diff ? (
                    <details>
                      <summary className="cursor-pointer text-sm font-medium text-brand-700">Changes</summary>
                      <pre className="mt-2 max-h-80 max-w-[min(36rem,75vw)] overflow-y-auto overflow-x-auto max-md:overflow-x-hidden rounded bg-slate-50 p-2 font-mono text-xs">
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
      {/* Keyset pages: no total is counted (a COUNT over millions of rows per page); the links say whether more exist. */}
      <nav aria-label="Pagination" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-700">
        <p data-testid="pagination-status">
          {hasNewer ? "Newer events exist" : "Newest events"} · {rows.length} shown{hasOlder ? " · more older events" : " · no older events"}
        </p>
        <div className="flex gap-2">
          {nav("Newest", hasNewer ? hrefWith(PATH, base) : null)}
          {nav("Newer", hasNewer ? hrefWith(PATH, { ...base, after: String(rows[0]!.id) }) : null, "prev")}
          {nav("Older", hasOlder ? hrefWith(PATH, { ...base, before: String(rows.at(-1)!.id) }) : null, "next")}
        </div>
      </nav>
    </>
  );
}
