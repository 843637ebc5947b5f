"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { approveReturn, receiveReturn, rejectReturn } from "@/lib/services/returns";

// Thin adapters: the services validate, authorize (orders.fulfil), audit and run in one transaction.

export async function approveReturnAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(approveReturn, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/", "layout");
  return toFormState(result, form, `Return ${result.data.number} approved.`);
}

export async function rejectReturnAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(rejectReturn, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/", "layout");
  return toFormState(result, form, `Return ${result.data.number} rejected.`);
}

export async function receiveReturnAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(receiveReturn, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/", "layout");
  return toFormState(result, form, `Return ${result.data.number} received: stock is back and credit note ${result.data.creditNoteNumber} was issued.`);
}
