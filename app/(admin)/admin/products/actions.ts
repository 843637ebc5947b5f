"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { importProducts, MAX_IMPORT_BYTES } from "@/lib/services/product-import";
import { createProduct } from "@/lib/services/products";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// Products show on the staff lists, the dashboard and the catalogue preview, hence the whole /admin tree.

export async function createProductAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(createProduct, form);
  if (!result.ok) return toFormState(result, form);
  revalidatePath("/admin", "layout");
  redirect(`/admin/products/${result.data.id}?created=1`);
}

/**
 * The upload arrives as a File; the service takes the text. The size is checked here first because
 * reading an oversized file into memory is the cost the limit exists to avoid.
 */
export async function importProductsAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const file = form.get("file");
  const idempotencyKey = form.get("idempotencyKey");
  if (!(file instanceof File) || file.size === 0) {
    return { ok: false, code: "validation_failed", error: "Choose a CSV file to import.", fieldErrors: { file: ["Choose a CSV file."] } };
  }
  if (file.size > MAX_IMPORT_BYTES) {
    const limit = `${Math.floor(MAX_IMPORT_BYTES / (1024 * 1024))} MB`;
    return { ok: false, code: "validation_failed", error: `The file is larger than ${limit}.`, fieldErrors: { file: [`Choose a file of at most ${limit}, or split it.`] } };
  }
  const csv = await file.text();
  const result = await performMutation(importProducts, { csv, idempotencyKey: typeof idempotencyKey === "string" ? idempotencyKey : undefined });
  if (!result.ok) return result;
  revalidatePath("/admin", "layout");
  const { rows, created, updated, unchanged } = result.data;
  return { ...result, message: `Imported ${rows} ${rows === 1 ? "row" : "rows"}: ${created} created, ${updated} updated, ${unchanged} unchanged.` };
}
