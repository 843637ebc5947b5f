// GET /api/admin/products/export: products with stock as CSV, staff with products.read
import { productsForExport } from "@/db/queries/products";
import { db } from "@/db/client";
import { availability, formatTaxRate, tierText } from "@/lib/domain/catalog";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { withGet } from "@/lib/api";
import { csvStream } from "@/lib/http/csv-stream";
import { logger } from "@/lib/logger";
import { sellerToday } from "@/lib/time-zone";

export const dynamic = "force-dynamic";

// The importer accepts exactly these columns (the last four are ignored), so an export can be edited and re-imported.
const HEADER = [
  "sku",
  "name",
  "description",
  "category",
  "unit",
  "base_price",
  "tax_rate",
  "min_order_quantity",
  "order_multiple",
  "low_stock_threshold",
  "tiers",
  "archived",
  "currency",
  "on_hand",
  "reserved",
  "available",
];

type ExportBatch = ReturnType<typeof productsForExport> extends AsyncGenerator<infer B> ? B : never;

function toRecords(rows: ExportBatch): string[][] {
  return rows.map(({ product: p, onHand, reserved, tiers }) => [
    p.sku,
    p.name,
    p.description,
    p.category,
    p.unit,
    minorToDecimal(p.basePriceMinor, minorDigits(p.currency)),
    formatTaxRate(p.taxRateBp),
    String(p.minOrderQuantity),
    String(p.orderMultiple),
    String(p.lowStockThreshold),
    // One line per tier in the UI; one cell here, and the importer splits on ";" as well as newlines.
    tierText(tiers, p.currency).replaceAll("\n", "; "),
    p.archivedAt ? "yes" : "no",
    p.currency,
    String(onHand),
    String(reserved),
    String(availability(onHand, reserved, p.lowStockThreshold).available),
  ]);
}

export async function GET(request: Request) {
  return withGet(request, { permission: "products.read" }, async ({ actor, request: { requestId } }) => {
    const batches = productsForExport(db);
    const body = csvStream(HEADER, batches, toRecords, (error) => logger.error("product export failed", { requestId, actorId: actor.id, error }));

    const date = sellerToday();
    return new Response(body, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="products-${date}.csv"` },
    });
  });
}
