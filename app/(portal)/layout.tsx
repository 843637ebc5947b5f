import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NotificationsMenu } from "@/components/notifications/notifications-menu";
import { AppShell } from "@/components/shell/app-shell";
import { can } from "@/lib/domain/permissions";
import { requireActor } from "@/lib/session";

const nav = [
  { href: "/", label: "Catalogue" },
  { href: "/cart", label: "Cart" },
  { href: "/orders", label: "Orders" },
  { href: "/invoices", label: "Invoices" },
  { href: "/account", label: "Account" },
];

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  if (!can(actor.role, "portal.access")) redirect("/admin");
  return (
    <AppShell actor={actor} area="Customer portal" headerExtra={<NotificationsMenu actor={actor} href="/notifications" />} nav={can(actor.role, "webhooks.manage") ? [...nav, { href: "/account/webhooks", label: "Webhooks" }] : nav}>
      {children}
    </AppShell>
  );
}
