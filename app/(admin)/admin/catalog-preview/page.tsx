import type { Metadata } from "next";
import Form from "next/form";
import { Suspense } from "react";
import { CatalogView } from "@/components/catalog/catalog-view";
import { catalogHref, parseCatalogParams, type CatalogQuery, type CatalogSearchParams } from "@/components/catalog/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { Button, PageHeader, Select } from "@/components/ui";
import { listCategories, searchCatalog } from "@/db/queries/catalog";
import { dateIn } from "@/lib/domain/dates";
import { getCompany, listCompanyOptions } from "@/db/queries/companies";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Catalogue preview" };

const basePath = "/admin/catalog-preview";

export default async function CatalogPreviewPage({ searchParams }: { searchParams: Promise<CatalogSearchParams> }) {
  await requirePermission("catalog.preview");
  const sp = await searchParams;
  const params = parseCatalogParams(sp);
  const companyParam = (Array.isArray(sp.company) ? sp.company[0] : sp.company)?.trim() ?? "";
  const [options, company] = await Promise.all([listCompanyOptions(db), companyParam ? getCompany(db, companyParam) : null]);
  const extra: Record<string, string> = company ? { company: company.id } : {};
  const date = dateIn(company?.timeZone ?? "UTC", new Date());
  return (
    <>
      <PageHeader title="Catalogue preview" description="The catalogue exactly as a customer company sees it: its prices and live availability." />
      {/* Switching company keeps the current search (but starts again at page 1). */}
      <Form key={company?.id ?? ""} action={basePath} aria-label="Choose company" className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-end">
        {params.q && <input type="hidden" name="q" value={params.q} />}
        {params.category && <input type="hidden" name="category" value={params.category} />}
        {params.inStock && <input type="hidden" name="inStock" value="1" />}
        {params.sort && <input type="hidden" name="sort" value={params.sort} />}
        <Select label="Company" name="company" defaultValue={company?.id ?? ""} wrapperClassName="sm:w-80">
          <option value="">No company (list prices)</option>
          {options.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </Select>
        <Button type="submit" variant="secondary">
          Show prices
        </Button>
      </Form>
      {company ? (
        <p className="mb-3 text-sm text-slate-600" data-testid="preview-note">
          Showing prices for <span className="font-medium text-slate-800">{company.name}</span> on {date} ({company.timeZone}).
        </p>
      ) : (
        <p className="mb-3 text-sm text-slate-600" data-testid="preview-note">
          {companyParam && "That company was not found. "}Showing list prices. Choose a company to see its prices.
        </p>
      )}
      <Suspense key={catalogHref(basePath, params, {}, extra)} fallback={<TableSkeleton label="products" />}>
        <PreviewCatalog companyId={company?.id ?? null} date={date} params={params} extra={extra} />
      </Suspense>
    </>
  );
}

async function PreviewCatalog({ companyId, date, params, extra }: { companyId: string | null; date: string; params: CatalogQuery; extra: Record<string, string> }) {
  const [result, categories] = await Promise.all([searchCatalog(db, companyId, { ...params, date }), listCategories(db, companyId)]);
  const companyQuery = companyId ? `?company=${encodeURIComponent(companyId)}` : "";
  return (
    <CatalogView
      result={result}
      categories={categories}
      params={params}
      basePath={basePath}
      extraHiddenFields={extra}
      productHref={(sku) => `${basePath}/${encodeURIComponent(sku)}${companyQuery}`}
    />
  );
}
