"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { quickOrder, setCartLine, updateCartDetails } from "@/lib/services/orders/cart";
import { submitCart } from "@/lib/services/orders/quotations";

// Thin adapters: the services check quantities and prices, scope to the buyer's own cart and audit.

export async function setCartLineAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setCartLine, form);
  if (result.ok) revalidatePath("/cart");
  return toFormState(result, form, form.get("quantity") === "0" ? "Line removed." : "Quantity updated.");
}

export async function updateCartDetailsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateCartDetails, form);
  if (result.ok) revalidatePath("/cart");
  return toFormState(result, form, "Details saved.");
}

export async function quickOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(quickOrder, form);
  if (!result.ok) return toFormState(result, form);
  // Re-rendering the cart also hands the form a fresh idempotency key for the next paste.
  revalidatePath("/cart");
  const n = result.data.added;
  return toFormState(result, form, `${n} ${n === 1 ? "line" : "lines"} added to your cart.`);
}

export async function submitCartAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(submitCart, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/cart");
  revalidatePath("/orders", "layout");
  redirect(`/orders/${result.data.orderId}?submitted=1`);
}
