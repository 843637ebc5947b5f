// GET /api/admin/receivables/ageing: accounts-receivable ageing per company as CSV, staff with receivables.read
import { stringify } from "csv-stringify/sync";
import { receivablesAgeing } from "@/db/queries/invoices";
import { db } from "@/db/client";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { ageingBuckets } from "@/lib/domain/receivables";
import { withGet } from "@/lib/api";
import { sellerToday } from "@/lib/time-zone";

export async function GET(request: Request) {
  return withGet(request, { permission: "receivables.read" }, async ({ actor }) => ageingCsv(await receivablesAgeing(db, actor)));
}

function ageingCsv(rows: Awaited<ReturnType<typeof receivablesAgeing>>): Response {
  const money = (minor: bigint, currency: string) => minorToDecimal(minor, minorDigits(currency));
  const csv = stringify([
    ["company", "currency", ...ageingBuckets.map((b) => (b === "current" ? "current" : `${b} days`)), "total"],
    ...rows.map((r) => [r.companyName, r.currency, ...ageingBuckets.map((b) => money(r.buckets[b], r.currency)), money(r.totalMinor, r.currency)]),
  ]);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="receivables-ageing-${sellerToday()}.csv"`,
    },
  });
}
