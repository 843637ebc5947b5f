import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Orders" };

export default async function Page() {
  await requirePermission("admin.access");
  return (
    <>
      <PageHeader title="Orders" />
      <EmptyState title="No orders yet" description="Customer orders awaiting review, approval and fulfilment will be listed here." />
    </>
  );
}
