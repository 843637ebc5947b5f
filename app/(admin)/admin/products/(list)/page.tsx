import type { Metadata } from "next";
import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { FilterForm } from "@/components/lists/filter-form";
import { formatCount } from "@/components/lists/format";
import { Pagination } from "@/components/lists/pagination";
import { hrefWith, pageParam, param, type SearchParams } from "@/components/lists/search-params";
import { TableSkeleton } from "@/components/lists/table-skeleton";
import { StockBadge } from "@/components/products/stock-badge";
import {
  buttonClasses,
  Checkbox,
  EmptyState,
  Input,
  LinkButton,
  PageHeader,
  Select,
  StatusBadge,
  Table,
  TBody,
  TD,
  TH,
  THead,
  TR,
} from "@/components/ui";
import { listAllCategories, listProducts, STAFF_PAGE_SIZE, type StaffProductFilter } from "@/db/queries/products";
import { db } from "@/db/client";
import { formatMoney } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Products" };

// This page lives in the (list) route group so that its loading.tsx covers the list only: around the
// product pages below it, a loading boundary would start the response before their notFound() and
// turn a missing product's 404 into a 200.

type Status = NonNullable<StaffProductFilter["status"]>;
type Filters = { q?: string; category?: string; status: Status; lowStock: boolean };

const PATH = "/admin/products";


function filterHref(f: Filters, page?: number): string {
  return hrefWith(PATH, {
    q: f.q,
    category: f.category,
    status: f.status === "active" ? undefined : f.status,
    lowStock: f.lowStock ? "1" : undefined,
    page: page && page > 1 ? page : undefined,
  });
}

export default async function ProductsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("products.read");
  const params = await searchParams;
  const rawStatus = param(params, "status");
  const filters: Filters = {
    q: param(params, "q"),
    category: param(params, "category"),
    status: rawStatus === "archived" || rawStatus === "all" ? rawStatus : "active",
    lowStock: param(params, "lowStock") === "1",
  };
  const page = pageParam(params);
  const categories = await listAllCategories(db);
  const canManage = can(actor.role, "products.manage");
  const newButton = canManage ? <LinkButton href="/admin/products/new">New product</LinkButton> : undefined;
  const filtered = Boolean(filters.q || filters.category || filters.lowStock || filters.status !== "active");
  return (
    <>
      <PageHeader
        title="Products"
        description="The catalogue with stock levels. Available is on hand minus what open orders reserve."
        actions={
          <>
            {newButton}
            {canManage && (
              <LinkButton href="/admin/products/import" variant="secondary">
                Import CSV
              </LinkButton>
            )}
            {/* A plain link: the export is a file download from a route handler, not a page. */}
            <a href="/api/admin/products/export" download className={buttonClasses("secondary")}>
              Export CSV
            </a>
            <LinkButton href="/admin/catalog-preview" variant="secondary">
              Catalogue preview
            </LinkButton>
          </>
        }
      />
      {/* Keyed by the filters: selects and checkboxes take their defaults only on mount. */}
      <FilterForm key={filterHref(filters)} action={PATH} label="Filter products" filtered={filtered}>
        <Input label="Search" name="q" type="search" defaultValue={filters.q ?? ""} placeholder="SKU or name" wrapperClassName="sm:w-64" />
        <Select label="Category" name="category" defaultValue={filters.category ?? ""} wrapperClassName="sm:w-56">
          <option value="">All categories</option>
          {categories.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
          {filters.category && !categories.includes(filters.category) && <option value={filters.category}>{filters.category}</option>}
        </Select>
        <Select label="Status" name="status" defaultValue={filters.status} wrapperClassName="sm:w-40">
          <option value="active">Active</option>
          <option value="archived">Archived</option>
          <option value="all">All</option>
        </Select>
        <Checkbox label="Low stock only" name="lowStock" value="1" defaultChecked={filters.lowStock} wrapperClassName="sm:pb-2.5" />
      </FilterForm>
      <Suspense key={`${filterHref(filters)}|${page}`} fallback={<TableSkeleton label="products" />}>
        <ProductsTable filters={filters} filtered={filtered} page={page} newButton={newButton} />
      </Suspense>
    </>
  );
}

async function ProductsTable({ filters, filtered, page, newButton }: { filters: Filters; filtered: boolean; page: number; newButton?: ReactNode }) {
  const { rows, total } = await listProducts(db, { ...filters, page });
  if (rows.length === 0) {
    if (total > 0) {
      return (
        <EmptyState
          title="Nothing on this page"
          description={`There are ${total} matching products on earlier pages.`}
          action={
            <LinkButton href={filterHref(filters)} variant="secondary">
              Go to the first page
            </LinkButton>
          }
        />
      );
    }
    return filtered ? (
      <EmptyState title="No products found" description="No product matches these filters." action={<LinkButton href={PATH} variant="secondary">Clear filters</LinkButton>} />
    ) : (
      <EmptyState title="No products yet" description="Create products one by one or import a CSV file." action={newButton} />
    );
  }
  return (
    <>
      <Table caption="Products" stack>
        <THead>
          <tr>
            <TH>SKU</TH>
            <TH>Name</TH>
            <TH>Category</TH>
            <TH className="text-right">Base price</TH>
            <TH className="text-right">On hand</TH>
            <TH className="text-right">Reserved</TH>
            <TH>Available</TH>
            <TH>Status</TH>
          </tr>
        </THead>
        <TBody>
          {rows.map((p) => (
            <TR key={p.id} data-testid={`product-row-${p.sku}`}>
              <TD className="font-mono text-xs whitespace-nowrap">{p.sku}</TD>
              <TD label="Name" className="font-medium">
                <Link href={`/admin/products/${p.id}`} className="text-brand-700 hover:underline">
                  {p.name}
                </Link>
              </TD>
              <TD label="Category">{p.category}</TD>
              <TD label="Base price" className="text-right whitespace-nowrap tabular-nums">{formatMoney(p.basePriceMinor, p.currency)}</TD>
              <TD label="On hand" className="text-right tabular-nums">{formatCount(p.onHand)}</TD>
              <TD label="Reserved" className="text-right tabular-nums">{formatCount(p.reserved)}</TD>
              <TD label="Available">
                <StockBadge stock={p.stock} />
              </TD>
              <TD label="Status">
                <StatusBadge status={p.archivedAt ? "archived" : "active"} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Pagination page={page} total={total} pageSize={STAFF_PAGE_SIZE} href={(n) => filterHref(filters, n)} />
    </>
  );
}
