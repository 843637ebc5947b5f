import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ProductView } from "@/components/catalog/catalog-view";
import { AddToCartForm } from "@/components/orders/add-to-cart-form";
import { Card } from "@/components/ui";
import { getPricedProduct } from "@/db/queries/catalog";
import { dateIn } from "@/lib/domain/dates";
import { getCompany } from "@/db/queries/companies";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";
import { addToCartAction } from "./actions";
import { AddToListForm } from "@/components/lists-saved/list-forms";
import { requisitionListOptions } from "@/db/queries/lists";
import { addToListAction } from "../../lists/actions";

export const metadata: Metadata = { title: "Product" };

export default async function ProductPage({ params }: { params: Promise<{ sku: string }> }) {
  const actor = await requirePermission("catalog.browse");
  const company = actor.companyId ? await getCompany(db, actor.companyId) : null;
  if (!company) notFound();
  const { sku } = await params;
  const product = await getPricedProduct(db, company.id, sku, dateIn(company.timeZone, new Date()));
  if (!product) notFound();
  return (
    <>
      <ProductView product={product} backHref="/" backLabel="Back to catalogue" />
      {/* After the volume prices, which are what the quantity is chosen by. */}
      <Card title="Order" className="mt-8">
        <AddToCartForm
          action={addToCartAction}
          productId={product.id}
          unit={product.unit}
          minOrderQuantity={product.minOrderQuantity}
          orderMultiple={product.orderMultiple}
          idempotencyKey={randomUUID()}
        />
      </Card>
      <Card title="Add to a list" className="mt-6">
        <AddToListForm
          action={addToListAction}
          productId={product.id}
          sku={product.sku}
          lists={await requisitionListOptions(db, company.id)}
          minOrderQuantity={product.minOrderQuantity}
          idempotencyKey={randomUUID()}
          idPrefix="product-list"
        />
      </Card>
    </>
  );
}
