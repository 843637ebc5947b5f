import "server-only";
import { eq, sql } from "drizzle-orm";
import { productImages, productImageVariants, products } from "@/db/schema";
import { queryRows, type DbOrTx } from "@/db/client";
import { productInAssortment } from "@/db/queries/assortments";

export type NewImageVariant = { width: number; actualWidth: number; actualHeight: number; etag: string; bytes: Uint8Array };

/** The product an image is being changed for, locked so two uploads of one product queue. */
export async function lockProductForImage(tx: DbOrTx, productId: string) {
  const [row] = await tx
    .select({ id: products.id, sku: products.sku, name: products.name })
    .from(products)
    .where(eq(products.id, productId))
    .for("update");
  return row ?? null;
}

/** A product's current image: id and what was uploaded. */
export async function productImageOf(db: DbOrTx, productId: string) {
  const [row] = await db
    .select({
      id: productImages.id,
      originalBytes: productImages.originalBytes,
      originalWidth: productImages.originalWidth,
      originalHeight: productImages.originalHeight,
      originalFormat: productImages.originalFormat,
      createdAt: productImages.createdAt,
    })
    .from(productImages)
    .where(eq(productImages.productId, productId));
  return row ?? null;
}

export async function insertProductImage(
  tx: DbOrTx,
  image: { productId: string; originalBytes: number; originalWidth: number; originalHeight: number; originalFormat: string; uploadedBy: string | null },
  variants: NewImageVariant[],
): Promise<string> {
  const [row] = await tx.insert(productImages).values(image).returning({ id: productImages.id });
  await tx.insert(productImageVariants).values(variants.map((v) => ({ imageId: row!.id, ...v })));
  return row!.id;
}

/** Deletes a product's image (its variants go with it, ON DELETE CASCADE). */
export async function deleteProductImageRow(tx: DbOrTx, productId: string): Promise<void> {
  await tx.delete(productImages).where(eq(productImages.productId, productId));
}

/**
 * One rendition for a viewer: staff (companyId null) see every image, a customer only the images of
 * products in its company's assortment (the one predicate of db/queries/assortments.ts). With
 * `ifNoneMatch` equal to the stored ETag the bytes are not read (the route answers 304).
 */
export async function getImageVariant(db: DbOrTx, imageId: string, width: number, viewer: { companyId: string | null }, ifNoneMatch: string | null) {
  const [row] = await queryRows<{ etag: string; bytes: Uint8Array | null }>(
    db,
    sql`select v.etag, case when v.etag = ${ifNoneMatch ?? ""} then null else v.bytes end as bytes
        from product_image_variants v
        join product_images i on i.id = v.image_id
        join products p on p.id = i.product_id
        where v.image_id = ${imageId}::uuid and v.width = ${width} and ${productInAssortment(viewer.companyId, "p")}`,
  );
  return row ?? null;
}
