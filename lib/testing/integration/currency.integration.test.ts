import { readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { getPricedProduct } from "@/db/queries/catalog";
import { addDays } from "@/lib/domain/dates";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows } from "@/lib/testing/helpers";
import { setupTestDatabase } from "@/lib/testing/helpers";
import { testKey } from "@/lib/testing/invoices";
import { importExchangeRates, recordExchangeRate } from "@/lib/services/exchange-rates";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { recordManualPayment, submitRemittance } from "@/lib/services/payments";
import { createProduct } from "@/lib/services/products";
import { sellerToday } from "@/lib/time-zone";
import { documentPdf } from "@/lib/services/documents";
import { pdfText } from "@/lib/testing/pdf-text";
import type { Actor } from "@/lib/domain/actor";

setupTestDatabase();

const fixture = (name: string) => readFileSync(new URL(`../../domain/fixtures/${name}`, import.meta.url), "utf8");
const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("fx") });

/** A fresh customer company buying in `currency`, and its buyer. */
async function buyerIn(currency: string): Promise<Actor & { companyId: string }> {
  const suffix = `${Date.now()}${Math.random().toString(36).slice(2, 8)}`;
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor, time_zone) values (${`FX ${currency} ${suffix}`}, ${currency}, 100000000, 'Europe/Berlin') returning id`);
  const email = `fx-${suffix}@example.test`;
  await rows(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, 'FX buyer', 'x', 'buyer', ${company!.id})`);
  return (await actorByEmail(email)) as Actor & { companyId: string };
}

async function product(basePrice: string, taxRate: string) {
  const admin = await actorByEmail("admin@demo.test");
  const sku = `FX-${Date.now()}${Math.random().toString(36).slice(2, 6)}`;
  const p = await runMutation(createProduct, as(admin), { sku, name: "Converted widget", category: "FX", basePrice, taxRate });
  if (!p.ok) throw new Error(p.error);
  await runMutation(receiveStock, as(admin), { productId: p.data.id, quantity: "100" });
  return { id: p.data.id, sku };
}

