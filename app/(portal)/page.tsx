import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { CatalogView } from "@/components/catalog/catalog-view";
import { catalogHref, parseCatalogParams, type CatalogQuery, type CatalogSearchParams } from "@/components/catalog/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { PageHeader } from "@/components/ui";
import { listCategories, searchCatalog } from "@/db/queries/catalog";
import { dateIn } from "@/lib/domain/dates";
import { getCompany } from "@/db/queries/companies";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Catalogue" };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<CatalogSearchParams> }) {
  const actor = await requirePermission("catalog.browse");
  // The company comes from the session only, never from the URL.
  const company = actor.companyId ? await getCompany(db, actor.companyId) : null;
  if (!company) notFound();
  const params = parseCatalogParams(await searchParams);
  return (
    <>
      <PageHeader title="Catalogue" description="Your prices and live availability." />
      {/* In-page Suspense rather than loading.tsx: the checks above run before the response starts, so they keep their status codes. */}
      <Suspense key={catalogHref("/", params)} fallback={<TableSkeleton label="products" />}>
        <CustomerCatalog companyId={company.id} date={dateIn(company.timeZone, new Date())} params={params} />
      </Suspense>
    </>
  );
}

async function CustomerCatalog({ companyId, date, params }: { companyId: string; date: string; params: CatalogQuery }) {
  const [result, categories] = await Promise.all([searchCatalog(db, companyId, { ...params, date }), listCategories(db)]);
  return (
    <CatalogView
      result={result}
      categories={categories}
      params={params}
      basePath="/"
      productHref={(sku) => `/products/${encodeURIComponent(sku)}`}
    />
  );
}
