import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Orders" };

export default async function Page() {
  await requirePermission("portal.access");
  return (
    <>
      <PageHeader title="Orders" />
      <EmptyState title="No orders yet" description="Orders you place, with their quotations, approvals and shipments, will be listed here." />
    </>
  );
}
