"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { importExchangeRates, MAX_RATES_FILE_BYTES, recordExchangeRate } from "@/lib/services/exchange-rates";

// Thin adapters: the services validate, authorize (exchange_rates.manage), audit and run in one transaction.
// Rates change the prices customers in other currencies see, hence the whole tree.

export async function recordExchangeRateAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(recordExchangeRate, form);
  if (result.ok) revalidatePath("/", "layout");
  if (!result.ok) return toFormState(result, form);
  const { added, changed, rate } = result.data;
  return { ...result, message: added ? `Rate ${rate} recorded.` : changed ? `Rate corrected to ${rate}.` : `The rate ${rate} was already recorded.` };
}

/** The upload arrives as a File; its size is checked before it is read into memory. */
export async function importExchangeRatesAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const file = form.get("file");
  const idempotencyKey = form.get("idempotencyKey");
  if (!(file instanceof File) || file.size === 0) {
    return { ok: false, code: "validation_failed", error: "Choose an ECB rates file to import.", fieldErrors: { file: ["Choose an ECB rates file (XML or CSV)."] } };
  }
  if (file.size > MAX_RATES_FILE_BYTES) {
    return { ok: false, code: "validation_failed", error: "The file is larger than 5 MB.", fieldErrors: { file: ["Choose a file of at most 5 MB."] } };
  }
  const result = await performMutation(importExchangeRates, { file: await file.text(), idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : undefined });
  if (!result.ok) return result;
  revalidatePath("/", "layout");
  const { added, changed, unchanged, dates } = result.data;
  const span = dates.length === 1 ? dates[0] : `${dates[0]} to ${dates.at(-1)}`;
  return { ...result, message: `Imported rates of ${span}: ${added} added, ${changed} corrected, ${unchanged} unchanged.` };
}
