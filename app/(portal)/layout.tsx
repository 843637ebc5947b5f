import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { NotificationsMenu } from "@/components/notifications/notifications-menu";
import { AppShell } from "@/components/shell/app-shell";
import type { NavItem } from "@/components/shell/nav-links";
import { countCartProducts } from "@/db/queries/cart-summary";
import { db } from "@/db/client";
import { can } from "@/lib/domain/permissions";
import { requireActor } from "@/lib/session";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor();
  if (!can(actor.role, "portal.access")) redirect("/admin");
  // Rendered per request, so the count is the cart's as it is now; the cart's actions revalidate,
  // and an action's response re-renders this layout with the page.
  const inCart = can(actor.role, "orders.place") ? await countCartProducts(db, actor) : 0;
  const nav: NavItem[] = [
    { href: "/", label: "Catalogue" },
    {
      href: "/cart",
      label: "Cart",
      shortcut: true,
      badge: inCart > 0 ? { text: inCart > 99 ? "99+" : String(inCart), label: inCart === 1 ? "1 product" : `${inCart} products`, testId: "cart-count" } : undefined,
    },
    { href: "/orders", label: "Orders" },
    ...(can(actor.role, "lists.manage") ? [{ href: "/lists", label: "Lists" }] : []),
    { href: "/invoices", label: "Invoices" },
    { href: "/account", label: "Account" },
    ...(can(actor.role, "webhooks.manage") ? [{ href: "/account/webhooks", label: "Webhooks" }] : []),
  ];
  return (
    <AppShell actor={actor} area="Customer portal" headerExtra={<NotificationsMenu actor={actor} href="/notifications" />} nav={nav}>
      {children}
    </AppShell>
  );
}
