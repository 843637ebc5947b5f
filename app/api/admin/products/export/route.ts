// GET /api/admin/products/export: products with stock as CSV, staff with products.read
import { stringify } from "csv-stringify/sync";
import { productsForExport } from "@/db/queries/products";
import { db } from "@/db/client";
import { availability, formatTaxRate, tierText } from "@/lib/domain/catalog";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { withGet } from "@/lib/api";
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
    const encoder = new TextEncoder();
    // Pull-based: the next batch is read only when the client has taken the previous one, so a
    // catalogue of 100k products never sits in memory at once and a slow client slows the reads.
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(stringify([HEADER])));
      },
      async pull(controller) {
        try {
          const next = await batches.next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(stringify(toRecords(next.value))));
        } catch (error) {
          // Headers are already sent; erroring the stream makes the download fail rather than look complete.
          logger.error("product export failed", { requestId, actorId: actor.id, error });
          controller.error(error);
        }
      },
      async cancel() {
        await batches.return(undefined);
      },
    });

    const date = sellerToday();
    return new Response(body, {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="products-${date}.csv"` },
    });
  });
}
