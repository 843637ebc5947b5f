import "server-only";
import { createHash } from "node:crypto";
import sharp from "sharp";
import { z } from "zod";
import { deleteProductImageRow, insertProductImage, lockProductForImage, productImageOf, type NewImageVariant } from "@/db/queries/product-images";
import { notFound } from "@/lib/domain/errors";
import { uuidField } from "@/lib/domain/forms";
import { acceptedImageFormats, IMAGE_WIDTHS, MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS } from "@/lib/domain/product-images";
import { defineMutation } from "@/lib/mutation";

/**
 * An uploaded image, decoded and resized. Only processProductImage makes one, so the upload
 * mutation can require an instance: its bytes were decoded, never trusted by name or type.
 */
export class ProcessedImage {
  private constructor(
    readonly original: { bytes: number; width: number; height: number; format: (typeof acceptedImageFormats)[number] },
    readonly variants: NewImageVariant[],
  ) {}

  /** @internal processProductImage only. */
  static create(original: ProcessedImage["original"], variants: NewImageVariant[]): ProcessedImage {
    return new ProcessedImage(original, variants);
  }
}

export type ImageProblem = { ok: false; code: "validation_failed"; error: string; fieldErrors: { image: string[] } };

const problem = (message: string): ImageProblem => ({ ok: false, code: "validation_failed", error: message, fieldErrors: { image: [message] } });

const limitMb = `${MAX_IMAGE_BYTES / (1024 * 1024)} MB`;

/**
 * Decodes an upload and renders it at every width of IMAGE_WIDTHS as WebP. The format is what the
 * decoder finds in the bytes (JPEG, PNG or WebP), not the file's name or declared type. Images are
 * turned upright by their EXIF orientation and written without metadata (sharp drops EXIF, XMP,
 * ICC and GPS unless asked to keep them), never enlarged. CPU work, so it runs before the
 * mutation's transaction, not inside it.
 */
export async function processProductImage(bytes: Uint8Array): Promise<{ ok: true; image: ProcessedImage } | ImageProblem> {
  if (bytes.byteLength === 0) return problem("Choose an image file.");
  if (bytes.byteLength > MAX_IMAGE_BYTES) return problem(`The image is larger than ${limitMb}. Choose a file of at most ${limitMb}.`);
  const options = { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" as const };
  let format: string | undefined;
  let width: number | undefined;
  let height: number | undefined;
  let orientation: number | undefined;
  try {
    ({ format, width, height, orientation } = await sharp(bytes, options).metadata());
  } catch {
    return problem("This file is not an image we can read. Upload a JPEG, PNG or WebP image.");
  }
  if (!acceptedImageFormats.includes(format as never) || !width || !height) {
    return problem(`This file is ${format ? `a ${format.toUpperCase()} image` : "not an image we accept"}. Upload a JPEG, PNG or WebP image.`);
  }
  if (width * height > MAX_IMAGE_PIXELS) return problem("The image has too many pixels (at most 40 megapixels).");
  // Orientations 5–8 swap width and height.
  const upright = orientation && orientation >= 5 ? { width: height, height: width } : { width, height };
  try {
    const variants = await Promise.all(
      IMAGE_WIDTHS.map(async (w): Promise<NewImageVariant> => {
        const { data, info } = await sharp(bytes, options)
          .rotate()
          // fastShrinkOnLoad off: the JPEG decoder's shrink-on-load rounds (160 × 321 for a 1:2 image).
          .resize({ width: w, withoutEnlargement: true, fastShrinkOnLoad: false })
          .webp({ quality: 80 })
          .toBuffer({ resolveWithObject: true });
        return { width: w, actualWidth: info.width, actualHeight: info.height, etag: createHash("sha256").update(data).digest("hex").slice(0, 32), bytes: new Uint8Array(data) };
      }),
    );
    return { ok: true, image: ProcessedImage.create({ bytes: bytes.byteLength, ...upright, format: format as ProcessedImage["original"]["format"] }, variants) };
  } catch {
    return problem("This image could not be decoded completely (the file may be cut off). Upload it again or choose another.");
  }
}

const imageField = z.custom<ProcessedImage>((v) => v instanceof ProcessedImage, "Choose an image file.");

/** Sets (or replaces) a product's image. A replacement gets a new id, so its URLs are new too. */
export const uploadProductImage = defineMutation({
  name: "product.image_upload",
  entityType: "product",
  permission: "products.manage",
  input: z.object({ productId: uuidField("product"), image: imageField }),
  async run(ctx, input) {
    const product = await lockProductForImage(ctx.tx, input.productId);
    if (!product) throw notFound("Product", { entityType: "product", entityId: input.productId });
    const before = await productImageOf(ctx.tx, product.id);
    if (before) await deleteProductImageRow(ctx.tx, product.id);
    const { original, variants } = input.image;
    const imageId = await insertProductImage(
      ctx.tx,
      { productId: product.id, originalBytes: original.bytes, originalWidth: original.width, originalHeight: original.height, originalFormat: original.format, uploadedBy: ctx.actor.id },
      variants,
    );
    await ctx.audit({
      action: before ? "product.image_replace" : "product.image_upload",
      entityType: "product",
      entityId: product.id,
      before: before ? { imageId: before.id } : null,
      after: { imageId, sku: product.sku, format: original.format, bytes: original.bytes, width: original.width, height: original.height, renditions: variants.map((v) => `${v.actualWidth}x${v.actualHeight}`) },
    });
    return { imageId, replaced: before !== null };
  },
});

/** Removes a product's image; the catalogue shows a placeholder again. */
export const deleteProductImage = defineMutation({
  name: "product.image_delete",
  entityType: "product",
  permission: "products.manage",
  input: z.object({ productId: uuidField("product") }),
  async run(ctx, input) {
    const product = await lockProductForImage(ctx.tx, input.productId);
    if (!product) throw notFound("Product", { entityType: "product", entityId: input.productId });
    const before = await productImageOf(ctx.tx, product.id);
    if (!before) return { deleted: false };
    await deleteProductImageRow(ctx.tx, product.id);
    await ctx.audit({ action: "product.image_delete", entityType: "product", entityId: product.id, before: { imageId: before.id, sku: product.sku }, after: null });
    return { deleted: true };
  },
});
