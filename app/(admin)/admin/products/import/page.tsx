import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { ImportForm } from "@/components/products/import-form";
import { Card, PageHeader } from "@/components/ui";
import { env } from "@/lib/env";
import { MAX_IMPORT_BYTES } from "@/lib/services/product-import";
import { requirePermission } from "@/lib/session";
import { importProductsAction } from "../actions";

export const metadata: Metadata = { title: "Import products" };

const columns: { name: string; description: string }[] = [
  { name: "sku", description: "Required. Identifies the product: an existing SKU updates that product, a new one creates it." },
  { name: "name", description: "Required." },
  { name: "description", description: "Optional; may span several lines inside double quotes." },
  { name: "category", description: "Required." },
  { name: "unit", description: "Optional; each when empty or left out." },
  { name: "base_price", description: "Required. Net unit price as a decimal, e.g. 12.50." },
  { name: "tax_rate", description: "Percent, e.g. 19 or 7.5. Optional column: 0 when left out." },
  { name: "min_order_quantity", description: "Whole number, at least 1. Optional column: 1 when left out." },
  { name: "order_multiple", description: "Pack size that order quantities must be a multiple of. Optional column: 1 when left out." },
  { name: "low_stock_threshold", description: "The reorder point: low-stock alerts when available stock falls below it. Whole number, at least 0 (0 = no alert). Optional column: 0 when left out." },
  { name: "tiers", description: "Optional. Volume prices as quantity: price pairs separated by semicolons, e.g. 10: 9.50; 50: 9.00." },
  { name: "archived", description: "yes or no; an empty cell keeps the product's current state." },
];

export default async function ImportProductsPage() {
  await requirePermission("products.manage");
  const currency = env().DEFAULT_CURRENCY;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/products" className="font-medium text-brand-700 hover:underline">
          ← All products
        </Link>
      </p>
      <PageHeader
        title="Import products"
        description="Create and update many products at once from a CSV file. The whole file is checked first: if any row has a problem, nothing is imported."
      />
      <div className="space-y-6">
        <Card title="Upload">
          <ImportForm action={importProductsAction} idempotencyKey={randomUUID()} maxBytes={MAX_IMPORT_BYTES} />
        </Card>
        <Card title="Expected columns">
          <p className="mb-4 text-sm text-slate-700">
            The first row names the columns, in any order. A default “when left out” applies only when the whole column is missing; a column that is there needs a value in every row. Prices are in {currency}. Stock is not imported: the columns{" "}
            <code>currency</code>, <code>on_hand</code>, <code>reserved</code> and <code>available</code> of the export are
            accepted and ignored, so an exported file can be edited and imported again. Receive or adjust stock on each
            product&apos;s page.
          </p>
          <dl className="grid gap-x-6 gap-y-3 text-sm sm:grid-cols-[max-content_1fr]">
            {columns.map((c) => (
              <div key={c.name} className="contents">
                <dt className="font-mono font-medium text-slate-900">{c.name}</dt>
                <dd className="text-slate-700">{c.description}</dd>
              </div>
            ))}
          </dl>
          <p className="mt-4 text-sm">
            <a href="/api/admin/products/export" download className="font-medium text-brand-700 hover:underline">
              Download the current products as CSV
            </a>
          </p>
        </Card>
      </div>
    </>
  );
}
