"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { adjustStock, receiveStock } from "@/lib/services/inventory";
import { setProductArchived, updateProduct } from "@/lib/services/products";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// Revalidating also re-renders the product page, which hands the stock forms a fresh idempotency key.

export async function updateProductAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateProduct, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Changes saved.");
}

export async function setProductArchivedAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setProductArchived, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok && result.data.archived ? "Product archived. Customers no longer see it." : "Product restored.");
}

export async function receiveStockAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(receiveStock, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok ? `Stock received. On hand is now ${result.data.onHand}.` : undefined);
}

export async function adjustStockAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(adjustStock, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok ? `Stock adjusted. On hand is now ${result.data.onHand}.` : undefined);
}
