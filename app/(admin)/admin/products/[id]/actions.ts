"use server";

import { revalidatePath } from "next/cache";
import { toFormState, type ActionState } from "@/components/forms/form-state";
import { notAForm, performMutation } from "@/lib/action";
import { adjustStock, receiveStock } from "@/lib/services/inventory";
import { setProductArchived, updateProduct } from "@/lib/services/products";
import { deleteProductImage, processProductImage, uploadProductImage } from "@/lib/services/product-images";
import { MAX_IMAGE_BYTES } from "@/lib/domain/product-images";

// Thin adapters: the services validate, authorize, audit and run in one transaction.
// Revalidating also re-renders the product page, which hands the stock forms a fresh idempotency key.

export async function updateProductAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(updateProduct, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, "Changes saved.");
}

export async function setProductArchivedAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(setProductArchived, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok && result.data.archived ? "Product archived. Customers no longer see it." : "Product restored.");
}

export async function receiveStockAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(receiveStock, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok ? `Stock received. On hand is now ${result.data.onHand}.` : undefined);
}

export async function adjustStockAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(adjustStock, form);
  if (result.ok) revalidatePath("/admin", "layout");
  return toFormState(result, form, result.ok ? `Stock adjusted. On hand is now ${result.data.onHand}.` : undefined);
}

/**
 * The upload arrives as a File. Its size is checked before it is read; decoding and resizing
 * (processProductImage) run before the mutation, so no transaction is held open while sharp works.
 */
export async function uploadProductImageAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const file = form.get("image");
  const productId = form.get("productId");
  if (!(file instanceof File) || file.size === 0) {
    return { ok: false, code: "validation_failed", error: "Choose an image file.", fieldErrors: { image: ["Choose an image file."] } };
  }
  if (file.size > MAX_IMAGE_BYTES) {
    const limit = `${MAX_IMAGE_BYTES / (1024 * 1024)} MB`;
    return { ok: false, code: "validation_failed", error: `The image is larger than ${limit}.`, fieldErrors: { image: [`The image is larger than ${limit}. Choose a file of at most ${limit}.`] } };
  }
  const processed = await processProductImage(new Uint8Array(await file.arrayBuffer()));
  if (!processed.ok) return processed;
  const result = await performMutation(uploadProductImage, { productId, image: processed.image });
  if (result.ok) revalidatePath("/", "layout");
  return result.ok ? { ...result, message: result.data.replaced ? "Image replaced." : "Image uploaded." } : result;
}

export async function deleteProductImageAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  if (!(form instanceof FormData)) return notAForm;
  const result = await performMutation(deleteProductImage, form);
  if (result.ok) revalidatePath("/", "layout");
  return toFormState(result, form, "Image removed.");
}
