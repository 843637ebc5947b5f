import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { CatalogView } from "@/components/catalog/catalog-view";
import { CustomerDashboard } from "@/components/dashboard/customer-dashboard";
import { catalogHref, parseCatalogParams, type CatalogQuery, type CatalogSearchParams } from "@/components/catalog/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { PageHeader } from "@/components/ui";
import { listCategories, searchCatalog } from "@/db/queries/catalog";
import { dateIn } from "@/lib/domain/dates";
import { getCompany } from "@/db/queries/companies";
import { db } from "@/db/client";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";
import { CatalogRowActions } from "@/components/lists-saved/catalog-row-actions";
import { requisitionListOptions } from "@/db/queries/lists";
import { randomUUID } from "node:crypto";
import { addToListAction } from "./lists/actions";
import { addToCartAction } from "./products/[sku]/actions";
import { getViewerTimeZone, sellerClock } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Catalogue" };

export default async function CatalogPage({ searchParams }: { searchParams: Promise<CatalogSearchParams> }) {
  const actor = await requirePermission("catalog.browse");
  // The company comes from the session only, never from the URL.
  const company = actor.companyId ? await getCompany(db, actor.companyId) : null;
  if (!company) notFound();
  const params = parseCatalogParams(await searchParams);
  // Not streamed behind a Suspense boundary: streamed rows arrive hidden and need a script to be
  // shown, and the catalogue's rows (quantity, "Add to cart") must work without JavaScript too.
  const catalogue = <CustomerCatalog companyId={company.id} date={dateIn(company.timeZone, new Date())} params={params} />;
  // A customer admin's home is the company dashboard with the catalogue below it; once they search
  // or page through the catalogue they get the catalogue alone, as buyers always do.
  // The company-wide figures (every buyer's spend) are for whoever manages the company: the customer admin.
  if (can(actor.role, "users.manage_own_company") && catalogHref("/", params) === "/") {
    const timeZone = await getViewerTimeZone(actor);
    return (
      <>
        <PageHeader title={company.name} description="What waits for your approval, what is due, and what your company has spent." />
        <Suspense fallback={<TableSkeleton label="dashboard" rows={4} />}>
          <CustomerDashboard companyId={company.id} clock={sellerClock()} timeZone={timeZone} />
        </Suspense>
        <section aria-labelledby="catalogue-heading" className="mt-10">
          <h2 id="catalogue-heading" className="mb-4 text-lg font-semibold text-slate-900">
            Catalogue
          </h2>
          {catalogue}
        </section>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Catalogue" description="Your prices and live availability." />
      {catalogue}
    </>
  );
}

async function CustomerCatalog({ companyId, date, params }: { companyId: string; date: string; params: CatalogQuery }) {
  const [result, categories, lists] = await Promise.all([searchCatalog(db, companyId, { ...params, date }), listCategories(db, companyId), requisitionListOptions(db, companyId)]);
  return (
    <CatalogView
      result={result}
      categories={categories}
      params={params}
      basePath="/"
      productHref={(sku) => `/products/${encodeURIComponent(sku)}`}
      rowActions={(r) => (
        <CatalogRowActions
          addToCart={addToCartAction}
          addToList={addToListAction}
          productId={r.id}
          sku={r.sku}
          unit={r.unit}
          minOrderQuantity={r.minOrderQuantity}
          orderMultiple={r.orderMultiple}
          lists={lists}
          cartKey={randomUUID()}
          listKey={randomUUID()}
        />
      )}
    />
  );
}
