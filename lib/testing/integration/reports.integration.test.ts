import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { runReport, type ReportInput } from "@/db/queries/analytics/reports";
import type { Actor } from "@/lib/domain/actor";
import { monthPeriod, previousMonth } from "@/lib/domain/periods";
import { runMutation } from "@/lib/mutation";
import { csvRecords, reportView } from "@/lib/reports/views";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { recordManualPayment } from "@/lib/services/payments";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The reports on known documents made through the real services: one EUR company (two invoiced
// orders, a third invoiced then cancelled with a credit note, a partial payment) and one JPY
// company (one invoiced order). Figures are asserted exactly for each company, and the JPY one
// also unfiltered: no other test writes yen documents, so its currency is separated exactly.

setupTestDatabase();

/** An invoiced order in JPY for a fresh yen company: a JPY price list holds the product's price. */
async function yenInvoicedOrder(price: string) {
  const admin = await actorByEmail("admin@demo.test");
  const sales = await actorByEmail("sales@demo.test");
  const suffix = testKey("yen");
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Yen ${suffix}`}, 'JPY', 100000000) returning id`);
  const [user] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role, company_id) values (${`${suffix}@example.test`}, 'Yen buyer', 'x', 'buyer', ${company!.id}) returning id`);
  const buyer: Actor = { id: user!.id, email: `${suffix}@example.test`, name: "Yen buyer", role: "buyer", companyId: company!.id };
  const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("r") });
  const ok = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
    if (!r.ok) throw new Error(r.error);
    return r.data;
  };
  const product = ok(await runMutation(createProduct, as(admin), { sku: `YEN-${suffix}`, name: "Yen widget", category: `Yen cat ${suffix}`, basePrice: "1.00", taxRate: "0" }));
  await runMutation(receiveStock, as(admin), { productId: product.id, quantity: "10" });
  const list = ok(await runMutation(createPriceList, as(admin), { name: `Yen list ${suffix}`, currency: "JPY", validFrom: "2000-01-01", validTo: "" }));
  ok(await runMutation(upsertPriceListEntry, as(admin), { priceListId: list.id, sku: `YEN-${suffix}`, unitPrice: price, tiers: "" }));
  ok(await runMutation(setPriceListAssignment, as(admin), { priceListId: list.id, companyId: company!.id, assigned: "true" }));
  ok(await runMutation(addToCart, as(buyer), { productId: product.id, quantity: "1" }));
  const q = ok(await runMutation(submitCart, as(buyer), {}));
  ok(await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId }));
  ok(await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.orderId }));
  return { companyId: company!.id, orderId: q.orderId };
}

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) * p;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return s[lo]! + (s[hi]! - s[lo]!) * (at - lo);
}

describe("reports", () => {
  it("revenue, products, categories, pipeline, ageing and cycle times of one company; currencies kept apart", async () => {
    const clock = sellerClock();
    const today = clock.today;
    const month = today.slice(0, 7);
    const first = await invoicedOrder("100.00");
    const second = await invoicedOrder("40.00", { buyer: first.buyer });
    const third = await invoicedOrder("7.00", { buyer: first.buyer });
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const paid = await runMutation(recordManualPayment, { actor: finance, request: request(), idempotencyKey: testKey("pay") }, {
      companyId: first.buyer.companyId,
      amount: "30.00",
      paidOn: today,
      allocations: [{ invoiceId: first.invoice.id, amount: "30.00" }],
    });
    expect(paid.ok).toBe(true);
    const cancelled = await runMutation(cancelOrderByStaff, { actor: sales, request: request(), idempotencyKey: testKey("cancel") }, { orderId: third.orderId, reason: "Customer went elsewhere" });
    expect(cancelled.ok).toBe(true);
    const yen = await yenInvoicedOrder("5500");

    const eur: ReportInput = { period: { from: today, to: today }, companyId: first.buyer.companyId, currency: null };
    const run = (name: Parameters<typeof runReport>[1], input: ReportInput = eur) => runReport(db, name, input, clock);

    // Revenue by month: the cancelled order is not booked; its invoice and credit note cancel out.
    const byMonth = await run("revenue-by-month");
    expect(byMonth).toEqual({ name: "revenue-by-month", currencies: ["EUR"], currency: "EUR", rows: [{ month, bookedMinor: 14000n, invoicedMinor: 14000n, collectedMinor: 3000n }] });
    // Asking for a currency the company has none of shows the one it has.
    expect((await run("revenue-by-month", { ...eur, currency: "JPY" })).currency).toBe("EUR");
    // Over the last twelve months every month is listed; only this one has figures.
    const year = await run("revenue-by-month", { ...eur, period: { from: `${month}-01`, to: today } });
    expect(year.rows).toHaveLength(1);

    expect((await run("revenue-by-customer")).rows).toEqual([{ companyId: first.buyer.companyId, companyName: first.companyName, bookedMinor: 14000n, invoicedMinor: 14000n, collectedMinor: 3000n }]);

    const products = await run("revenue-by-product");
    expect(products.rows.map((r) => "sku" in r && [r.quantity, r.invoicedMinor])).toEqual([
      [1, 10000n],
      [1, 4000n],
      [0, 0n], // invoiced 7.00 and credited 7.00
    ]);
    expect(await run("revenue-by-category")).toEqual({ name: "revenue-by-category", currencies: ["EUR"], currency: "EUR", rows: [{ category: "Pay", quantity: 2, invoicedMinor: 14000n }] });

    const pipeline = await run("sales-pipeline");
    expect(pipeline.rows.filter((r) => "stage" in r && r.orders > 0)).toEqual([
      { stage: "approved", orders: 2, valueMinor: 14000n },
      { stage: "cancelled", orders: 1, valueMinor: 700n },
    ]);
    expect(pipeline.rows).toHaveLength(11); // every stage but the cart, empty ones with 0

    // Ageing at today: 100 − 30 and 40 outstanding, not yet due; the credited invoice owes nothing.
    const ageing = await run("receivables-ageing");
    expect(ageing.rows).toEqual([{ asOf: today, buckets: { current: 11000n, "1-30": 0n, "31-60": 0n, "61-90": 0n, "90+": 0n }, totalMinor: 11000n }]);

    // Over two months: aged at last month's end (nothing issued yet) and at today.
    const lastMonthEnd = monthPeriod(previousMonth(month)).to;
    const twoMonths = await run("receivables-ageing", { ...eur, period: { from: `${previousMonth(month)}-01`, to: today } });
    expect(twoMonths.rows.map((r) => "asOf" in r && [r.asOf, r.totalMinor])).toEqual([
      [lastMonthEnd, 0n],
      [today, 11000n],
    ]);

    // Cycle times: the three approvals (the third order was approved before it was cancelled).
    const cycle = await run("approval-cycle-times");
    const times = await rows<{ sales: number; total: number }>(
      sql`select extract(epoch from a.decided_at - o.accepted_at)::float8 / 3600 as sales, extract(epoch from o.approved_at - o.submitted_at)::float8 / 3600 as total
        from orders o join order_approvals a on a.order_id = o.id and a.step = 'sales' where o.id in (${first.orderId}, ${second.orderId}, ${third.orderId})`,
    );
    const close = (row: unknown, expected: { month: string; stage: string; orders: number; median: number; p90: number }) => {
      const r = row as { month: string; stage: string; orders: number; medianHours: number; p90Hours: number };
      expect([r.month, r.stage, r.orders]).toEqual([expected.month, expected.stage, expected.orders]);
      expect(r.medianHours).toBeCloseTo(expected.median, 9);
      expect(r.p90Hours).toBeCloseTo(expected.p90, 9);
    };
    expect(cycle.rows).toHaveLength(2); // no customer stage (within limits), no finance stage (below the threshold)
    close(cycle.rows[0], { month, stage: "sales", orders: 3, median: percentile(times.map((t) => Number(t.sales)), 0.5), p90: percentile(times.map((t) => Number(t.sales)), 0.9) });
    close(cycle.rows[1], { month, stage: "total", orders: 3, median: percentile(times.map((t) => Number(t.total)), 0.5), p90: percentile(times.map((t) => Number(t.total)), 0.9) });

    // The yen company: its own figures in JPY, scoped and unfiltered alike.
    const yenInput: ReportInput = { period: { from: today, to: today }, companyId: yen.companyId, currency: "EUR" };
    expect(await run("revenue-by-month", yenInput)).toEqual({ name: "revenue-by-month", currencies: ["JPY"], currency: "JPY", rows: [{ month, bookedMinor: 5500n, invoicedMinor: 5500n, collectedMinor: 0n }] });
    const everyone = await run("revenue-by-customer", { period: { from: today, to: today }, companyId: null, currency: "JPY" });
    expect(everyone.currency).toBe("JPY");
    expect(everyone.currencies).toContain("EUR");
    expect(everyone.rows).toEqual([{ companyId: yen.companyId, companyName: expect.stringMatching(/^Yen /), bookedMinor: 5500n, invoicedMinor: 5500n, collectedMinor: 0n }]);
    // EUR unfiltered holds the EUR company and never the yen one.
    const everyoneEur = await run("revenue-by-customer", { period: { from: today, to: today }, companyId: null, currency: "EUR" });
    expect(everyoneEur.rows.find((r) => "companyId" in r && r.companyId === first.buyer.companyId)).toMatchObject({ invoicedMinor: 14000n });
    expect(everyoneEur.rows.some((r) => "companyId" in r && r.companyId === yen.companyId)).toBe(false);

    // The CSV records: amounts as decimals of their currency (no decimals for yen), with the currency.
    expect(csvRecords(reportView(byMonth), "EUR", true)).toEqual([[month, expect.any(String), "140.00", "140.00", "30.00", "EUR"]]);
    expect(csvRecords(reportView(await run("revenue-by-month", yenInput)), "JPY", true)).toEqual([[month, expect.any(String), "5500", "5500", "0", "JPY"]]);

    // Another company's filter sees none of these documents.
    const other = await run("revenue-by-month", { ...eur, companyId: yen.companyId, currency: null });
    expect(other.rows.map((r) => "bookedMinor" in r && r.bookedMinor)).toEqual([5500n]);
  });

  it("sales pipeline: a quoted order past its quotation's validity is expired, as on the dashboard and the order list", async () => {
    const clock = sellerClock();
    const { buyer } = await invoicedOrder("5.00");
    const admin = await actorByEmail("admin@demo.test");
    const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("pipe") });
    const product = await runMutation(createProduct, as(admin), { sku: testKey("PIPE"), name: "Pipe", category: "Pipe", basePrice: "3.00", taxRate: "0" });
    if (!product.ok) throw new Error(product.error);
    await runMutation(receiveStock, as(admin), { productId: product.data.id, quantity: "5" });
    await runMutation(addToCart, as(buyer), { productId: product.data.id, quantity: "1" });
    const q = await runMutation(submitCart, as(buyer), {});
    if (!q.ok) throw new Error(q.error);
    const [latest] = await rows<{ valid_until: Date | string }>(sql`select valid_until from quotations where order_id = ${q.data.orderId} order by version desc limit 1`);
    const validUntil = new Date(latest!.valid_until);
    const input: ReportInput = { period: { from: clock.today, to: clock.today }, companyId: buyer.companyId, currency: null };
    const stages = async (now: Date) =>
      (await runReport(db, "sales-pipeline", input, { ...clock, now })).rows.flatMap((r) => ("stage" in r && (r.stage === "quoted" || r.stage === "expired") ? [[r.stage, r.orders]] : []));
    expect(await stages(new Date(validUntil.getTime() - 1000))).toEqual([["quoted", 1], ["expired", 0]]);
    expect(await stages(new Date(validUntil.getTime() + 1000))).toEqual([["quoted", 0], ["expired", 1]]);
  });
});
