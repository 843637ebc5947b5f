import { sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { rankConverted } from "@/db/queries/analytics/converted";
import { customerRankGroups, productRankGroups, salesDashboardData, topMonths } from "@/db/queries/analytics/sales";
import { monthPeriod } from "@/lib/domain/periods";
import { customerGroupsFromDocuments, productGroupsFromDocuments } from "@/lib/testing/converted-groups";
import { documentFx, toSellerCurrency } from "@/lib/domain/currency";
import { buyerIn, forgetRate, isPostgres, rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { env } from "@/lib/env";
import { invoicedOrder, type InvoicedOrder } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// Issue 15, the sales dashboard's top customers and products across currencies: ranked by booked value
// in the base currency (EUR), each order converted at its accepted quotation's snapshot rate (the demo
// rates, 1 EUR = 1.0832 USD = 0.9415 CHF), showing the own-currency amount and the converted one; a
// customer whose orders kept no rate is named apart, not ranked at 1.
//
// Documents (tax 0, one unit each, a new product per order):
//   EUR  €410,000.00                     → €410,000.00
//   USD  €420,000.07 → US$454,944.08      → 45494408 / 1.0832 = 42000007.4 → €420,000.07
//   CHF  €415,000.33 → CHF 390,722.81     → 39072281 / 0.9415 = 41500032.9 → €415,000.33
//   CHF  €1,000.00   → CHF 941.50, same customer, rate forgotten (older data): not converted
//   USD  €430,000.00 → US$465,776.00, another customer, rate forgotten: not ranked
// By own minor units the order would be USD, EUR, CHF; converted it is USD, CHF, EUR.

setupTestDatabase();

const SELLER = "EUR";



const productOf = async (orderId: string) => (await rows<{ product_id: string }>(sql`select l.product_id from quotation_lines l join quotations q on q.id = l.quotation_id where q.order_id = ${orderId}`))[0]!.product_id;

let eur: InvoicedOrder, usd: InvoicedOrder, chf: InvoicedOrder, chfOld: InvoicedOrder, usdOld: InvoicedOrder;
let ours: string[];

beforeAll(async () => {
  eur = await invoicedOrder("410000.00", { buyer: await buyerIn("EUR", "Ranked EUR", 10000000000n) });
  usd = await invoicedOrder("420000.07", { buyer: await buyerIn("USD", "Ranked USD", 10000000000n) });
  chf = await invoicedOrder("415000.33", { buyer: await buyerIn("CHF", "Ranked CHF", 10000000000n) });
  chfOld = await invoicedOrder("1000.00", { buyer: chf.buyer });
  usdOld = await invoicedOrder("430000.00", { buyer: await buyerIn("USD", "Ranked old USD", 10000000000n) });
  await forgetRate(chfOld.orderId);
  await forgetRate(usdOld.orderId);
  ours = [eur, usd, chf, usdOld].map((d) => d.buyer.companyId);
});

const inList = (ids: string[]) => sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);

/** Rows in one relation and not the other (both ways), and the documents' row count. */
const differences = async (documents: SQL, rollup: SQL) =>
  (await rows<{ n: number; documents: number }>(sql`select
      (select count(*) from ((${documents}) except all (${rollup})) a)::int + (select count(*) from ((${rollup}) except all (${documents})) b)::int as n,
      (select count(*) from (${documents}) c)::int as documents`))[0]!;

describe("top customers and products ranked in the base currency", () => {
  it("the documents hold the amounts and rates above, and toSellerCurrency gives the same conversions", async () => {
    const docs = await rows<{ order_id: string; currency: string; total_minor: string; fx_base: string | null; fx_quote: string | null; fx_rate: string | null; fx_rate_date: string | null; fx_source: string | null }>(
      sql`select order_id, currency::text, total_minor::text, fx_base::text, fx_quote::text, fx_rate::text, fx_rate_date::text, fx_source from quotations
        where order_id in (${sql.join([eur, usd, chf, chfOld, usdOld].map((d) => sql`${d.orderId}::uuid`), sql`, `)}) order by currency, total_minor::bigint`,
    );
    expect(docs.map((d) => [d.currency, d.total_minor, d.fx_rate])).toEqual([
      ["CHF", "94150", null],
      ["CHF", "39072281", "0.9415000000"],
      ["EUR", "41000000", null],
      ["USD", "45494408", "1.0832000000"],
      ["USD", "46577600", null],
    ]);
    const converted = docs.map((d) => toSellerCurrency(BigInt(d.total_minor), d.currency, SELLER, documentFx({ fxBase: d.fx_base, fxQuote: d.fx_quote, fxRate: d.fx_rate, fxRateDate: d.fx_rate_date, fxSource: d.fx_source })));
    expect(converted).toEqual([null, 41500033n, 41000000n, 42000007n, null]);
  });

  it("the rollups hold every customer's and product's booked value converted as the documents give it, order by order and line by line", async () => {
    const clock = sellerClock();
    const top = topMonths(clock.today);
    const endMonth = monthPeriod(top.months[top.months.length - 1]!).from;
    const c = await differences(customerGroupsFromDocuments(top.period, clock, SELLER), customerRankGroups(top.period));
    const p = await differences(productGroupsFromDocuments(top.period, clock, SELLER), productRankGroups(endMonth));
    expect([c.n, p.n]).toEqual([0, 0]);
    expect(c.documents).toBeGreaterThanOrEqual(4);
    expect(p.documents).toBeGreaterThanOrEqual(5);
  });

  it("rankConverted: customers by converted booked value, the partly converted row says what it leaves out, the one without a rate apart", async () => {
    const { period } = topMonths(sellerClock().today);
    const groups = sql`select * from (${customerRankGroups(period)}) g where g.key in (${inList(ours)})`;
    const ranking = await rankConverted(db, groups, SELLER, 5);
    expect(ranking).toEqual({
      currency: "EUR",
      ranked: [
        { key: usd.buyer.companyId, currency: "USD", documents: 1, quantity: 0, minor: 45494408n, convertedMinor: 42000007n, notConverted: { documents: 0, minor: 0n } },
        { key: chf.buyer.companyId, currency: "CHF", documents: 2, quantity: 0, minor: 39166431n, convertedMinor: 41500033n, notConverted: { documents: 1, minor: 94150n } },
        { key: eur.buyer.companyId, currency: "EUR", documents: 1, quantity: 0, minor: 41000000n, convertedMinor: 41000000n, notConverted: { documents: 0, minor: 0n } },
      ],
      unranked: [{ key: usdOld.buyer.companyId, currency: "USD", documents: 1, quantity: 0, minor: 46577600n, convertedMinor: 0n, notConverted: { documents: 1, minor: 46577600n } }],
      moreUnranked: 0,
    });
    // A limit cuts both lists and counts the rows without a rate it leaves out.
    const two = await rankConverted(db, groups, SELLER, 2);
    expect(two.ranked.map((r) => r.currency)).toEqual(["USD", "CHF"]);
    const unrated = sql`select g.key, g.currency, g.orders - g.converted_orders as orders, 0::bigint as quantity, g.unconverted_minor as minor, 0 as converted_orders,
        0::bigint as converted_minor, g.unconverted_minor from (${groups}) g where g.orders > g.converted_orders`;
    const none = await rankConverted(db, unrated, SELLER, 1);
    expect([none.ranked, none.unranked.map((r) => r.key), none.moreUnranked]).toEqual([[], [chf.buyer.companyId], 1]);
  });

  it("rankConverted over products: each booked line at its quotation's rate, with quantities", async () => {
    const top = topMonths(sellerClock().today);
    const products = await Promise.all([usd, chf, eur, chfOld, usdOld].map((d) => productOf(d.orderId)));
    const groups = sql`select * from (${productRankGroups(monthPeriod(top.months[top.months.length - 1]!).from)}) g where g.key in (${inList(products)})`;
    const ranking = await rankConverted(db, groups, SELLER, 5);
    const none = { documents: 0, minor: 0n };
    expect(ranking.ranked).toEqual([
      { key: products[0], currency: "USD", documents: 1, quantity: 1, minor: 45494408n, convertedMinor: 42000007n, notConverted: none },
      { key: products[1], currency: "CHF", documents: 1, quantity: 1, minor: 39072281n, convertedMinor: 41500033n, notConverted: none },
      { key: products[2], currency: "EUR", documents: 1, quantity: 1, minor: 41000000n, convertedMinor: 41000000n, notConverted: none },
    ]);
    // Not ranked, per currency (CHF before USD), largest first.
    expect(ranking.unranked).toEqual([
      { key: products[3], currency: "CHF", documents: 1, quantity: 1, minor: 94150n, convertedMinor: 0n, notConverted: { documents: 1, minor: 94150n } },
      { key: products[4], currency: "USD", documents: 1, quantity: 1, minor: 46577600n, convertedMinor: 0n, notConverted: { documents: 1, minor: 46577600n } },
    ]);
  });

  it("salesDashboardData with the base currency ranks across currencies; without it, the per-currency lists stay", async () => {
    const clock = sellerClock();
    const d = await salesDashboardData(db, clock, SELLER);
    expect(d.topConverted).not.toBeNull();
    const t = d.topConverted!;
    expect(t.currency).toBe("EUR");
    // Ours are the largest bookings of the window; other files' customers may follow them.
    expect(t.customers.ranked.slice(0, 3).map((c) => [c.companyId, c.currency, c.orders, c.minor, c.convertedMinor, c.notConverted.documents])).toEqual([
      [usd.buyer.companyId, "USD", 1, 45494408n, 42000007n, 0],
      [chf.buyer.companyId, "CHF", 2, 39166431n, 41500033n, 1],
      [eur.buyer.companyId, "EUR", 1, 41000000n, 41000000n, 0],
    ]);
    expect(t.customers.ranked[0]!.companyName).toBe(usd.companyName);
    expect(t.customers.ranked.length).toBeLessThanOrEqual(5);
    const oldRow = t.customers.unranked.find((c) => c.companyId === usdOld.buyer.companyId);
    expect(oldRow && [oldRow.companyName, oldRow.currency, oldRow.orders, oldRow.minor]).toEqual([usdOld.companyName, "USD", 1, 46577600n]);
    expect(t.customers.ranked.some((c) => c.companyId === usdOld.buyer.companyId)).toBe(false);
    expect(t.products.ranked.slice(0, 3).map((p) => [p.productId, p.currency, p.quantity, p.convertedMinor])).toEqual([
      [await productOf(usd.orderId), "USD", 1, 42000007n],
      [await productOf(chf.orderId), "CHF", 1, 41500033n],
      [await productOf(eur.orderId), "EUR", 1, 41000000n],
    ]);
    expect(t.products.ranked[0]!.sku).toMatch(/^PAY-/);

    // Without the base currency (the bench, the brute-force test), the lists are per currency as before.
    const plain = await salesDashboardData(db, clock);
    expect(plain.topConverted).toBeNull();
    expect(plain.topCustomers.filter((c) => c.currency === "USD")[0]).toEqual({ currency: "USD", companyId: usdOld.buyer.companyId, companyName: usdOld.companyName, orders: 1, minor: 46577600n });
  });

  it("the rollups convert into the migrate step's DEFAULT_CURRENCY: a change rebuilds them in the new one; the dashboard refuses another", async () => {
    const clock = sellerClock();
    const top = topMonths(clock.today);
    await expect(salesDashboardData(db, clock, "USD")).rejects.toThrow(/sales rollups convert into EUR, not USD/);
    const rollback = new Error("rollback");
    await expect(
      withOwner((owner) =>
        owner.transaction(async (tx) => {
          const first = async <T>(q: SQL) => {
            const r = (await tx.execute(q)) as unknown as T[] | { rows: T[] };
            return (Array.isArray(r) ? r : r.rows)[0]!;
          };
          const differ = (seller: string) =>
            first<{ n: number; documents: number }>(sql`select
              (select count(*) from ((${customerGroupsFromDocuments(top.period, clock, seller)}) except all (${customerRankGroups(top.period)})) a)::int
              + (select count(*) from ((${customerRankGroups(top.period)}) except all (${customerGroupsFromDocuments(top.period, clock, seller)})) b)::int as n,
              (select count(*) from (${customerRankGroups(top.period)}) c)::int as documents`);
          expect(await first<{ changed: boolean }>(sql`select sales_rollups_set_currency('USD') as changed`)).toEqual({ changed: true });
          const usdRollup = await differ("USD");
          expect(usdRollup.n).toBe(0);
          expect(usdRollup.documents).toBeGreaterThan(0);
          // In USD the USD customer's order counts as itself (EUR quotations keep no rate to USD: not converted there).
          const ranked = await first<{ converted_minor: string; converted_orders: number }>(
            sql`select sum(converted_minor)::text as converted_minor, sum(converted_orders)::int as converted_orders from (${customerRankGroups(top.period)}) g where g.key = ${usd.buyer.companyId}::uuid`,
          );
          expect(ranked).toEqual({ converted_minor: "45494408", converted_orders: 1 });
          expect(await first<{ changed: boolean }>(sql`select sales_rollups_set_currency('USD') as changed`)).toEqual({ changed: false });
          await expect(tx.execute(sql`select sales_rollups_set_currency('usd')`)).rejects.toThrow();
          throw rollback;
        }),
      ),
    ).rejects.toBe(rollback);
    expect(await rows<{ currency: string }>(sql`select seller_currency::text as currency from analytics_settings`)).toEqual([{ currency: "EUR" }]);
    if (isPostgres() && env().DATABASE_OWNER_URL) {
      const refusal = await rows(sql`select sales_rollups_set_currency('USD')`).then(
        () => "ran",
        (e: { cause?: { code?: string } }) => e.cause?.code,
      );
      expect(refusal).toBe("42501");
    }
  });
});
