import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Invoices" };

export default async function Page() {
  await requirePermission("portal.access");
  return (
    <>
      <PageHeader title="Invoices" />
      <EmptyState title="No invoices yet" description="Invoices for your company's orders and their payments will be listed here." />
    </>
  );
}
