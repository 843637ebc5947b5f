import Link from "next/link";
import { formatCount } from "@/components/lists/format";
import { Card } from "@/components/ui";
import { db } from "@/db/client";
import { adminDashboardData, type AdminDashboardData } from "@/db/queries/analytics/stock";
import type { AnalyticsClock } from "@/db/queries/analytics/ledger";
import { roleLabels } from "@/lib/domain/roles";

const linkClass = "font-medium text-brand-700 hover:underline";

/** The admin section of the staff dashboard: low stock, users, denied attempts. The page shows it to admins only. */
export async function AdminDashboard({ clock }: { clock: AnalyticsClock }) {
  const data = await adminDashboardData(db, clock);
  return (
    <section aria-labelledby="admin-dashboard-heading" className="mt-8">
      <h2 id="admin-dashboard-heading" className="mb-4 text-lg font-semibold text-slate-900">
        Administration
      </h2>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-3">
        <LowStockCard lowStock={data.lowStock} />
        <UsersCard users={data.users} companies={data.companies} />
        <DeniedCard denied={data.deniedAttempts24h} />
      </div>
    </section>
  );
}

function Figure({ id, label, value }: { id: string; label: string; value: number }) {
  return (
    <>
      <h3 className="text-sm font-medium text-slate-600">{label}</h3>
      <p className="mt-2 text-3xl font-semibold tracking-tight text-slate-900" data-testid={`stat-${id}`}>
        {formatCount(value)}
      </p>
    </>
  );
}

function LowStockCard({ lowStock }: { lowStock: AdminDashboardData["lowStock"] }) {
  return (
    <Card className="flex flex-col">
      <Figure id="low-stock" label="Products below reorder point" value={lowStock.total} />
      {lowStock.total === 0 ? (
        <p className="mt-1 text-sm text-slate-600">
          No active product is below its reorder point. A product with a reorder point is listed here when its available stock (on hand
          minus reserved) falls below it.
        </p>
      ) : (
        <ul className="mt-3 space-y-2 text-sm" aria-label="Lowest available stock first">
          {lowStock.items.map((item) => (
            <li key={item.id} data-testid={`low-stock-${item.sku}`}>
              <Link href={`/admin/products/${item.id}`} className={`${linkClass} break-words`}>
                {item.name}
              </Link>
              <span className="block text-xs text-slate-600 tabular-nums">
                {item.sku} · {formatCount(item.available)} available, reorder point {formatCount(item.reorderPoint)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="mt-auto pt-3 text-sm">
        <Link href="/admin/products?lowStock=1" className={linkClass}>
          View low-stock products
        </Link>
      </p>
    </Card>
  );
}

function UsersCard({ users, companies }: { users: AdminDashboardData["users"]; companies: AdminDashboardData["companies"] }) {
  const listed = users.byRole.filter((r) => r.count > 0);
  return (
    <Card className="flex flex-col">
      <Figure id="active-users-admin" label="Active users" value={users.total} />
      {listed.length > 0 && (
        <dl className="mt-3 grid grid-cols-[minmax(0,1fr)_auto] gap-x-4 gap-y-1 text-sm" aria-label="Active users by role">
          {listed.map((r) => (
            <div key={r.role} className="contents">
              <dt className="text-slate-600">{roleLabels[r.role]}</dt>
              <dd className="text-right text-slate-900 tabular-nums" data-testid={`users-${r.role}`}>
                <Link href={`/admin/users?role=${r.role}&status=active`} className={linkClass} aria-label={`${formatCount(r.count)} active ${roleLabels[r.role]} users`}>
                  {formatCount(r.count)}
                </Link>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <p className="mt-2 text-sm text-slate-600">
        {formatCount(companies.active)} of {formatCount(companies.total)} customer companies active.
      </p>
      <p className="mt-auto flex flex-wrap gap-x-4 pt-3 text-sm">
        <Link href="/admin/users" className={linkClass}>
          Manage users
        </Link>
        <Link href="/admin/customers" className={linkClass}>
          View customers
        </Link>
      </p>
    </Card>
  );
}

function DeniedCard({ denied }: { denied: number }) {
  return (
    <Card className="flex flex-col">
      <Figure id="denied-attempts-admin" label="Denied attempts (last 24 h)" value={denied} />
      <p className="mt-1 text-sm text-slate-600">
        {denied === 0
          ? "No request was refused in the last 24 hours. Refused sign-ins and actions outside a user's rights are counted here."
          : "Requests refused for lack of rights or failed sign-ins, from the audit log."}
      </p>
      <p className="mt-auto pt-3 text-sm">
        <Link href="/admin/audit?outcome=denied" className={linkClass}>
          Review denied attempts
        </Link>
      </p>
    </Card>
  );
}
