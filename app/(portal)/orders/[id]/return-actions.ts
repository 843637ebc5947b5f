"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { requestReturn } from "@/lib/services/returns";

// Thin adapter: the service validates, authorizes (the buyer's own company's order), audits and runs in one transaction.

/** Requests a return: per line `lineNo` + `return_<lineNo>`, and the reason. */
export async function requestReturnAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const lines = form.getAll("lineNo").map((lineNo) => ({ lineNo: String(lineNo), quantity: form.get(`return_${String(lineNo)}`) ?? "" }));
  const result = await performMutation(requestReturn, { orderId: form.get("orderId"), reason: form.get("reason"), idempotencyKey: form.get("idempotencyKey"), lines });
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/", "layout");
  return toFormState(result, form, `Return ${result.data.number} requested. We will tell you when it is approved.`);
}
