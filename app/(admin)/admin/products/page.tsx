import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Products" };

export default async function Page() {
  await requirePermission("admin.access");
  return (
    <>
      <PageHeader title="Products" />
      <EmptyState title="No products yet" description="Products, stock levels and price lists will be managed here." />
    </>
  );
}
