"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, Textarea } from "@/components/ui";

/** Field values as text, the way the form shows them (base price "12.50", tax rate "19", tiers "10: 9.50" lines). */
export type ProductFormValues = {
  sku: string;
  name: string;
  description: string;
  category: string;
  unit: string;
  basePrice: string;
  taxRate: string;
  minOrderQuantity: string;
  orderMultiple: string;
  lowStockThreshold: string;
  tiers: string;
};

type Props = {
  action: FormAction;
  defaults: ProductFormValues;
  /** The currency prices are typed in (the seller's currency). */
  currency: string;
  /** Existing categories, offered as suggestions; a new one can still be typed. */
  categories: string[];
  /** Edit mode when given. */
  productId?: string;
  /** Create mode: the page's one-time key, so a resubmitted form cannot create the product twice. */
  idempotencyKey?: string;
};

/** Staff form to create or edit a product: identity, price, tax, ordering rules and volume tiers. */
export function ProductForm({ action, defaults, currency, categories, productId, idempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  const value = (name: keyof ProductFormValues) => submittedValue(state, name, defaults[name]);
  const listId = productId ? `product-categories-${productId}` : "product-categories";
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      {productId ? (
        <input type="hidden" name="id" value={productId} />
      ) : (
        <input type="hidden" name="idempotencyKey" value={idempotencyKey ?? ""} />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="SKU"
          name="sku"
          required
          autoComplete="off"
          maxLength={64}
          defaultValue={value("sku")}
          hint="Letters, digits and . _ - / only."
          error={fieldErrors(state, "sku")}
        />
        <Input label="Name" name="name" required autoComplete="off" maxLength={200} defaultValue={value("name")} error={fieldErrors(state, "name")} />
        <Textarea
          label="Description"
          name="description"
          rows={3}
          defaultValue={value("description")}
          error={fieldErrors(state, "description")}
          wrapperClassName="sm:col-span-2"
        />
        <Input
          label="Category"
          name="category"
          required
          autoComplete="off"
          list={listId}
          maxLength={100}
          defaultValue={value("category")}
          hint="Pick an existing category or type a new one."
          error={fieldErrors(state, "category")}
        />
        <datalist id={listId}>
          {categories.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <Input
          label="Unit"
          name="unit"
          autoComplete="off"
          maxLength={30}
          defaultValue={value("unit")}
          hint="How one unit is sold, e.g. each, box, kg."
          error={fieldErrors(state, "unit")}
        />
        <Input
          label="Base price"
          name="basePrice"
          required
          inputMode="decimal"
          autoComplete="off"
          defaultValue={value("basePrice")}
          hint={`Net unit price in ${currency}, e.g. 12.50.`}
          error={fieldErrors(state, "basePrice")}
        />
        <Input
          label="Tax rate (%)"
          name="taxRate"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={value("taxRate")}
          hint="e.g. 19 or 7.5; 0 for none."
          error={fieldErrors(state, "taxRate")}
        />
        <Input
          label="Minimum order quantity"
          name="minOrderQuantity"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          defaultValue={value("minOrderQuantity")}
          error={fieldErrors(state, "minOrderQuantity")}
        />
        <Input
          label="Pack multiple"
          name="orderMultiple"
          type="number"
          inputMode="numeric"
          min={1}
          step={1}
          defaultValue={value("orderMultiple")}
          hint="Orders must be a multiple of this; 1 for single units."
          error={fieldErrors(state, "orderMultiple")}
        />
        <Input
          label="Reorder point"
          name="lowStockThreshold"
          type="number"
          inputMode="numeric"
          min={0}
          step={1}
          defaultValue={value("lowStockThreshold")}
          hint="Low-stock alerts when available stock falls below this; 0 = no alert."
          error={fieldErrors(state, "lowStockThreshold")}
        />
        <Textarea
          label="Volume tiers"
          name="tiers"
          rows={4}
          defaultValue={value("tiers")}
          hint="One per line: quantity: unit price, e.g. 10: 9.50"
          error={fieldErrors(state, "tiers")}
          wrapperClassName="sm:col-span-2"
          className="font-mono"
        />
      </div>
      <SubmitButton pendingLabel={productId ? "Saving…" : "Creating…"}>{productId ? "Save changes" : "Create product"}</SubmitButton>
    </form>
  );
}
