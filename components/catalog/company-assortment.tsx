import type { FormAction } from "@/components/forms/form-state";
import { Card } from "@/components/ui";
import { db } from "@/db/client";
import { getAssortment } from "@/db/queries/assortments";
import { listAllCategories } from "@/db/queries/products";
import { AssortmentForm } from "./assortment-form";

/** The staff customer page's assortment card: what the company may see, and (pricing.manage) the form to change it. */
export async function CompanyAssortment({ companyId, canEdit, action }: { companyId: string; canEdit: boolean; action: FormAction }) {
  const [assortment, categories] = await Promise.all([getAssortment(db, companyId), canEdit ? listAllCategories(db) : Promise.resolve([])]);
  const limited = assortment.categories.length + assortment.products.length > 0;
  return (
    <Card title="Assortment">
      <p className="mb-4 text-sm text-slate-700" data-testid="assortment-summary">
        {limited
          ? `Limited: this company sees ${assortment.categories.length === 0 ? "no whole categories" : assortment.categories.join(", ")}${
              assortment.products.length ? ` and ${assortment.products.length} single ${assortment.products.length === 1 ? "product" : "products"}` : ""
            }. Other products do not exist for its users (catalogue, search, API, images).`
          : "The whole catalogue. Tick categories or list SKUs to limit what this company sees and can order."}
      </p>
      {canEdit && (
        <AssortmentForm action={action} companyId={companyId} categories={categories} selected={{ categories: assortment.categories, skus: assortment.products.map((p) => p.sku) }} />
      )}
    </Card>
  );
}
