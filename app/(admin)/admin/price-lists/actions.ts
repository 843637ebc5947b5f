"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { createPriceList, removePriceListEntry, setPriceListAssignment, updatePriceList, upsertPriceListEntry } from "@/lib/services/price-lists";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// Price lists change what the catalogue preview and customer pages show, hence the whole /admin tree.

export async function createPriceListAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createPriceList, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/admin", "layout");
  redirect(`/admin/price-lists/${result.data.id}?created=1`);
}

export async function updatePriceListAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updatePriceList, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Changes saved.");
}

export async function upsertPriceListEntryAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(upsertPriceListEntry, form);
  if (result.ok) revalidatePath("/admin", "layout");
  const sku = form.get("sku");
  return toFormState(result, form, `Price saved${typeof sku === "string" && sku.trim() ? ` for ${sku.trim()}` : ""}.`);
}

export async function removePriceListEntryAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(removePriceListEntry, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Price removed.");
}

export async function setPriceListAssignmentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setPriceListAssignment, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok && result.data.assigned ? "Company assigned." : "Company unassigned.");
}
