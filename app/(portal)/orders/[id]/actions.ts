"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { customerApproveOrder, customerRejectOrder } from "@/lib/services/orders/approvals";
import { cancelOrderByCustomer } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, declineQuotation, requoteOrder } from "@/lib/services/orders/quotations";

// Thin adapters: the services lock the order (404 for another company's), check the state machine and audit.
// A success re-renders the order page (and the list) so the new state, its actions and fresh idempotency keys show.

function refreshOrders() {
  revalidatePath("/orders", "layout");
}

export async function acceptQuotationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(acceptQuotation, form);
  if (!result.ok) return toFormState(result, form);
  refreshOrders();
  // The accept form is gone once the order moves on: the page says what happened and what comes next.
  redirect(`/orders/${result.data.orderId}?accepted=1`);
}

export async function declineQuotationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(declineQuotation, form);
  if (result.ok) refreshOrders();
  return toFormState(result, form, "Quotation declined.");
}

export async function cancelOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(cancelOrderByCustomer, form);
  if (result.ok) refreshOrders();
  return toFormState(result, form, "Order cancelled.");
}

export async function customerApproveOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(customerApproveOrder, form);
  if (result.ok) refreshOrders();
  return toFormState(result, form, "Order approved.");
}

export async function customerRejectOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(customerRejectOrder, form);
  if (result.ok) refreshOrders();
  return toFormState(result, form, "Order rejected.");
}

export async function requoteOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(requoteOrder, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/cart");
  redirect("/cart");
}
