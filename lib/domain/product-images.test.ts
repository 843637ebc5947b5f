import { describe, expect, it } from "vitest";
import { parseProductImageFile, productImagePath, productImageSrcSet } from "./product-images";

const id = "0b6f7c1e-3f4a-4d2b-9c8e-1a2b3c4d5e6f";

describe("product image URLs", () => {
  it("round-trips a rendition's path", () => {
    expect(productImagePath(id, 480)).toBe(`/images/products/${id}-480.webp`);
    expect(parseProductImageFile(`${id}-480.webp`)).toEqual({ imageId: id, width: 480 });
  });

  it("refuses widths that are not renditions, other extensions and malformed ids", () => {
    expect(parseProductImageFile(`${id}-481.webp`)).toBeNull();
    expect(parseProductImageFile(`${id}-480.png`)).toBeNull();
    expect(parseProductImageFile(`${id.toUpperCase()}-480.webp`)).toBeNull();
    expect(parseProductImageFile(`../${id}-480.webp`)).toBeNull();
    expect(parseProductImageFile("x-160.webp")).toBeNull();
  });

  it("lists every width in the srcset", () => {
    expect(productImageSrcSet(id)).toBe(
      `/images/products/${id}-160.webp 160w, /images/products/${id}-480.webp 480w, /images/products/${id}-1200.webp 1200w`,
    );
  });
});
