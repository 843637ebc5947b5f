import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { ProductForm } from "@/components/products/product-form";
import { Card, PageHeader } from "@/components/ui";
import { listAllCategories } from "@/db/queries/products";
import { db } from "@/db/client";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { createProductAction } from "../actions";

export const metadata: Metadata = { title: "New product" };

export default async function NewProductPage() {
  await requirePermission("products.manage");
  const categories = await listAllCategories(db);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/products" className="font-medium text-brand-700 hover:underline">
          ← All products
        </Link>
      </p>
      <PageHeader title="New product" description="A product starts with no stock; receive stock on its page afterwards." />
      <Card>
        <ProductForm
          action={createProductAction}
          idempotencyKey={randomUUID()}
          currency={env().DEFAULT_CURRENCY}
          categories={categories}
          defaults={{
            sku: "",
            name: "",
            description: "",
            category: "",
            unit: "each",
            basePrice: "",
            taxRate: "0",
            minOrderQuantity: "1",
            orderMultiple: "1",
            lowStockThreshold: "0",
            tiers: "",
          }}
        />
      </Card>
    </>
  );
}
