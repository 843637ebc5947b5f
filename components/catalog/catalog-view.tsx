import Form from "next/form";
import Link from "next/link";
import type { ReactNode } from "react";
import { DetailList } from "@/components/lists/detail-list";
import { Pagination } from "@/components/lists/pagination";
import {
  Badge,
  Button,
  Card,
  Checkbox,
  EmptyState,
  Input,
  LinkButton,
  PageHeader,
  Select,
  Table,
  TBody,
  TD,
  TH,
  THead,
  TR,
  type BadgeTone,
} from "@/components/ui";
import { ProductImage } from "./product-image";
import { CATALOG_RANKED_MATCHES, type CatalogSort, type PricedProduct, type searchCatalog } from "@/db/queries/catalog";
import { formatTaxRate, type Availability } from "@/lib/domain/catalog";
import { formatMoney } from "@/lib/domain/money";
import { PriceTable } from "./price-table";
import { catalogHref, type CatalogQuery } from "./search-params";

const sortOptions: { value: CatalogSort; label: string }[] = [
  { value: "relevance", label: "Relevance" },
  { value: "name", label: "Name" },
  { value: "price_asc", label: "Price: low to high" },
  { value: "price_desc", label: "Price: high to low" },
  { value: "sku", label: "SKU" },
];

const availabilityTones: Record<Availability["status"], BadgeTone> = {
  in_stock: "success",
  low: "warning",
  out: "danger",
};

export function AvailabilityBadge({ stock, testId }: { stock: Availability; testId?: string }) {
  return (
    <Badge tone={availabilityTones[stock.status]} data-testid={testId}>
      {stock.label}
    </Badge>
  );
}

/** "10" or "10, packs of 5". */
export function minOrderText(minOrderQuantity: number, orderMultiple: number): string {
  return orderMultiple > 1 ? `${minOrderQuantity}, packs of ${orderMultiple}` : `${minOrderQuantity}`;
}

const linkClass = "font-medium text-brand-700 hover:underline";

export type CatalogViewProps = {
  result: Awaited<ReturnType<typeof searchCatalog>>;
  categories: string[];
  params: CatalogQuery;
  basePath: string;
  productHref: (sku: string) => string;
  /** Kept in the search form and every link, e.g. `{ company }` in the staff preview. */
  extraHiddenFields?: Record<string, string>;
  /** Order controls per row (quantity, add to cart, add to list): the customer catalogue only. */
  rowActions?: (row: CatalogViewProps["result"]["rows"][number]) => ReactNode;
};

/** Search form, priced results and paging for the catalogue; the same view for customers and the staff preview. */
export function CatalogView({ result, categories, params, basePath, productHref, extraHiddenFields = {}, rowActions }: CatalogViewProps) {
  const { rows, hasNext, page, listName, capped } = result;
  const href = (overrides: Partial<CatalogQuery>) => catalogHref(basePath, params, overrides, extraHiddenFields);
  const filtered = Boolean(params.q || params.category || params.inStock);
  return (
    <>
      <CatalogSearchForm categories={categories} params={params} basePath={basePath} extraHiddenFields={extraHiddenFields} />
      {listName && (
        <p className="mb-3 text-sm text-slate-600" data-testid="price-list-note">
          Prices from your price list: <span className="font-medium text-slate-800">{listName}</span>
        </p>
      )}
      {capped && (
        <p className="mb-3 text-sm text-slate-600" data-testid="search-capped-note">
          More than {CATALOG_RANKED_MATCHES} products match. The first {CATALOG_RANKED_MATCHES} are listed, those with the words in their name or SKU first. Add a word or choose a
          category to narrow the search.
        </p>
      )}
      {rows.length === 0 ? (
        page > 1 ? (
          <EmptyState
            title="No more products"
            description="This page is past the end of the results."
            action={<LinkButton href={href({ page: 1 })} variant="secondary">Go to the first page</LinkButton>}
          />
        ) : filtered ? (
          <EmptyState
            title="No products match"
            description="Try other search words, or clear the filters to see the whole catalogue."
            action={<LinkButton href={catalogHref(basePath, {}, {}, extraHiddenFields)} variant="secondary">Clear filters</LinkButton>}
          />
        ) : (
          <EmptyState title="No products yet" description="Products will be listed here as soon as they are in the catalogue." />
        )
      ) : (
        <>
          <Table caption="Products" stack>
            <THead>
              <tr>
                <TH>SKU</TH>
                <TH>Product</TH>
                <TH className="text-right">Price</TH>
                <TH>Availability</TH>
                <TH>Min. order</TH>
                {rowActions && <TH>Order</TH>}
              </tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <TR key={r.id} data-testid="catalog-row">
                  <TD label="SKU" className="font-mono text-xs whitespace-nowrap">{r.sku}</TD>
                  <TD className="min-w-48 max-md:order-first">
                    <span className="flex items-center gap-3">
                      <ProductImage imageId={r.imageId} name={r.name} size={56} />
                      <span>
                        <Link href={productHref(r.sku)} className={linkClass}>
                          {r.name}
                        </Link>
                        <span className="block text-xs text-slate-600">{r.category}</span>
                      </span>
                    </span>
                  </TD>
                  <TD label="Price" className="text-right">
                    <span className="block font-medium whitespace-nowrap tabular-nums">
                      {formatMoney(r.price.unitPriceMinor, r.price.currency)}
                      <span className="font-normal text-slate-600"> per {r.unit}</span>
                    </span>
                    <span className="block text-xs text-slate-600">{r.price.explanation}</span>
                  </TD>
                  <TD label="Availability">
                    <AvailabilityBadge stock={r.stock} />
                  </TD>
                  <TD label="Min. order" className="whitespace-nowrap tabular-nums">{minOrderText(r.minOrderQuantity, r.orderMultiple)}</TD>
                  {rowActions && <TD>{rowActions(r)}</TD>}
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination page={page} hasNext={hasNext} href={(p) => href({ page: p })} previousLabel="Previous" nextLabel="Next" />
        </>
      )}
    </>
  );
}

