import "server-only";
import type { Tx } from "@/db/client";
import { activeProductsBySku, isLimited, replaceAssortment } from "@/db/queries/assortments";
import { insertProductImage, productImageOf } from "@/db/queries/product-images";
import { recordAudit } from "./audit";
import { processProductImage } from "./product-images";
import sharp from "sharp";

// Demo data for issue 14: images for one product of each category (drawn here, no network) and one
// company limited to an assortment.

/** The first product of each demo category (seed-catalog.ts numbers them category × 100 + 1). */
const imaged: { sku: string; colour: string }[] = [
  { sku: "FAS-0001", colour: "#64748b" },
  { sku: "HAN-0101", colour: "#b45309" },
  { sku: "POW-0201", colour: "#0f766e" },
  { sku: "SAF-0301", colour: "#ca8a04" },
  { sku: "ELE-0401", colour: "#1d4ed8" },
  { sku: "PLU-0501", colour: "#0e7490" },
  { sku: "ADH-0601", colour: "#7c3aed" },
  { sku: "PAC-0701", colour: "#a16207" },
  { sku: "CLE-0801", colour: "#15803d" },
  { sku: "OFF-0901", colour: "#be123c" },
];

/** Initech sees facilities supplies only, plus one hammer for the caretaker. */
export const initechAssortment = { categories: ["Cleaning", "Office Supplies", "Safety Equipment"], skus: ["HAN-0101"] };

/** A square PNG: a coloured tile with a box outline and the SKU (sharp renders the SVG; no font file needed for the shapes). */
function demoPng(sku: string, colour: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800">
    <rect width="800" height="800" fill="${colour}"/>
    <rect x="200" y="170" width="400" height="330" rx="24" fill="none" stroke="#ffffff" stroke-width="28"/>
    <path d="M200 280 H600 M400 170 V280" stroke="#ffffff" stroke-width="28"/>
    <text x="400" y="640" font-family="sans-serif" font-size="84" font-weight="700" fill="#ffffff" text-anchor="middle">${sku}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Adds what is missing: images of products that have none, Initech's assortment if it has none. Idempotent. */
export async function seedDemoMedia(tx: Tx, initechId: string): Promise<void> {
  const found = await activeProductsBySku(tx, [...imaged.map((i) => i.sku), ...initechAssortment.skus]);
  for (const { sku, colour } of imaged) {
    const product = found.get(sku.toLowerCase());
    if (!product || (await productImageOf(tx, product.id))) continue;
    const processed = await processProductImage(await demoPng(sku, colour));
    if (!processed.ok) throw new Error(`demo image ${sku}: ${processed.error}`);
    const { original, variants } = processed.image;
    const imageId = await insertProductImage(
      tx,
      { productId: product.id, originalBytes: original.bytes, originalWidth: original.width, originalHeight: original.height, originalFormat: original.format, uploadedBy: null },
      variants,
    );
    await recordAudit(tx, { actor: "system", request: null }, { action: "product.image_upload", entityType: "product", entityId: product.id, after: { imageId, sku, format: original.format } });
  }
  if (!(await isLimited(tx, initechId))) {
    const productIds = initechAssortment.skus.flatMap((s) => found.get(s.toLowerCase())?.id ?? []);
    await replaceAssortment(tx, initechId, initechAssortment.categories, productIds);
    await recordAudit(tx, { actor: "system", request: null }, {
      action: "company.assortment_set",
      entityType: "company",
      entityId: initechId,
      companyId: initechId,
      after: { categories: initechAssortment.categories, skus: initechAssortment.skus },
    });
  }
}
