// GET /api/admin/price-lists/[id]/export: a price list's contract prices as CSV, staff with products.read
import { stringify } from "csv-stringify/sync";
import { getPriceListDetail } from "@/db/queries/products";
import { db } from "@/db/client";
import { tierText } from "@/lib/domain/catalog";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { env } from "@/lib/env";
import { getActor } from "@/lib/session";
import { slug } from "@/lib/domain/slug";
import { sellerDateToday } from "@/lib/time-zone";

export const dynamic = "force-dynamic";

const noStore = { "cache-control": "no-store" };

export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }) {
  const actor = await getActor();
  if (!actor) return Response.json({ code: "unauthenticated", error: "Sign in to export price lists." }, { status: 401, headers: noStore });
  if (!can(actor.role, "products.read")) return Response.json({ code: "not_found", error: "Not found." }, { status: 404, headers: noStore });

  const { id } = await params;
  const detail = await getPriceListDetail(db, id);
  if (!detail) return Response.json({ code: "not_found", error: "Price list not found." }, { status: 404, headers: noStore });

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
  const date = sellerDateToday();
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="price-list-${slug(list.name) || list.id}-${date}.csv"`,
      ...noStore,
    },
  });
}
