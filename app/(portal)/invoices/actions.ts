"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { formatMoney } from "@/lib/domain/money";
import { env } from "@/lib/env";
import { submitRemittance } from "@/lib/services/payments";

const ALLOCATION_PREFIX = "allocation_";

function text(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  return typeof value === "string" ? value : undefined;
}

// Thin adapter: the service checks the permission, the company's open invoices and the amounts.
// Per-invoice amounts arrive as `allocation_<invoiceId>` fields; empty ones mean "not this invoice",
// and none at all means "oldest invoices first".
export async function recordRemittanceAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const allocations: { invoiceId: string; amount: string }[] = [];
  for (const [key, value] of form.entries()) {
    if (!key.startsWith(ALLOCATION_PREFIX) || typeof value !== "string" || value.trim() === "") continue;
    allocations.push({ invoiceId: key.slice(ALLOCATION_PREFIX.length), amount: value });
  }
  const result = await performMutation(submitRemittance, {
    idempotencyKey: text(form, "idempotencyKey"),
    amount: text(form, "amount"),
    paidOn: text(form, "paidOn"),
    reference: text(form, "reference"),
    note: text(form, "note"),
    allocations,
  });
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/invoices");
  revalidatePath("/admin/payments");
  // The currency field only words the confirmation; the service used the company's own currency.
  const typed = text(form, "currency") ?? "";
  const currency = /^[A-Z]{3}$/.test(typed) ? typed : env().DEFAULT_CURRENCY;
  const amount = formatMoney(BigInt(result.data.amountMinor), currency);
  return toFormState(result, form, `Payment of ${amount} recorded; we will verify it against our bank account.`);
}
