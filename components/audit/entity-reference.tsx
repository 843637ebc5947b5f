import Link from "next/link";
import type { AuditReference } from "@/db/queries/audit";
import { entityHref, entityTypeLabel } from "@/lib/domain/audit-filter";

/**
 * An audit row's entity as people know it: its type and business reference (ORD-…, INV-…, a SKU,
 * an email), linked to its page. An entity that no longer resolves shows its short id, in full on hover.
 */
export function EntityReference({ type, id, entity }: { type: string; id: string | null; entity: AuditReference | null }) {
  const href = entity ? entityHref(type, entity.linkId) : null;
  return (
    <>
      <span className="block text-xs text-slate-600">{entityTypeLabel(type)}</span>
      {entity ? (
        href ? (
          <Link href={href} className="font-medium text-brand-700 hover:underline" data-testid="audit-entity">
            {entity.reference}
          </Link>
        ) : (
          <span className="font-medium" data-testid="audit-entity">{entity.reference}</span>
        )
      ) : (
        id && (
          <span className="font-mono text-xs text-slate-600" title={id} data-testid="audit-entity">
            {id.length > 8 ? `${id.slice(0, 8)}…` : id}
          </span>
        )
      )}
    </>
  );
}
