import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Payments" };

export default async function Page() {
  await requirePermission("admin.access");
  return (
    <>
      <PageHeader title="Payments" />
      <EmptyState title="No payments yet" description="Remittances to verify and bank statements to reconcile will appear here." />
    </>
  );
}
