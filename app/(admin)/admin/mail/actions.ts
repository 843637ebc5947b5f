"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { resendMail } from "@/lib/services/mail-resend";

// /admin/mail's form action: send a failed mail again (lib/services/mail-resend.ts validates,
// authorizes, audits and queues it in one transaction).

export async function resendMailAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(resendMail, form);
  if (result.ok) revalidatePath("/admin/mail", "layout");
  return toFormState(result, form, "Queued to be sent again.");
}
