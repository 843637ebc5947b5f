"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { recordManualPayment, refundPayment, rejectPayment, verifyPayment } from "@/lib/services/payments";

// Thin adapters: the services check payments.manage, move each payment's status exactly once and audit.
// A success re-renders the queue (with fresh idempotency keys) and the customers' invoice pages.

function refreshPayments() {
  revalidatePath("/admin/payments");
  revalidatePath("/invoices");
}

export async function verifyPaymentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(verifyPayment, form);
  if (result.ok) refreshPayments();
  return toFormState(result, form, "Payment verified.");
}

export async function rejectPaymentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(rejectPayment, form);
  if (result.ok) refreshPayments();
  return toFormState(result, form, "Payment rejected.");
}

export async function refundPaymentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(refundPayment, form);
  if (result.ok) refreshPayments();
  return toFormState(result, form, "Payment refunded.");
}

/** Money that reached the bank without a remittance; the service allocates it oldest invoice first. */
export async function recordManualPaymentAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(recordManualPayment, form);
  if (result.ok) refreshPayments();
  return toFormState(result, form, "Payment recorded and verified; it pays the company's oldest open invoices first.");
}