describe("exchange rates: ECB file import and manual entry", () => {
  // The files as the ECB publishes them, moved to 2020 so no demo rate (the last week's) shares their dates.
  const xml = fixture("ecb-eurofxref-daily.xml").replaceAll("2026-12-03", "2020-06-03");
  const csv = fixture("ecb-eurofxref.csv").replace("04 December 2026", "04 June 2020");

  it("imports eurofxref-daily.xml and eurofxref.csv exactly, audited; a second import changes nothing; a correction is counted", async () => {
    const finance = await actorByEmail("finance@demo.test");
    expect(await runMutation(importExchangeRates, as(finance), { file: xml })).toEqual({ ok: true, data: { added: 4, changed: 0, unchanged: 0, dates: ["2020-06-03"] } });
    expect(await runMutation(importExchangeRates, as(finance), { file: csv })).toEqual({ ok: true, data: { added: 4, changed: 0, unchanged: 0, dates: ["2020-06-04"] } });
    expect(await runMutation(importExchangeRates, as(finance), { file: xml })).toEqual({ ok: true, data: { added: 0, changed: 0, unchanged: 4, dates: ["2020-06-03"] } });
    expect(await runMutation(importExchangeRates, as(finance), { file: xml.replace("rate='162.45'", "rate='162.50'") })).toEqual({ ok: true, data: { added: 0, changed: 1, unchanged: 3, dates: ["2020-06-03"] } });
    expect(await rows(sql`select base, quote, rate::text as rate, rate_date::text as date, source from exchange_rates where rate_date between '2020-06-03' and '2020-06-04' order by rate_date, quote`)).toEqual([
      { base: "EUR", quote: "CHF", rate: "0.9415000000", date: "2020-06-03", source: "ECB" },
      { base: "EUR", quote: "GBP", rate: "0.8543000000", date: "2020-06-03", source: "ECB" },
      { base: "EUR", quote: "JPY", rate: "162.5000000000", date: "2020-06-03", source: "ECB" },
      { base: "EUR", quote: "USD", rate: "1.0832000000", date: "2020-06-03", source: "ECB" },
      { base: "EUR", quote: "CHF", rate: "0.9420000000", date: "2020-06-04", source: "ECB" },
      { base: "EUR", quote: "GBP", rate: "0.8551000000", date: "2020-06-04", source: "ECB" },
      { base: "EUR", quote: "JPY", rate: "163.1000000000", date: "2020-06-04", source: "ECB" },
      { base: "EUR", quote: "USD", rate: "1.0850000000", date: "2020-06-04", source: "ECB" },
    ]);
    const audits = await rows<{ after: { added: number; changed: number; corrections: unknown[] } }>(
      sql`select diff->'after' as after from audit_events where action = 'exchange_rate.import' and entity_id = 'ECB/2020-06-03..2020-06-03' order by id`,
    );
    expect(audits.map((a) => [a.after.added, a.after.changed])).toEqual([[4, 0], [0, 0], [0, 1]]);
    expect(audits[2]!.after.corrections).toEqual([{ pair: "EUR/JPY", date: "2020-06-03", before: "162.45", after: "162.5" }]);
  });

  it("refuses a bad file whole, listing every problem, and a sales user", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const before = (await rows<{ n: number }>(sql`select count(*)::int as n from exchange_rates`))[0]!.n;
    const bad = "Date, USD, XYZ,\n05 June 2020, 1.09, 2,\n06 June 2020, abc, 3,\n";
    expect(await runMutation(importExchangeRates, as(finance), { file: bad })).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: "The file has 3 problems; nothing was imported.",
      fieldErrors: { file: ['Line 2, XYZ: "XYZ" is not a known currency code.', 'Line 3, USD: "abc" is not a rate (a positive decimal such as 1.0832).', 'Line 3, XYZ: "XYZ" is not a known currency code.'] },
    });
    expect(await runMutation(importExchangeRates, as(await actorByEmail("sales@demo.test")), { file: xml })).toMatchObject({ ok: false, code: "forbidden" });
    expect((await rows<{ n: number }>(sql`select count(*)::int as n from exchange_rates`))[0]!.n).toBe(before);
  });

  it("records a manual rate with field errors for a bad one, and audits a correction with the rate before", async () => {
    const admin = await actorByEmail("admin@demo.test");
    expect(await runMutation(recordExchangeRate, as(admin), { quote: "EUR", rate: "0", rateDate: addDays(sellerToday(), 1) })).toMatchObject({
      ok: false,
      fieldErrors: { rate: ["Enter a positive decimal such as 1.0832 (up to 10 decimals)."], rateDate: ["A rate cannot be dated in the future."] },
    });
    expect(await runMutation(recordExchangeRate, as(admin), { quote: "eur", rate: "1", rateDate: "2020-01-02" })).toMatchObject({ ok: false, fieldErrors: { quote: ["Choose a currency other than the base currency."] } });
    expect(await runMutation(recordExchangeRate, as(admin), { quote: "NOK", rate: "11.7300", rateDate: "2020-01-02" })).toEqual({ ok: true, data: { rate: "11.73", added: 1, changed: 0, unchanged: 0 } });
    expect(await runMutation(recordExchangeRate, as(admin), { quote: "NOK", rate: "11.73", rateDate: "2020-01-02" })).toEqual({ ok: true, data: { rate: "11.73", added: 0, changed: 0, unchanged: 1 } });
    expect(await runMutation(recordExchangeRate, as(admin), { quote: "NOK", rate: "11.75", rateDate: "2020-01-02" })).toEqual({ ok: true, data: { rate: "11.75", added: 0, changed: 1, unchanged: 0 } });
    expect(await rows(sql`select action, diff->'before' as before, diff->'after' as after from audit_events where entity_id = 'EUR/NOK/2020-01-02/manual' order by id`)).toEqual([
      { action: "exchange_rate.record", before: null, after: { base: "EUR", quote: "NOK", rate: "11.73", rateDate: "2020-01-02", source: "manual" } },
      { action: "exchange_rate.correct", before: { rate: "11.73" }, after: { base: "EUR", quote: "NOK", rate: "11.75", rateDate: "2020-01-02", source: "manual" } },
    ]);
  });
});

