import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/ui";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Catalog" };

export default async function Page() {
  await requirePermission("portal.access");
  return (
    <>
      <PageHeader title="Catalog" />
      <EmptyState title="The catalogue is on its way" description="Products with your company's prices and live availability will appear here." />
    </>
  );
}
