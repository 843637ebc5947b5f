"use client";

import Link from "next/link";
import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";
import { formResult } from "./form-helpers";

type Props = {
  action: FormAction;
  productId: string;
  unit: string;
  minOrderQuantity: number;
  orderMultiple: number;
  /** From the page; a successful add re-renders the page, which brings the next key. */
  idempotencyKey: string;
};

/** Adds a quantity of one product to the buyer's cart (adding to what is already there). */
export function AddToCartForm({ action, productId, unit, minOrderQuantity, orderMultiple, idempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  const error = state?.ok === false ? formResult(state) : null;
  const hint = orderMultiple > 1 ? `Minimum ${minOrderQuantity} ${unit}, in packs of ${orderMultiple}.` : `Minimum ${minOrderQuantity} ${unit}.`;
  return (
    <form action={formAction} noValidate className="space-y-4">
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="productId" value={productId} />
      {state?.ok && (
        <div role="status" className="rounded-md border border-green-300 bg-green-50 px-4 py-3 text-sm text-green-800">
          Added to cart.{" "}
          <Link href="/cart" className="font-medium text-green-900 underline">
            View cart
          </Link>
        </div>
      )}
      <FormMessage result={error} />
      <Input
        label="Quantity"
        name="quantity"
        type="number"
        inputMode="numeric"
        min={minOrderQuantity}
        step={orderMultiple}
        required
        defaultValue={submittedValue(state, "quantity", String(minOrderQuantity))}
        hint={hint}
        error={fieldErrors(state, "quantity")}
        wrapperClassName="sm:max-w-40"
      />
      <SubmitButton pendingLabel="Adding…">Add to cart</SubmitButton>
    </form>
  );
}
