import { sql } from "drizzle-orm";
import { check, customType, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts";
import { products } from "./catalog";

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => "bytea" });

/**
 * Product images (issue 14), stored in PostgreSQL: the one store a single container and a
 * Vercel-style host (read-only, ephemeral file system, several instances) share without another
 * service. One image per product; replacing it inserts a new row with a new id, so the URLs
 * (/images/products/{id}-{width}.webp) change with the image and can be cached for a year.
 */
export const productImages = pgTable(
  "product_images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    productId: uuid("product_id").notNull().references(() => products.id, { onDelete: "cascade" }),
    /** The uploaded file's size and decoded size, for the staff page and the audit trail. */
    originalBytes: integer("original_bytes").notNull(),
    originalWidth: integer("original_width").notNull(),
    originalHeight: integer("original_height").notNull(),
    originalFormat: text("original_format").notNull(),
    uploadedBy: uuid("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("product_images_product_key").on(t.productId),
    check("product_images_original_bytes_check", sql`${t.originalBytes} between 1 and 5242880`),
    check("product_images_original_size_check", sql`${t.originalWidth} >= 1 and ${t.originalHeight} >= 1`),
    check("product_images_format_check", sql`${t.originalFormat} in ('jpeg', 'png', 'webp')`),
  ],
);

/** The resized WebP renditions of an image, one row per width; etag is a hash of the bytes. */
export const productImageVariants = pgTable(
  "product_image_variants",
  {
    imageId: uuid("image_id").notNull().references(() => productImages.id, { onDelete: "cascade" }),
    width: integer("width").notNull(),
    /** The rendition's real size (never wider than the original: small images are not enlarged). */
    actualWidth: integer("actual_width").notNull(),
    actualHeight: integer("actual_height").notNull(),
    etag: text("etag").notNull(),
    bytes: bytea("bytes").notNull(),
  },
  (t) => [
    primaryKey({ name: "product_image_variants_pkey", columns: [t.imageId, t.width] }),
    check("product_image_variants_width_check", sql`${t.width} in (160, 480, 1200)`),
    check("product_image_variants_actual_check", sql`${t.actualWidth} between 1 and ${t.width} and ${t.actualHeight} >= 1`),
    check("product_image_variants_bytes_check", sql`octet_length(${t.bytes}) between 1 and 5242880`),
    check("product_image_variants_etag_check", sql`${t.etag} ~ '^[0-9a-f]{32}$'`),
  ],
);

export type ProductImage = typeof productImages.$inferSelect;
export type ProductImageVariant = typeof productImageVariants.$inferSelect;