function CatalogSearchForm({ categories, params, basePath, extraHiddenFields }: Pick<CatalogViewProps, "categories" | "params" | "basePath"> & { extraHiddenFields: Record<string, string> }) {
  return (
    // GET form: works without JavaScript, and leaving out `page` starts a new search at page 1.
    // Keyed by the search so the uncontrolled fields show the new values after a client navigation.
    <Form
      key={catalogHref(basePath, params, { page: 1 }, extraHiddenFields)}
      action={basePath}
      role="search"
      aria-label="Product search"
      className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1fr)_auto_auto] lg:items-end"
    >
      {Object.entries(extraHiddenFields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Input label="Search products" name="q" type="search" defaultValue={params.q ?? ""} placeholder="Name, SKU or keyword" wrapperClassName="sm:col-span-2 lg:col-span-1" />
      <Select label="Category" name="category" defaultValue={params.category ?? ""}>
        <option value="">All categories</option>
        {categories.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </Select>
      {/* Relevance without search words orders by name, so it is the right default either way. */}
      <Select label="Sort by" name="sort" defaultValue={params.sort ?? "relevance"}>
        {sortOptions.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
      <Checkbox label="In stock only" name="inStock" value="1" defaultChecked={params.inStock} wrapperClassName="lg:pb-2.5" />
      <Button type="submit">Search</Button>
    </Form>
  );
}

export type ProductViewProps = {
  product: PricedProduct;
  backHref: string;
  backLabel: string;
  /** Shown under the title, e.g. whose prices the staff preview shows. */
  note?: ReactNode;
};

/** One product with the viewer's prices; the same view for customers and the staff preview. */
export function ProductView({ product, backHref, backLabel, note }: ProductViewProps) {
  const main = product.priceTable[0];
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={backHref} className={linkClass}>
          <span aria-hidden="true">← </span>
          {backLabel}
        </Link>
      </p>
      <PageHeader
        title={product.name}
        description={
          <>
            SKU <span className="font-mono" data-testid="product-sku">{product.sku}</span> · {product.category}
          </>
        }
      />
      {note}
      {product.imageId && (
        <div className="mb-6">
          <ProductImage imageId={product.imageId} name={product.name} size={320} lazy={false} className="h-auto max-w-full" />
        </div>
      )}
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Price" className="lg:col-span-1">
          {main && (
            <>
              <p className="text-3xl font-semibold text-slate-900 tabular-nums" data-testid="unit-price">
                {formatMoney(main.price.unitPriceMinor, main.price.currency)}
                <span className="text-base font-normal text-slate-600"> per {product.unit}</span>
              </p>
              <p className="mt-1 text-sm text-slate-600" data-testid="price-explanation">
                {main.price.explanation}
              </p>
            </>
          )}
          <div className="mt-4">
            <AvailabilityBadge stock={product.stock} testId="availability" />
          </div>
        </Card>
        <Card title="Details" className="lg:col-span-2">
          <DetailList
            items={[
              { label: "SKU", value: product.sku },
              { label: "Category", value: product.category },
              { label: "Unit", value: product.unit },
              { label: "Tax rate", value: `${formatTaxRate(product.taxRateBp)}%`, testId: "tax-rate" },
              { label: "Minimum order", value: String(product.minOrderQuantity), testId: "min-order" },
              { label: "Pack size", value: product.orderMultiple > 1 ? `Packs of ${product.orderMultiple}` : "Any quantity", testId: "pack-size" },
            ]}
          />
          {product.description && <p className="mt-6 text-sm whitespace-pre-line text-slate-800">{product.description}</p>}
        </Card>
      </div>
      <h2 className="mt-8 mb-3 text-lg font-semibold text-slate-900">Volume prices</h2>
      <PriceTable priceTable={product.priceTable} />
    </>
  );
}
