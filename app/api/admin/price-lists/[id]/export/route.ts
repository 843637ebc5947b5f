// GET /api/admin/price-lists/[id]/export: a price list's contract prices as CSV, staff with products.read
import { stringify } from "csv-stringify/sync";
import { getPriceListDetail } from "@/db/queries/products";
import { db } from "@/db/client";
import { tierText } from "@/lib/domain/catalog";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { slug } from "@/lib/domain/slug";
import { sellerToday } from "@/lib/time-zone";
import { withGet } from "@/lib/api";
import { env } from "@/lib/env";

export const dynamic = "force-dynamic";

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return withGet(request, { permission: "products.read" }, async () => {
    const { id } = await params;
    const detail = await getPriceListDetail(db, id);
    return detail ? priceListCsv(detail) : null;
  });
}

function priceListCsv(detail: NonNullable<Awaited<ReturnType<typeof getPriceListDetail>>>): Response {
  const { list, entries } = detail;
  // Products are priced in the seller's currency; contract prices and tiers in the list's.
  const baseDigits = minorDigits(env().DEFAULT_CURRENCY);
  const listDigits = minorDigits(list.currency);
  const csv = stringify([
    ["sku", "name", "base_price", "contract_price", "tiers", "currency"],
    ...entries.map((e) => [
      e.sku,
      e.name,
      minorToDecimal(e.basePriceMinor, baseDigits),
      minorToDecimal(e.unitPriceMinor, listDigits),
      tierText(e.tiers, list.currency).replaceAll("\n", "; "),
      list.currency,
    ]),
  ]);
  const date = sellerToday();
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="price-list-${slug(list.name) || list.id}-${date}.csv"`,
    },
  });
}
