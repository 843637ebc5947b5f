// GET /api/admin/reports/[name]/csv: one report's table as CSV (same rows and columns as the page), staff with reports.read
import { db } from "@/db/client";
import { isReportName, runReport } from "@/db/queries/analytics/reports";
import { companyBrief } from "@/db/queries/companies";
import { withGet } from "@/lib/api";
import { csvStream } from "@/lib/http/csv-stream";
import { apiError } from "@/lib/http/json";
import { logger } from "@/lib/logger";
import { parseReportQuery } from "@/lib/reports/params";
import { csvHeader, csvRecords, reportMeta, reportView } from "@/lib/reports/views";
import { sellerClock } from "@/lib/time-zone";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return withGet(request, { permission: "reports.read" }, async ({ actor, url, request: { requestId } }) => {
    const { name } = await params;
    if (!isReportName(name)) return null;
    const clock = sellerClock();
    // The page's parameters (its Export link carries them). Unlike the page, an export does not fall back: a refused value is a 400.
    const { query, problems } = parseReportQuery(Object.fromEntries(url.searchParams), clock.today);
    if (problems.length) return apiError("validation_failed", problems.map((p) => `${p.field}: ${p.message}`).join(" "), 400);
    if (query.companyId && !(await companyBrief(db, query.companyId))) return apiError("validation_failed", "company: No such company.", 400);
    const result = await runReport(db, name, query, clock, env().DEFAULT_CURRENCY);
    if (query.currency && reportMeta[name].amounts && result.currency !== query.currency) {
      return apiError("validation_failed", `currency: Nothing in ${query.currency} for these dates and company.`, 400);
    }
    const view = reportView(result);
    const amounts = reportMeta[name].amounts;
    // The report is already in memory (one statement); the stream keeps the export path the same as the others'.
    async function* batches() {
      yield csvRecords(view, result.currency, amounts);
    }
    const body = csvStream(csvHeader(view, amounts), batches(), (records) => records, (error) => logger.error("report export failed", { requestId, actorId: actor.id, report: name, error }));
    const suffix = `${query.period.from}-to-${query.period.to}${amounts && result.currency ? `-${result.currency}` : ""}`;
    return new Response(body, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}-${suffix}.csv"` } });
  });
}