describe("selling in the customer's currency", () => {
  it("converts the base price at the latest rate, snapshots it on the quotation and the invoice, and never changes them when rates change", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const buyer = await buyerIn("GBP");
    const today = sellerToday();
    const rateDate = addDays(today, -2);
    // Newer than the 2020 ECB GBP rates above; the newest on or before the date is used.
    expect(await runMutation(recordExchangeRate, as(admin), { quote: "GBP", rate: "0.8543", rateDate })).toMatchObject({ ok: true });
    const p = await product("19.99", "19");

    const shown = await getPricedProduct(db, buyer.companyId, p.sku, today);
    expect(shown!.priceTable[0]!.price).toMatchObject({
      unitPriceMinor: 1708n, // 19.99 × 0.8543 = 17.077457 → £17.08
      currency: "GBP",
      explanation: `List price, converted from €19.99 at 1 EUR = 0.8543 GBP (manual, ${rateDate})`,
    });

    await runMutation(addToCart, as(buyer), { productId: p.id, quantity: "3" });
    const q = await runMutation(submitCart, as(buyer), {});
    if (!q.ok) throw new Error(q.error);
    const quotation = sql`select q.currency, q.subtotal_minor::text as subtotal, q.tax_minor::text as tax, q.total_minor::text as total,
        q.fx_base, q.fx_quote, q.fx_rate::text as fx_rate, q.fx_rate_date::text as fx_rate_date, q.fx_source,
        l.unit_price_minor::text as unit, l.price_explanation from quotations q join quotation_lines l on l.quotation_id = q.id where q.id = ${q.data.quotationId}`;
    const issued = {
      currency: "GBP",
      subtotal: "5124", // 3 × 17.08
      tax: "974", // 19 % of 51.24 = 9.7356 → 9.74
      total: "6098",
      fx_base: "EUR",
      fx_quote: "GBP",
      fx_rate: "0.8543000000",
      fx_rate_date: rateDate,
      fx_source: "manual",
      unit: "1708",
      price_explanation: `List price, converted from €19.99 at 1 EUR = 0.8543 GBP (manual, ${rateDate})`,
    };
    expect(await rows(quotation)).toEqual([issued]);

    // A newer rate, and a correction of the one the quotation used: the catalogue follows, the quotation does not.
    await runMutation(recordExchangeRate, as(admin), { quote: "GBP", rate: "0.9", rateDate: addDays(today, -1) });
    await runMutation(recordExchangeRate, as(admin), { quote: "GBP", rate: "0.8000", rateDate });
    expect((await getPricedProduct(db, buyer.companyId, p.sku, today))!.priceTable[0]!.price.unitPriceMinor).toBe(1799n); // 19.99 × 0.9 = 17.991
    expect(await rows(quotation)).toEqual([issued]);

    expect(await runMutation(acceptQuotation, as(buyer), { orderId: q.data.orderId })).toMatchObject({ ok: true });
    expect(await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.data.orderId })).toMatchObject({ ok: true });
    const [invoice] = await rows<Record<string, string>>(sql`select id, currency, total_minor::text as total, fx_base, fx_quote, fx_rate::text as fx_rate, fx_rate_date::text as fx_rate_date, fx_source from invoices where order_id = ${q.data.orderId}`);
    expect(invoice).toEqual({ id: invoice!.id, currency: "GBP", total: "6098", fx_base: "EUR", fx_quote: "GBP", fx_rate: "0.8543000000", fx_rate_date: rateDate, fx_source: "manual" });

    // The PDFs print the amounts in pounds and the rate they used (the snapshot, not today's 0.9).
    for (const [kind, id] of [["quotation", q.data.quotationId], ["invoice", invoice!.id!]] as const) {
      const text = (await pdfText((await documentPdf(buyer, kind, id))!.pdf)).replace(/\s+/g, " ");
      expect(text, kind).toContain(`Amounts in GBP. Exchange rate used: 1 EUR = 0.8543 GBP (manual, ${rateDate}).`);
      expect(text, kind).toContain("£60.98");
      expect(text, kind).not.toContain("0.9 GBP");
    }

    // Payments are in the invoice's currency only.
    const finance = await actorByEmail("finance@demo.test");
    expect(await runMutation(submitRemittance, as(buyer), { amount: "60.98", currency: "EUR", paidOn: today, allocations: [] })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { currency: ["This company is invoiced in GBP; a payment in EUR cannot be recorded against its invoices. Record the amount in GBP as it was credited, or ask finance."] },
    });
    expect(await runMutation(recordManualPayment, as(finance), { companyId: buyer.companyId, amount: "60.98", currency: "USD", paidOn: today, allocations: [{ invoiceId: invoice!.id, amount: "60.98" }] })).toMatchObject({
      ok: false,
      fieldErrors: { currency: [expect.stringContaining("a payment in USD cannot be recorded")], allocations: [expect.stringMatching(/^INV-\d{4}-\d+ is in GBP; a payment in USD cannot be allocated to it\.$/)] },
    });
    expect(await rows(sql`select count(*)::int as n from payments where company_id = ${buyer.companyId}`)).toEqual([{ n: 0 }]);
    expect(await runMutation(submitRemittance, as(buyer), { amount: "60.98", currency: "GBP", paidOn: today, allocations: [] })).toMatchObject({ ok: true, data: { amountMinor: "6098" } });
  });

  it("refuses to submit when no rate converts the prices, naming the currencies, and keeps the cart", async () => {
    const buyer = await buyerIn("SEK");
    const p = await product("10.00", "0");
    await runMutation(addToCart, as(buyer), { productId: p.id, quantity: "1" });
    const result = await runMutation(submitCart, as(buyer), {});
    expect(result).toMatchObject({ ok: false, code: "validation_failed" });
    expect(!result.ok && result.error).toMatch(/^No exchange rate from EUR to SEK is recorded on or before \d{4}-\d{2}-\d{2}, so prices in EUR cannot be converted to your currency\. Please contact the seller; nothing was submitted\.$/);
    expect(await rows(sql`select count(*)::int as n from cart_lines l join orders o on o.id = l.order_id where o.buyer_id = ${buyer.id}`)).toEqual([{ n: 1 }]);
  });

  it("the demo USD and CHF customers see converted prices at the demo rates", async () => {
    const [liberty] = await rows<{ id: string; currency: string }>(sql`select id, currency from companies where name = 'Liberty Tool Works'`);
    const [helvetia] = await rows<{ id: string; currency: string }>(sql`select id, currency from companies where name = 'Helvetia Präzision AG'`);
    expect([liberty!.currency, helvetia!.currency]).toEqual(["USD", "CHF"]);
    const p = await product("100.00", "19");
    const today = sellerToday();
    expect((await getPricedProduct(db, liberty!.id, p.sku, today))!.priceTable[0]!.price).toMatchObject({ unitPriceMinor: 10832n, currency: "USD" });
    expect((await getPricedProduct(db, helvetia!.id, p.sku, today))!.priceTable[0]!.price).toMatchObject({ unitPriceMinor: 9415n, currency: "CHF" });
  });
});
