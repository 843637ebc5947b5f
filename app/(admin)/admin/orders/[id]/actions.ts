"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { approveOrder, rejectOrder } from "@/lib/services/orders/approvals";
import { addOrderNote, cancelOrderByStaff, deliverOrder, shipOrder } from "@/lib/services/orders/fulfilment";
import { reviseQuotation } from "@/lib/services/orders/quotations";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// An order shows on staff and customer pages alike, hence the whole tree is revalidated. A change of
// state redirects back to the order with a notice code: the form that was used may no longer be shown
// in the new state, so its own state could not carry the success message.

function done(orderId: string, notice: string): never {
  revalidatePath("/", "layout");
  redirect(`/admin/orders/${orderId}?done=${notice}`);
}

export async function approveOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(approveOrder, form);
  if (!result.ok) return toFormState(result, form);
  done(result.data.orderId, result.data.status === "approved" ? "approved" : `approved-${result.data.step}`);
}

export async function rejectOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(rejectOrder, form);
  if (!result.ok) return toFormState(result, form);
  done(result.data.orderId, "rejected");
}

/** Builds the service's line list from the per-line fields `quantity_<lineNo>`, `unitPrice_<lineNo>`, `discountPercent_<lineNo>`. */
function revisedLines(form: FormData) {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === "string" ? v : "";
  };
  const lines: { lineNo: string; quantity: string | undefined; unitPrice: string; discountPercent: string }[] = [];
  for (const key of form.keys()) {
    const m = /^quantity_(\d{1,6})$/.exec(key);
    if (!m) continue;
    const lineNo = m[1]!;
    const quantity = text(key).trim();
    lines.push({
      lineNo,
      // An emptied field must not read as 0 (which removes the line): left undefined, it fails as "Enter a quantity."
      quantity: quantity === "" ? undefined : quantity,
      unitPrice: text(`unitPrice_${lineNo}`),
      discountPercent: text(`discountPercent_${lineNo}`),
    });
  }
  return lines;
}

export async function reviseQuotationAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(reviseQuotation, { orderId: form.get("orderId"), version: form.get("version"), reason: form.get("reason"), lines: revisedLines(form) });
  if (!result.ok) return toFormState(result, form);
  done(result.data.orderId, "revised");
}

/** Ships what the form asks for: per line `lineNo` + `quantity_<lineNo>`; a form without lines ships everything remaining. */
export async function shipOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const lineNos = form.getAll("lineNo").map(String);
  const lines = lineNos.length > 0 ? lineNos.map((lineNo) => ({ lineNo, quantity: form.get(`quantity_${lineNo}`) ?? "" })) : undefined;
  const result = await performMutation(shipOrder, {
    orderId: form.get("orderId"),
    carrier: form.get("carrier"),
    trackingNumber: form.get("trackingNumber"),
    idempotencyKey: form.get("idempotencyKey"),
    lines,
  });
  if (!result.ok) return toFormState(result, form);
  done(result.data.orderId, result.data.status === "shipped" ? "shipped" : "partly-shipped");
}

export async function deliverOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deliverOrder, form);
  if (!result.ok) return toFormState(result, form);
  done(result.data.orderId, "delivered");
}

export async function cancelOrderAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(cancelOrderByStaff, form);
  if (!result.ok) return toFormState(result, form);
  done(result.data.orderId, "cancelled");
}

export async function addOrderNoteAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(addOrderNote, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Internal note added.");
}
