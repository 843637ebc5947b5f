"use client";

import Link from "next/link";
import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Input, SubmitButton } from "@/components/ui";
import { AddToListForm, type ListOption } from "./list-forms";

export type CatalogRowActionProps = {
  addToCart: FormAction;
  addToList: FormAction;
  productId: string;
  sku: string;
  unit: string;
  minOrderQuantity: number;
  orderMultiple: number;
  lists: ListOption[];
  /** One per rendered row and form; a success re-renders the page with new ones. */
  cartKey: string;
  listKey: string;
};

/**
 * The catalogue row's order controls: a quantity and "Add to cart" (a server action, so it works
 * without JavaScript), and "Add to list" behind a disclosure (<details> needs no script either).
 */
export function CatalogRowActions(props: CatalogRowActionProps) {
  const { addToCart, addToList, productId, sku, unit, minOrderQuantity, orderMultiple, lists, cartKey, listKey } = props;
  const [state, formAction] = useActionState(addToCart, null);
  const errors = fieldErrors(state, "quantity") ?? (state?.ok === false ? [state.error] : undefined);
  return (
    <div className="space-y-2">
      <form action={formAction} noValidate className="flex items-start gap-2">
        <input type="hidden" name="idempotencyKey" value={cartKey} />
        <input type="hidden" name="productId" value={productId} />
        <Input
          id={`catalog-quantity-${productId}`}
          label={<span className="sr-only">Quantity of {sku} ({unit})</span>}
          name="quantity"
          type="number"
          inputMode="numeric"
          min={minOrderQuantity}
          step={orderMultiple}
          required
          defaultValue={submittedValue(state, "quantity", String(minOrderQuantity))}
          error={errors}
          wrapperClassName="w-24"
        />
        <SubmitButton size="sm" pendingLabel="Adding…" className="mt-0.5 whitespace-nowrap">
          Add to cart<span className="sr-only"> ({sku})</span>
        </SubmitButton>
      </form>
      {state?.ok && (
        <p role="status" className="text-xs text-green-800" data-testid="catalog-added">
          Added to cart.{" "}
          <Link href="/cart" className="font-medium underline">
            View cart
          </Link>
        </p>
      )}
      <details className="text-sm">
        <summary className="cursor-pointer font-medium text-brand-700">
          Add to list<span className="sr-only"> ({sku})</span>
        </summary>
        <div className="mt-2 min-w-56">
          <AddToListForm action={addToList} productId={productId} sku={sku} lists={lists} minOrderQuantity={minOrderQuantity} idempotencyKey={listKey} idPrefix={`catalog-list-${productId}`} />
        </div>
      </details>
    </div>
  );
}
