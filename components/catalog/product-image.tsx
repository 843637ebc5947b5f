import clsx from "clsx";
import { productImagePath, productImageSrcSet } from "@/lib/domain/product-images";

/**
 * The shown sizes, each with its Tailwind box class: a class, not a `style` attribute, because the
 * Content Security Policy (style-src with a nonce) blocks inline style attributes in server HTML.
 */
const boxClass = { 48: "size-12", 56: "size-14", 160: "size-40", 320: "size-80" } as const;
export type ProductImageSize = keyof typeof boxClass;

type Props = {
  imageId: string | null;
  /** The product's name: the image's alt text. */
  name: string;
  /** Shown size in CSS pixels (square box; the image keeps its proportions inside). */
  size: ProductImageSize;
  className?: string;
  /** Below the fold or in long lists: let the browser load it when it comes into view. */
  lazy?: boolean;
};

/**
 * A product's image from its WebP renditions (srcset: the browser picks 160, 480 or 1200 px for the
 * shown size and screen density), or a neutral placeholder when it has none. A plain <img>: the
 * renditions are made at upload time, so next/image's on-demand optimiser is not needed.
 */
export function ProductImage({ imageId, name, size, className, lazy = true }: Props) {
  const box = clsx("shrink-0 rounded-md border border-slate-200 bg-slate-50", boxClass[size], className);
  if (!imageId) {
    return <span aria-hidden="true" data-testid="product-image-placeholder" className={clsx(box, "block")} />;
  }
  return (
    // eslint-disable-next-line @next/next/no-img-element -- pre-sized renditions with srcset; see above
    <img
      src={productImagePath(imageId, size <= 160 ? 160 : size <= 480 ? 480 : 1200)}
      srcSet={productImageSrcSet(imageId)}
      sizes={`${size}px`}
      alt={name}
      width={size}
      height={size}
      loading={lazy ? "lazy" : "eager"}
      decoding="async"
      data-testid="product-image"
      className={clsx(box, "object-contain")}
    />
  );
}
