import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/ui";
import { reportNames } from "@/db/queries/analytics/reports";
import { reportMeta } from "@/lib/reports/views";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Reports" };

export default async function ReportsPage() {
  await requirePermission("reports.read");
  return (
    <>
      <PageHeader title="Reports" description="Each report has a date range, a company filter and one currency at a time, a chart, the same figures as a table, and a CSV export." />
      <ul className="grid gap-3 sm:grid-cols-2">
        {reportNames.map((name) => (
          <li key={name} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 className="text-base font-semibold">
              <Link href={`/admin/reports/${name}`} className="text-brand-700 hover:underline">
                {reportMeta[name].title}
              </Link>
            </h2>
            <p className="mt-1 text-sm text-slate-600">{reportMeta[name].summary}</p>
          </li>
        ))}
      </ul>
    </>
  );
}
