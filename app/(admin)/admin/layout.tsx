import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NotificationsMenu } from "@/components/notifications/notifications-menu";
import { AppShell } from "@/components/shell/app-shell";
import { can } from "@/lib/domain/permissions";
import { requireActor } from "@/lib/session";

const nav = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/orders", label: "Orders" },
  { href: "/admin/products", label: "Products" },
  { href: "/admin/price-lists", label: "Price lists" },
  { href: "/admin/exchange-rates", label: "Exchange rates" },
  { href: "/admin/customers", label: "Customers" },
  { href: "/admin/payments", label: "Payments" },
  { href: "/admin/reports", label: "Reports" },
  { href: "/admin/audit", label: "Audit" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/api-keys", label: "API keys" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/account", label: "Account" },
];

export default async function AdminLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  // Layouts are not a security boundary (every page and action checks again); this keeps customers out of the frame.
  if (!can(actor.role, "admin.access")) redirect("/");
  return (
    <AppShell actor={actor} area="Staff" nav={can(actor.role, "mail.read") ? [...nav, { href: "/admin/mail", label: "Sent mail" }] : nav} headerExtra={<NotificationsMenu actor={actor} href="/admin/notifications" />}>
      {children}
    </AppShell>
  );
}
