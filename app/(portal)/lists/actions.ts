"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { addToList, createList, deleteList, listToCart, renameList, setListLine } from "@/lib/services/lists";
import { copyResultMessage } from "@/lib/services/orders/reorder";

// Thin adapters: the services scope every list to the buyer's company (another company's is "not
// found"), check quantities and audit. A success re-renders the lists, the cart and its count.

function refreshLists() {
  revalidatePath("/lists", "layout");
}

export async function createListAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createList, form);
  if (!result.ok) return toFormState(result, form);
  refreshLists();
  redirect(`/lists/${result.data.listId}?created=1`);
}

export async function renameListAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(renameList, form);
  if (result.ok) refreshLists();
  return toFormState(result, form, result.ok ? `List renamed to ${result.data.name}.` : undefined);
}

export async function deleteListAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deleteList, form);
  if (!result.ok) return toFormState(result, form);
  refreshLists();
  redirect("/lists?deleted=1");
}

export async function addToListAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(addToList, form);
  if (!result.ok) return toFormState(result, form);
  refreshLists();
  // Re-renders the page the form is on (catalogue or product page), which hands it a fresh key.
  revalidatePath("/", "page");
  revalidatePath("/products/[sku]", "page");
  return toFormState(result, form, `Added to ${result.data.listName}: ${result.data.sku} now ${result.data.quantity} on the list.`);
}

export async function setListLineAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setListLine, form);
  if (result.ok) refreshLists();
  return toFormState(result, form, form.get("quantity") === "0" ? "Line removed." : "Quantity updated.");
}

export async function listToCartAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(listToCart, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/cart");
  refreshLists();
  return toFormState(result, form, copyResultMessage(result.data));
}
