import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProductView } from "@/components/catalog/catalog-view";
import { getPricedProduct, todayIn } from "@/db/queries/catalog";
import { getCompany } from "@/db/queries/companies";
import { db } from "@/lib/db";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Product" };

export default async function ProductPage({ params }: { params: Promise<{ sku: string }> }) {
  const actor = await requirePermission("catalog.browse");
  const company = actor.companyId ? await getCompany(db, actor.companyId) : null;
  if (!company) notFound();
  const { sku } = await params;
  const product = await getPricedProduct(db, company.id, sku, todayIn(company.timeZone));
  if (!product) notFound();
  return <ProductView product={product} backHref="/" backLabel="Back to catalog" />;
}
