import Link from "next/link";
import { hrefWith } from "@/components/lists/search-params";
import type { AuditEntityType } from "@/lib/domain/audit-filter";
import { can } from "@/lib/domain/permissions";
import { getActor } from "@/lib/session";

/** The audit viewer filtered to one entity (an order's view includes its quotations', invoice's and credit notes' events). */
export function historyHref(type: AuditEntityType, id: string): string {
  return hrefWith("/admin/audit", { entityType: type, entityId: id });
}

/**
 * "History": a link to the entity's audit trail, shown only to staff who may read the audit log
 * (audit.read). `label` is the entity's reference, naming the link for screen readers and tests
 * ("History of ORD-…") where a page has several.
 */
export async function HistoryLink({ type, id, label, className }: { type: AuditEntityType; id: string; label: string; className?: string }) {
  const actor = await getActor();
  if (!actor || !can(actor.role, "audit.read")) return null;
  return (
    <Link href={historyHref(type, id)} aria-label={`History of ${label}`} className={className ?? "text-sm font-medium text-brand-700 hover:underline"}>
      History
    </Link>
  );
}
