// GET /api/admin/receivables/ageing: accounts-receivable ageing per company as CSV, staff with receivables.read
import { stringify } from "csv-stringify/sync";
import { receivablesAgeing } from "@/db/queries/invoices";
import { db } from "@/db/client";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { ageingBuckets } from "@/lib/domain/receivables";
import { getActor } from "@/lib/session";
import { sellerDateToday } from "@/lib/time-zone";

export async function GET() {
  const actor = await getActor();
  if (!actor) return Response.json({ code: "unauthenticated", error: "Sign in first." }, { status: 401 });
  if (!can(actor.role, "receivables.read")) return Response.json({ code: "not_found", error: "Not found." }, { status: 404 });
  const rows = await receivablesAgeing(db, actor);
  const money = (minor: bigint, currency: string) => minorToDecimal(minor, minorDigits(currency));
  const csv = stringify([
    ["company", "currency", ...ageingBuckets.map((b) => (b === "current" ? "current" : `${b} days`)), "total"],
    ...rows.map((r) => [r.companyName, r.currency, ...ageingBuckets.map((b) => money(r.buckets[b], r.currency)), money(r.totalMinor, r.currency)]),
  ]);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="receivables-ageing-${sellerDateToday()}.csv"`,
      "cache-control": "no-store",
    },
  });
}
