"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { addToCart } from "@/lib/services/orders/cart";

// Thin adapter: the service checks the product's ordering rules, scopes to the buyer's own cart and audits.

export async function addToCartAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(addToCart, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/cart");
  // Re-renders this product page too, which hands the form a fresh idempotency key for the next add.
  revalidatePath("/products/[sku]", "page");
  // The catalogue's rows add to the cart too: re-rendered, they get fresh keys.
  revalidatePath("/", "page");
  return toFormState(result, form, "Added to cart.");
}
