// GET /api/admin/audit/export: the audit events of the viewer's filter as CSV, streamed; staff with audit.read
import { auditEventBatches } from "@/db/queries/audit";
import { db } from "@/db/client";
import { withGet } from "@/lib/api";
import { apiError } from "@/lib/http/json";
import { parseAuditQuery } from "@/lib/domain/audit-filter";
import { logger } from "@/lib/logger";
import { auditCsvStream, resolveAuditFilter } from "@/lib/services/audit-viewer";
import { getViewerTimeZone, sellerToday } from "@/lib/time-zone";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return withGet(request, { permission: "audit.read" }, async ({ actor, url, request: { requestId } }) => {
    // The same parameters as the page (its Export link carries them); the page cursor is ignored: an export is the whole filter.
    const parsed = parseAuditQuery(Object.fromEntries(url.searchParams));
    if (!parsed.ok) return apiError("validation_failed", parsed.problems.map((p) => `${p.label}: ${p.message}`).join(" "), 400);
    const tz = await getViewerTimeZone(actor);
    const { filter } = await resolveAuditFilter(db, parsed.query, tz);
    const body = auditCsvStream(auditEventBatches(db, filter, 1000), tz, (error) => logger.error("audit export failed", { requestId, actorId: actor.id, error }));
    return new Response(body, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="audit-${sellerToday()}.csv"` },
    });
  });
}
