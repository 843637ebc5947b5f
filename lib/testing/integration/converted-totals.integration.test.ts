import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, queryRows } from "@/db/client";
import {
  bookedConvertedTotals,
  bookedWithRates,
  collectedWithRates,
  convertedMinorSql,
  convertedTotals,
  financeConvertedTotals,
  invoicedWithRates,
  receivablesWithRates,
} from "@/db/queries/analytics/converted";
import { documentFx, toSellerCurrency } from "@/lib/domain/currency";
import { minorDigits } from "@/lib/domain/money";
import { monthOf, monthPeriod } from "@/lib/domain/periods";
import { runMutation } from "@/lib/mutation";
import { recordManualPayment } from "@/lib/services/payments";
import { actorByEmail, buyerIn, forgetRate, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// Converted totals (issue 15): documents in EUR, USD and CHF made through the services at the demo
// rates (1 EUR = 1.0832 USD, 0.9415 CHF), converted back into EUR in SQL at each document's snapshot
// rate, exact to the cent and equal to toSellerCurrency on the same documents; a USD document whose
// rate was never kept (older data) is named as not converted, not counted at 1.

setupTestDatabase();

const SELLER = "EUR";



describe("converted totals in the base currency", () => {
  it("convertedMinorSql equals toSellerCurrency: both directions, ties, negatives (credit notes), JPY and KWD", async () => {
    // A fixed pseudo-random sample plus the hand-picked edge cases.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const rates = ["1.0832", "0.9415", "2", "0.5", "162.5", "0.3072", "1.2345678901", "0.0000000001", "123456789012.5"];
    const cases: { amount: bigint; currency: string; base: string | null; quote: string | null; rate: string | null }[] = [
      { amount: 5n, currency: "USD", base: "USD", quote: "EUR", rate: "0.5" }, // 2.5 → 3
      { amount: -5n, currency: "USD", base: "USD", quote: "EUR", rate: "0.5" }, // −2.5 → −3
      { amount: 3n, currency: "USD", base: "EUR", quote: "USD", rate: "2" }, // 1.5 → 2
      { amount: 1999n, currency: "EUR", base: null, quote: null, rate: null }, // seller's currency: 1
      { amount: 1999n, currency: "USD", base: null, quote: null, rate: null }, // no rate: null
      { amount: 1999n, currency: "USD", base: "EUR", quote: "CHF", rate: "0.9415" }, // another pair: null
      { amount: 12345n, currency: "JPY", base: "EUR", quote: "JPY", rate: "162.5" },
      { amount: 12345n, currency: "KWD", base: "EUR", quote: "KWD", rate: "0.3072" },
    ];
    for (let i = 0; i < 400; i++) {
      const currency = ["USD", "CHF", "JPY", "KWD"][next() % 4]!;
      const rate = rates[next() % rates.length]!;
      const direct = next() % 2 === 0;
      const amount = BigInt(next() % 100_000_000) * (next() % 5 === 0 ? -1n : 1n);
      cases.push({ amount, currency, base: direct ? SELLER : currency, quote: direct ? currency : SELLER, rate });
    }
    const values = sql.join(
      cases.map((c, i) => sql`(${i}::int, ${c.amount.toString()}::bigint, ${c.currency}::text, ${c.base}::text, ${c.quote}::text, ${c.rate}::numeric(22,10))`),
      sql`, `,
    );
    const got = await queryRows<{ i: number; converted: string | null }>(
      db,
      sql`select v.i, (${convertedMinorSql({ amount: sql`v.amount`, currency: sql`v.currency`, fxBase: sql`v.base`, fxQuote: sql`v.quote`, fxRate: sql`v.rate` }, SELLER)})::text as converted
        from (values ${values}) v(i, amount, currency, base, quote, rate) order by v.i`,
    );
    const expected = cases.map((c, i) => {
      const fx = c.rate === null ? null : { base: c.base!, quote: c.quote!, rate: c.rate, rateDate: "2026-12-01", source: "test" };
      const v = toSellerCurrency(c.amount, c.currency, SELLER, fx);
      return { i, converted: v === null ? null : v.toString() };
    });
    expect(got.map((g) => ({ i: g.i, converted: g.converted === null ? null : BigInt(g.converted).toString() }))).toEqual(expected);
    expect(expected.slice(0, 6).map((e) => e.converted)).toEqual(["3", "-3", "2", "1999", null, null]);
  });

  it("the database's currency_minor_digits (migration 0034) gives every three-letter code the digits minorDigits gives it", async () => {
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const codes = [...letters].flatMap((a) => [...letters].flatMap((b) => [...letters].map((c) => a + b + c)));
    const inDb = await queryRows<{ code: string; digits: number }>(db, sql`select c as code, currency_minor_digits(c) as digits from unnest(string_to_array(${codes.join(",")}, ',')) c`);
    const differ = inDb.filter((r) => r.digits !== minorDigits(r.code)).map((r) => `${r.code}: ${r.digits} in SQL, ${minorDigits(r.code)} in Intl`);
    expect(differ).toEqual([]);
    expect(inDb).toHaveLength(17_576);
    expect(inDb.filter((r) => r.digits !== 2).length).toBeGreaterThan(30);
  });

  it("invoiced, outstanding and booked: EUR, USD and CHF documents exact to the cent, a USD document without a rate not converted", async () => {
    const clock = sellerClock();
    const month = monthPeriod(monthOf(clock.today));

    const eur = await buyerIn("EUR", "Converted EUR");
    const usd = await buyerIn("USD", "Converted USD");
    const chf = await buyerIn("CHF", "Converted CHF");
    const old = await buyerIn("USD", "Converted USD");
    // A base price of €19.99 is 21.65 USD (19.99 × 1.0832 = 21.653168) and 18.82 CHF (19.99 × 0.9415 = 18.820585).
    const docs = [await invoicedOrder("19.99", { buyer: eur }), await invoicedOrder("19.99", { buyer: usd }), await invoicedOrder("19.99", { buyer: chf }), await invoicedOrder("19.99", { buyer: old })];
    await forgetRate(docs[3]!.orderId);
    const ids = docs.map((d) => d.buyer.companyId);
    const inOurs = (relation: ReturnType<typeof sql>) => sql`select * from (${relation}) y where y.company_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`;

    const invoices = await rows<{ total_minor: string; currency: string; fx_base: string | null; fx_quote: string | null; fx_rate: string | null; fx_rate_date: string | null; fx_source: string | null }>(
      sql`select total_minor::text, currency::text, fx_base::text, fx_quote::text, fx_rate::text, fx_rate_date::text, fx_source from invoices where order_id in (${sql.join(docs.map((d) => sql`${d.orderId}::uuid`), sql`, `)}) order by total_minor`,
    );
    expect(invoices.map((i) => [i.currency, i.total_minor, i.fx_rate])).toEqual([
      ["CHF", "1882", "0.9415000000"],
      ["EUR", "1999", null],
      ["USD", "2165", "1.0832000000"],
      ["USD", "2165", null],
    ]);
    // toSellerCurrency on the same documents: 1882 / 0.9415 = 1998.93 → 1999; 2165 / 1.0832 = 1998.71 → 1999.
    const inTs = invoices.map((i) =>
      toSellerCurrency(BigInt(i.total_minor), i.currency, SELLER, documentFx({ fxBase: i.fx_base, fxQuote: i.fx_quote, fxRate: i.fx_rate, fxRateDate: i.fx_rate_date, fxSource: i.fx_source })),
    );
    expect(inTs).toEqual([1999n, 1999n, 1999n, null]);

    const expected = { currency: "EUR", minor: 5997n, documents: 3, notConverted: [{ currency: "USD", documents: 1, minor: 2165n }], currencies: ["CHF", "EUR", "USD"] };
    const invoiced = await convertedTotals(db, inOurs(invoicedWithRates(month)), SELLER, { all: sql`true` });
    expect(invoiced.all).toEqual(expected);
    expect(invoiced.all.minor).toBe(inTs.reduce<bigint>((s, v) => s + (v ?? 0n), 0n));
    expect((await convertedTotals(db, inOurs(receivablesWithRates()), SELLER, { all: sql`true` })).all).toEqual(expected);
    expect((await convertedTotals(db, inOurs(bookedWithRates(month, clock)), SELLER, { all: sql`true` })).all).toEqual(expected);

    // Collected: each payment at the rate of the invoice it pays. 10.00 USD / 1.0832 = 9.2319 → €9.23;
    // 18.82 CHF pays the CHF invoice in full (€19.99); 5.00 USD on the invoice without a rate is not converted.
    const finance = await actorByEmail("finance@demo.test");
    const pay = async (i: number, amount: string) => {
      const r = await runMutation(recordManualPayment, { actor: finance, request: request(), idempotencyKey: testKey("conv") }, { companyId: ids[i]!, amount, paidOn: clock.today, allocations: [{ invoiceId: docs[i]!.invoice.id, amount }] });
      if (!r.ok) throw new Error(r.error);
    };
    await pay(0, "19.99");
    await pay(1, "10.00");
    await pay(2, "18.82");
    await pay(3, "5.00");
    expect((await convertedTotals(db, inOurs(collectedWithRates(month)), SELLER, { all: sql`true` })).all).toEqual({
      currency: "EUR",
      minor: 1999n + 923n + 1999n,
      documents: 3,
      notConverted: [{ currency: "USD", documents: 1, minor: 500n }],
      currencies: ["CHF", "EUR", "USD"],
    });
    // What is still outstanding, each at its invoice's rate: 11.65 USD / 1.0832 = 10.755 → €10.76.
    expect((await convertedTotals(db, inOurs(receivablesWithRates()), SELLER, { all: sql`true` })).all).toEqual({
      currency: "EUR",
      minor: 1076n,
      documents: 1,
      notConverted: [{ currency: "USD", documents: 1, minor: 1665n }],
      currencies: ["USD"],
    });

    // What the dashboards read is kept at write time (booked: the sales rollups, migration 0034;
    // invoiced, collected, outstanding: converted_entries and receivable_balances, migration 0035):
    // these documents' rows hold exactly the conversions above, written by the triggers.
    const paymentIds = (await rows<{ id: string }>(sql`select id from payments where company_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`)).map((p) => p.id);
    const sources = [...docs.map((d) => d.invoice.id), ...paymentIds];
    const kept = await rows<{ figure: string; currency: string; amount_minor: string; converted_minor: string | null }>(
      sql`select figure, currency::text, amount_minor::text, converted_minor::text from converted_entries
        where source_id in (${sql.join(sources.map((id) => sql`${id}::uuid`), sql`, `)}) order by figure, currency, amount_minor::bigint, converted_minor nulls last`,
    );
    expect(kept.map((k) => [k.figure, k.currency, k.amount_minor, k.converted_minor])).toEqual([
      ["collected", "CHF", "1882", "1999"],
      ["collected", "EUR", "1999", "1999"],
      ["collected", "USD", "500", null],
      ["collected", "USD", "1000", "923"],
      ["invoiced", "CHF", "1882", "1999"],
      ["invoiced", "EUR", "1999", "1999"],
      ["invoiced", "USD", "2165", "1999"],
      ["invoiced", "USD", "2165", null],
    ]);
    expect(
      await rows(sql`select currency::text, outstanding_minor::text, converted_minor::text from receivable_balances
        where company_id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)}) order by outstanding_minor`),
    ).toEqual([
      { currency: "USD", outstanding_minor: "1165", converted_minor: "1076" },
      { currency: "USD", outstanding_minor: "1665", converted_minor: null },
    ]);
    // And over the whole database, in one snapshot (other files write concurrently), the dashboards'
    // totals equal the documents converted at query time.
    await db.transaction(
      async (tx) => {
        const finance = await financeConvertedTotals(tx, clock, SELLER);
        const booked = await bookedConvertedTotals(tx, clock, SELLER);
        const thisMonth = monthPeriod(monthOf(clock.today));
        const window = finance.window;
        const fromDocuments = {
          invoiced: await convertedTotals(tx, invoicedWithRates({ from: window.from < thisMonth.from ? window.from : thisMonth.from, to: thisMonth.to }), SELLER, {
            thisMonth: sql`x.on_date between ${thisMonth.from}::date and ${thisMonth.to}::date`,
            window: sql`x.on_date between ${window.from}::date and ${window.to}::date`,
          }),
          outstanding: await convertedTotals(tx, receivablesWithRates(), SELLER, { all: sql`true` }),
          collected: await convertedTotals(tx, collectedWithRates(thisMonth), SELLER, { all: sql`true` }),
          booked: await convertedTotals(tx, bookedWithRates(thisMonth, clock), SELLER, { all: sql`true` }),
        };
        expect(finance.invoicedThisMonth).toEqual(fromDocuments.invoiced.thisMonth);
        expect(finance.invoicedWindow).toEqual(fromDocuments.invoiced.window);
        expect(finance.outstanding).toEqual(fromDocuments.outstanding.all);
        expect(finance.collectedThisMonth).toEqual(fromDocuments.collected.all);
        expect(booked.thisMonth).toEqual(fromDocuments.booked.all);
        expect(finance.outstanding.notConverted.some((n) => n.currency === "USD")).toBe(true);
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
  });
});
