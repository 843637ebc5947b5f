import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProductView } from "@/components/catalog/catalog-view";
import { getPricedProduct } from "@/db/queries/catalog";
import { dateIn } from "@/lib/domain/dates";
import { getCompany } from "@/db/queries/companies";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Catalogue preview" };

type SearchParams = Record<string, string | string[] | undefined>;

export default async function PreviewProductPage({ params, searchParams }: { params: Promise<{ sku: string }>; searchParams: Promise<SearchParams> }) {
  await requirePermission("catalog.preview");
  const [{ sku }, sp] = await Promise.all([params, searchParams]);
  const companyParam = (Array.isArray(sp.company) ? sp.company[0] : sp.company)?.trim();
  const company = companyParam ? await getCompany(db, companyParam) : null;
  const date = dateIn(company?.timeZone ?? "UTC", new Date());
  // Same rule as the customer's page: archived products are not in the catalogue.
  const product = await getPricedProduct(db, company?.id ?? null, sku, date);
  if (!product) notFound();
  const backHref = company ? `/admin/catalog-preview?company=${encodeURIComponent(company.id)}` : "/admin/catalog-preview";
  return (
    <ProductView
      product={product}
      backHref={backHref}
      backLabel="Back to catalogue preview"
      note={
        <p className="mb-4 text-sm text-slate-600" data-testid="preview-note">
          {company ? (
            <>
              Showing prices for <span className="font-medium text-slate-800">{company.name}</span> on {date} ({company.timeZone}).
            </>
          ) : (
            "Showing list prices. Choose a company to see its prices."
          )}
        </p>
      }
    />
  );
}
