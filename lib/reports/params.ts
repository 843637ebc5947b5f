// The query parameters of a report page and its CSV export (from, to, company, currency), read
// once here so the page and the route agree. Pure: the caller checks that the company exists.
import { z } from "zod";
import { isUuid } from "@/lib/domain/ids";
import { lastMonths, parsePeriod, type Period } from "@/lib/domain/periods";

export type ReportQuery = { period: Period; companyId: string | null; currency: string | null };
export type ReportParamProblem = { field: "from" | "to" | "company" | "currency"; message: string };

/** The default range: the last twelve months, from the first day of the eleventh month back to today. */
export function defaultReportPeriod(today: string): Period {
  return { from: `${lastMonths(today, 12)[0]}-01`, to: today };
}

const text = z.string().trim().max(64).optional();
const rawSchema = z.object({ from: text, to: text, company: text, currency: text });

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads the parameters; each refused value is named in `problems` (for the field) and replaced by
 * its default meanwhile (the default range, every company, the most used currency), so a page can
 * show the report and say what it ignored.
 */
export function parseReportQuery(params: Record<string, string | string[] | undefined>, today: string): { query: ReportQuery; problems: ReportParamProblem[] } {
  const problems: ReportParamProblem[] = [];
  const parsed = rawSchema.safeParse({ from: first(params.from), to: first(params.to), company: first(params.company), currency: first(params.currency) });
  const raw = parsed.success ? parsed.data : {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === "from" || field === "to" || field === "company" || field === "currency") problems.push({ field, message: "This value is too long." });
    }
  }
  const { period, problems: periodProblems } = parsePeriod({ from: raw.from, to: raw.to }, defaultReportPeriod(today));
  problems.push(...periodProblems);
  let companyId: string | null = null;
  if (raw.company) {
    if (isUuid(raw.company)) companyId = raw.company.toLowerCase();
    else problems.push({ field: "company", message: "Choose a company from the list." });
  }
  let currency: string | null = null;
  if (raw.currency) {
    const code = raw.currency.toUpperCase();
    if (/^[A-Z]{3}$/.test(code)) currency = code;
    else problems.push({ field: "currency", message: "Choose a currency from the list (a three-letter code such as EUR)." });
  }
  return { query: { period, companyId, currency }, problems };
}

/** The query as URL parameters (for the CSV link and the form's defaults). */
export function reportQueryParams(query: ReportQuery): Record<string, string | undefined> {
  return { from: query.period.from, to: query.period.to, company: query.companyId ?? undefined, currency: query.currency ?? undefined };
}
