"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { copyResultMessage, reorder } from "@/lib/services/orders/reorder";

// Thin adapter: the service finds the order within the buyer's company (another company's is
// "not found"), copies its lines into the cart at today's prices, names what it could not add and audits.
export async function reorderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(reorder, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/cart");
  // Re-renders this page (and the cart count in the navigation) with a fresh key for the next click.
  revalidatePath("/orders/[id]", "page");
  return toFormState(result, form, copyResultMessage(result.data));
}
