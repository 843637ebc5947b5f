"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { createCompany, updateCompany } from "@/lib/services/companies";
import { setAccountsPayableEmail } from "@/lib/notifications/service";
import { createCompanyAddress, deleteCompanyAddress, updateCompanyAddress } from "@/lib/services/addresses";
import { setCompanyAssortment } from "@/lib/services/assortments";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// Companies show on the dashboard, the customer pages and in the user forms, hence the whole /admin tree.

export async function createCompanyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createCompany, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/admin", "layout");
  redirect(`/admin/customers/${result.data.id}?created=1`);
}

export async function updateCompanyAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateCompany, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Changes saved.");
}

export async function setAccountsPayableEmailAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setAccountsPayableEmail, form);
  if (result.ok) revalidatePath(`/admin/customers/${result.data.companyId}`);
  return toFormState(result, form, "Accounts-payable email saved.");
}

// Address book (issue 14): the service scopes and audits; the customer page shows the result.
export async function createCompanyAddressAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createCompanyAddress, form);
  if (result.ok) revalidatePath(`/admin/customers/${result.data.companyId}`);
  return toFormState(result, form, result.ok && result.data.kind === "billing" ? "Billing address saved." : "Ship-to address added.");
}

export async function updateCompanyAddressAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateCompanyAddress, form);
  if (result.ok) revalidatePath(`/admin/customers/${result.data.companyId}`);
  return toFormState(result, form, "Address saved.");
}

export async function deleteCompanyAddressAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deleteCompanyAddress, form);
  if (result.ok) revalidatePath(`/admin/customers/${result.data.companyId}`);
  return toFormState(result, form, "Address deleted.");
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

// Assortment (issue 14): each ticked category arrives as its own field `category:<name>`.
export async function setCompanyAssortmentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const categories = [...form.keys()].filter((k) => k.startsWith("category:")).map((k) => k.slice("category:".length));
  const result = await performMutation(setCompanyAssortment, { companyId: form.get("companyId"), categories, skus: form.get("skus") ?? "" });
  if (result.ok) revalidatePath(`/admin/customers/${result.data.companyId}`);
  return toFormState(
    result,
    form,
    result.ok ? (result.data.limited ? `Assortment saved: ${count(result.data.categories, "category", "categories")} and ${count(result.data.products, "single product", "single products")}.` : "Assortment saved: the whole catalogue.") : undefined,
  );
}
