import { isUuid } from "./ids";

// Product images (issue 14): the renditions and their URLs. Pure: used by the service, the route
// and the components that show images.

/** The widths every uploaded image is resized to (WebP); a CHECK on product_image_variants holds the same list. */
export const IMAGE_WIDTHS = [160, 480, 1200] as const;
export type ImageWidth = (typeof IMAGE_WIDTHS)[number];

/** The largest upload accepted (the original file, before resizing). */
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
/** Decoded pixels at most (a 5 MB file can still decode to a huge bitmap: a decompression bomb). */
export const MAX_IMAGE_PIXELS = 40_000_000;

export const acceptedImageFormats = ["jpeg", "png", "webp"] as const;

/** A rendition's file name, the last segment of its URLs (the portal's and the API's). */
export function productImageFile(imageId: string, width: ImageWidth): string {
  return `${imageId}-${width}.webp`;
}

/** The URL of one rendition. The id changes when the image is replaced, so the URL can be cached for good. */
export function productImagePath(imageId: string, width: ImageWidth): string {
  return `/images/products/${productImageFile(imageId, width)}`;
}

/** What a rendition's file name looks like (for a published API parameter pattern). */
export const PRODUCT_IMAGE_FILE_PATTERN = `^[0-9a-f-]{36}-(${IMAGE_WIDTHS.join("|")})\\.webp$`;

const fileName = /^([0-9a-f-]{36})-(\d+)\.webp$/;

/** The image id and width in a rendition's file name (as productImagePath writes it), or null for anything else. */
export function parseProductImageFile(name: string): { imageId: string; width: ImageWidth } | null {
  const m = fileName.exec(name);
  if (!m || !isUuid(m[1]!)) return null;
  const width = Number(m[2]);
  return (IMAGE_WIDTHS as readonly number[]).includes(width) ? { imageId: m[1]!, width: width as ImageWidth } : null;
}

/** srcset for an <img>: every rendition with its width. */
export function productImageSrcSet(imageId: string): string {
  return IMAGE_WIDTHS.map((w) => `${productImagePath(imageId, w)} ${w}w`).join(", ");
}
