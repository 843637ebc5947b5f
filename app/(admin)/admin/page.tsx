import type { Metadata } from "next";
import Link from "next/link";
import { formatCount } from "@/components/lists/format";
import { AdminDashboard } from "@/components/dashboard/admin-dashboard";
import { Card, PageHeader } from "@/components/ui";
import { getDashboardCounts } from "@/db/queries/dashboard";
import { approvalQueue } from "@/db/queries/orders";
import { db } from "@/db/client";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone, sellerClock } from "@/lib/time-zone";
import { SalesDashboard } from "@/components/dashboard/sales-dashboard";
import { formatInZone } from "@/lib/domain/dates";
import { FinanceDashboard } from "@/components/dashboard/finance-dashboard";

export const metadata: Metadata = { title: "Dashboard" };

type Stat = { id: string; label: string; value: number; detail?: string; link?: { href: string; label: string } };

export default async function DashboardPage() {
  const actor = await requirePermission("admin.access");
  const tz = await getViewerTimeZone(actor);
  const clock = sellerClock();
  const canApprove = can(actor.role, "orders.approve");
  const [counts, queue] = await Promise.all([getDashboardCounts(db), canApprove ? approvalQueue(db, actor) : null]);
  const stats: Stat[] = [
    ...(queue
      ? [
          {
            id: "awaiting-approval",
            label: "Awaiting my approval",
            value: queue.length,
            detail: queue.length ? `Oldest waiting since ${oldestWaiting(queue, tz)}` : undefined,
            link: { href: "/admin/orders/approvals", label: "Open approval queue" },
          },
        ]
      : []),
    // Sales and finance read the audit log's last day here; the admin section below has users and denied attempts.
    ...(can(actor.role, "audit.read")
      ? [{ id: "audit-events", label: "Audit events (last 24 h)", value: counts.auditEvents24h, link: { href: "/admin/audit", label: "Open audit log" } }]
      : []),
  ];
  return (
    <>
      <PageHeader title="Dashboard" description={`Signed in as ${actor.name}.`} />
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        {stats.map((stat) => (
          <Card key={stat.id} className="flex flex-col">
            <dt className="text-sm font-medium text-slate-600">{stat.label}</dt>
            <dd className="mt-2 text-3xl font-semibold tracking-tight text-slate-900" data-testid={`stat-${stat.id}`}>
              {formatCount(stat.value)}
            </dd>
            {stat.detail && <dd className="mt-1 text-sm text-slate-600">{stat.detail}</dd>}
            {stat.link && (
              <dd className="mt-auto pt-3 text-sm">
                <Link href={stat.link.href} className="font-medium text-brand-700 hover:underline">
                  {stat.link.label}
                </Link>
              </dd>
            )}
          </Card>
        ))}
      </dl>
      {/* One section per role: sales and finance see theirs, administrators every section. */}
      {(actor.role === "sales" || actor.role === "admin") && <SalesDashboard clock={clock} />}
      {(actor.role === "finance" || actor.role === "admin") && (
        <div className="mt-10">
          <FinanceDashboard clock={clock} />
        </div>
      )}
      {can(actor.role, "users.manage") && <AdminDashboard clock={clock} />}
    </>
  );
}

function oldestWaiting(queue: { acceptedAt: Date | null }[], timeZone: string): string {
  const oldest = queue.reduce<Date | null>((min, r) => (r.acceptedAt && (!min || r.acceptedAt < min) ? r.acceptedAt : min), null);
  return oldest ? formatInZone(oldest, timeZone) : "—";
}
