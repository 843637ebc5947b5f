import { HistoryLink } from "@/components/audit/history-link";
import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailList } from "@/components/lists/detail-list";
import { DateTime, zonedHeader } from "@/components/lists/date-time";
import { formatCount } from "@/components/lists/format";
import type { SearchParams } from "@/components/lists/search-params";
import { ProductArchiveForm } from "@/components/products/product-archive-form";
import { ProductForm } from "@/components/products/product-form";
import { StockBadge } from "@/components/products/stock-badge";
import { AdjustStockForm, ReceiveStockForm } from "@/components/products/stock-forms";
import { Card, EmptyState, FormMessage, PageHeader, StatusBadge, statusLabel, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { getProductDetail, listAllCategories } from "@/db/queries/products";
import { db } from "@/db/client";
import { formatTaxRate, tierText } from "@/lib/domain/catalog";
import { formatMoney, minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";
import { adjustStockAction, deleteProductImageAction, receiveStockAction, setProductArchivedAction, updateProductAction, uploadProductImageAction } from "./actions";
import { ProductImage } from "@/components/catalog/product-image";
import { ProductImageForm } from "@/components/catalog/product-image-form";
import { productImageOf } from "@/db/queries/product-images";
import { MAX_IMAGE_BYTES } from "@/lib/domain/product-images";
import { getViewerTimeZone } from "@/lib/time-zone";

export const metadata: Metadata = { title: "Product" };

const signed = (n: number) => (n > 0 ? `+${formatCount(n)}` : n < 0 ? `-${formatCount(-n)}` : "0");

export default async function ProductPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("products.read");
  const tz = await getViewerTimeZone(actor);
  const { id } = await params;
  const detail = await getProductDetail(db, id);
  if (!detail) notFound();
  const [query, categories, image] = await Promise.all([searchParams, listAllCategories(db), productImageOf(db, id)]);
  const { product, tiers, onHand, reserved, stock, movements } = detail;
  const archived = product.archivedAt !== null;
  const digits = minorDigits(product.currency);
  const canManage = can(actor.role, "products.manage");
  const canStock = can(actor.role, "stock.manage");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/products" className="font-medium text-brand-700 hover:underline">
          ← All products
        </Link>
      </p>
      <PageHeader
        title={product.name}
        description={`SKU ${product.sku} · ${product.category} · ${formatMoney(product.basePriceMinor, product.currency)} per ${product.unit}`}
        actions={
          <>
            <HistoryLink type="product" id={product.id} label={product.sku} className="self-center text-sm font-medium text-brand-700 hover:underline" />
            <StatusBadge status={archived ? "archived" : "active"} className="text-sm" />
          </>
        }
      />
      {query.created === "1" && <FormMessage result={{ ok: true, message: "Product created." }} className="mb-4" />}
      <div className="space-y-6">
        <Card title="Stock">
          <dl className="grid grid-cols-3 gap-4 sm:max-w-lg">
            <div>
              <dt className="text-sm font-medium text-slate-600">On hand</dt>
              <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid="stock-on-hand">
                {formatCount(onHand)}
              </dd>
            </div>
            <div>
              <dt className="text-sm font-medium text-slate-600">Reserved</dt>
              <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid="stock-reserved">
                {formatCount(reserved)}
              </dd>
            </div>
            <div>
              <dt className="text-sm font-medium text-slate-600">Available</dt>
              <dd className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid="stock-available">
                {formatCount(stock.available)}
              </dd>
            </div>
          </dl>
          <p className="mt-3 text-sm text-slate-600">
            <StockBadge stock={stock} /> <span className="ml-1">Reorder point: {formatCount(product.lowStockThreshold)}.</span>
          </p>
        </Card>

        {canStock && (
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Receive stock">
              <ReceiveStockForm action={receiveStockAction} productId={product.id} idempotencyKey={randomUUID()} />
            </Card>
            <Card title="Adjust stock">
              <p className="mb-4 text-sm text-slate-700">Set on hand to what was counted. The difference is recorded as an adjustment.</p>
              <AdjustStockForm action={adjustStockAction} productId={product.id} idempotencyKey={randomUUID()} />
            </Card>
          </div>
        )}

        <Card title="Stock movements">
          {movements.length === 0 ? (
            <EmptyState title="No stock movements yet" description="Receipts, adjustments, reservations and shipments of this product will be listed here." />
          ) : (
            <>
              <Table caption="Stock movements" stack>
                <THead>
                  <tr>
                    <TH>{zonedHeader("Time", tz)}</TH>
                    <TH>Kind</TH>
                    <TH className="text-right">On hand</TH>
                    <TH className="text-right">Reserved</TH>
                    <TH>Reason</TH>
                    <TH>By</TH>
                  </tr>
                </THead>
                <TBody>
                  {movements.map((m) => (
                    <TR key={m.id}>
                      <TD className="whitespace-nowrap"><DateTime value={m.createdAt} timeZone={tz} zone={false} /></TD>
                      <TD label="Kind" className="whitespace-nowrap">{statusLabel(m.kind)}</TD>
                      <TD label="On hand" className="text-right tabular-nums">{signed(m.onHandDelta)}</TD>
                      <TD label="Reserved" className="text-right tabular-nums">{signed(m.reservedDelta)}</TD>
                      <TD label="Reason">{m.reason}</TD>
                      <TD label="By" className="whitespace-nowrap">{m.actorEmail ?? <span className="text-slate-500">System</span>}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
              {movements.length >= 50 && <p className="mt-2 text-sm text-slate-600">The latest 50 movements are shown.</p>}
            </>
          )}
        </Card>

        <Card title="Image">
          <div className="flex flex-col gap-6 sm:flex-row sm:items-start">
            <div>
              <ProductImage imageId={image?.id ?? null} name={product.name} size={160} lazy={false} />
              <p className="mt-2 text-sm text-slate-600" data-testid="product-image-note">
                {image ? `${image.originalFormat.toUpperCase()} ${image.originalWidth} × ${image.originalHeight}` : "No image yet."}
              </p>
            </div>
            {canManage && (
              <div className="min-w-0 flex-1">
                <ProductImageForm uploadAction={uploadProductImageAction} deleteAction={deleteProductImageAction} productId={product.id} hasImage={image !== null} maxBytes={MAX_IMAGE_BYTES} />
              </div>
            )}
          </div>
        </Card>

        <Card title="Details">
          {canManage ? (
            <ProductForm
              action={updateProductAction}
              productId={product.id}
              currency={product.currency}
              categories={categories}
              defaults={{
                sku: product.sku,
                name: product.name,
                description: product.description,
                category: product.category,
                unit: product.unit,
                basePrice: minorToDecimal(product.basePriceMinor, digits),
                taxRate: formatTaxRate(product.taxRateBp),
                minOrderQuantity: String(product.minOrderQuantity),
                orderMultiple: String(product.orderMultiple),
                lowStockThreshold: String(product.lowStockThreshold),
                tiers: tierText(tiers, product.currency),
              }}
            />
          ) : (
            <DetailList
              items={[
                { label: "SKU", value: product.sku },
                { label: "Name", value: product.name },
                { label: "Description", value: product.description ? <span className="whitespace-pre-line">{product.description}</span> : "—" },
                { label: "Category", value: product.category },
                { label: "Unit", value: product.unit },
                { label: "Base price", value: formatMoney(product.basePriceMinor, product.currency) },
                { label: "Tax rate", value: `${formatTaxRate(product.taxRateBp)} %` },
                { label: "Minimum order quantity", value: formatCount(product.minOrderQuantity) },
                { label: "Pack multiple", value: formatCount(product.orderMultiple) },
                { label: "Reorder point", value: formatCount(product.lowStockThreshold) },
                {
                  label: "Volume tiers",
                  value: tiers.length ? <span className="font-mono whitespace-pre-line">{tierText(tiers, product.currency)}</span> : "None",
                },
              ]}
            />
          )}
        </Card>

        {canManage && (
          <Card title={archived ? "Archived" : "Archive"}>
            <p className="mb-4 text-sm text-slate-700">
              {archived
                ? "Customers cannot see or order this product. Restoring puts it back in the catalogue."
                : "Archiving hides the product from customers; its orders, stock and history stay."}
            </p>
            <ProductArchiveForm action={setProductArchivedAction} productId={product.id} archived={archived} />
          </Card>
        )}

      </div>
    </>
  );
}
