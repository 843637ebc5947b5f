import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bucketReceivables, dsoDays, financeDashboardData, type FinanceDashboardData } from "@/db/queries/analytics/finance";
import { parseAgeingFilter, receivablesAgeing } from "@/db/queries/invoices";
import { parsePaymentStatus } from "@/db/queries/payments";
import { acceptanceFigures } from "@/db/queries/quotations";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import type { Actor } from "@/lib/domain/actor";
import { addDays } from "@/lib/domain/dates";
import { monthPeriod, previousMonth, monthOf } from "@/lib/domain/periods";
import { ageingBucket, ageingBuckets, type AgeingBucket } from "@/lib/domain/receivables";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { recordManualPayment, submitRemittance } from "@/lib/services/payments";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { actorByEmail, request, rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The finance dashboard on a known set of documents made through the services, on top of whatever
// the demo seed and earlier test files left in the shared database: every figure is asserted as the
// exact change from a snapshot taken first (platform-wide figures cannot be isolated otherwise), and
// the USD company, alone in its currency, also absolutely.

setupTestDatabase();

type Buyer = Actor & { companyId: string };
const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("fin") });

function ok<T>(result: { ok: true; data: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

/** A company (with a buyer) in `currency`, with credit limit `limitMinor`. */
async function company(currency: string, limitMinor: bigint): Promise<Buyer> {
  const suffix = randomUUID().slice(0, 8);
  const [c] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Finance ${currency} ${suffix}`}, ${currency}, ${limitMinor.toString()}) returning id`);
  const email = `fin-${suffix}@example.test`;
  const [u] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, 'Buyer', 'x', 'buyer', ${c!.id}) returning id`);
  return { id: u!.id, email, name: "Buyer", role: "buyer", companyId: c!.id };
}

/** One order of one new product at `price` (tax 0): accepted, and approved (so invoiced) when asked. */
async function order(buyer: Buyer, price: string, opts: { approve: boolean; priceListId?: string }): Promise<{ orderId: string; invoiceId: string | null }> {
  const admin = await actorByEmail("admin@demo.test");
  const sales = await actorByEmail("sales@demo.test");
  const sku = `FIN-${randomUUID().slice(0, 8)}`;
  const product = ok(await runMutation(createProduct, as(admin), { sku, name: "Financed", category: "Finance", basePrice: price, taxRate: "0" }));
  ok(await runMutation(receiveStock, as(admin), { productId: product.id, quantity: "10" }));
  if (opts.priceListId) ok(await runMutation(upsertPriceListEntry, as(admin), { priceListId: opts.priceListId, sku, unitPrice: price }));
  ok(await runMutation(addToCart, as(buyer), { productId: product.id, quantity: "1" }));
  const q = ok(await runMutation(submitCart, as(buyer), {}));
  ok(await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId }));
  if (!opts.approve) return { orderId: q.orderId, invoiceId: null };
  ok(await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.orderId }));
  const [invoice] = await rows<{ id: string }>(sql`select id from invoices where order_id = ${q.orderId}`);
  return { orderId: q.orderId, invoiceId: invoice!.id };
}

/** Moves an invoice's dates into the past (invoices are immutable to the app: as the owner, triggers off). */
async function backdate(invoiceId: string, issueDate: string, dueDate: string) {
  await withOwner((owner) =>
    owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update invoices set issue_date = ${issueDate}::date, due_date = ${dueDate}::date where id = ${invoiceId}`);
      // The receivables rollup copies the due date; its trigger was off with the others.
      await tx.execute(sql`select receivable_balance_refresh(${invoiceId}::uuid)`);
    }),
  );
}

const amount = (list: { currency: string; minor: bigint }[], currency: string) => list.find((a) => a.currency === currency)?.minor ?? 0n;
const zeroBuckets = () => Object.fromEntries(ageingBuckets.map((b) => [b, 0n])) as Record<AgeingBucket, bigint>;
function receivablesIn(data: FinanceDashboardData, currency: string) {
  return data.receivables.find((r) => r.currency === currency) ?? { currency, buckets: zeroBuckets(), invoices: Object.fromEntries(ageingBuckets.map((b) => [b, 0])), overdueMinor: 0n, totalMinor: 0n };
}

describe("ageing buckets and DSO (pure)", () => {
  it("buckets aggregated rows with ageingBucket itself, at the boundary days 0, 1, 30, 31, 60, 61, 90 and 91", () => {
    const today = "2026-06-30";
    const days = [0, 1, 30, 31, 60, 61, 90, 91];
    const rows = days.map((d, i) => ({ currency: "EUR", due_date: addDays(today, -d), n: 1, minor: BigInt(2 ** i) }));
    const [eur] = bucketReceivables([...rows, { currency: "EUR", due_date: addDays(today, 5), n: 2, minor: 1000n }], today);
    expect(days.map((d) => ageingBucket(addDays(today, -d), today))).toEqual(["current", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "90+"]);
    expect(eur!.buckets).toEqual({ current: 1001n, "1-30": 6n, "31-60": 24n, "61-90": 96n, "90+": 128n });
    expect(eur!.invoices).toEqual({ current: 3, "1-30": 2, "31-60": 2, "61-90": 2, "90+": 1 });
    expect(eur!.overdueMinor).toBe(254n);
    expect(eur!.totalMinor).toBe(1255n);
  });

  it("computes DSO per the definition, rounded half up to a tenth, null without invoicing", () => {
    expect(dsoDays(4000n, 5000n)).toBe(72);
    expect(dsoDays(1n, 3n)).toBe(30);
    expect(dsoDays(1n, 7n)).toBe(12.9); // 12.857…
    expect(dsoDays(1n, 720n)).toBe(0.1); // 0.125 → 0.1
    expect(dsoDays(1n, 240n)).toBe(0.4); // 0.375 → 0.4
    expect(dsoDays(500n, 0n)).toBeNull();
    expect(dsoDays(500n, -100n)).toBeNull();
  });
});

describe("financeDashboardData", () => {
  it("answers every figure exactly for a known set, currencies apart, with the 80 % credit boundary", async () => {
    const clock = sellerClock();
    const today = clock.today;
    const finance = await actorByEmail("finance@demo.test");
    const admin = await actorByEmail("admin@demo.test");
    const before = await financeDashboardData(db, clock);

    // A (EUR): eight invoices due 0, 1, 30, 31, 60, 61, 90 and 91 days ago, of 1, 2, 4 … 128 EUR.
    const days = [0, 1, 30, 31, 60, 61, 90, 91];
    // Issued 30 days before due, except the 31-day one on the first day of the DSO window (today − 89)
    // and the 60-day one on the day before it (today − 90).
    const issued = (d: number) => (d === 31 ? addDays(today, -89) : addDays(today, -(d + 30)));
    const first = await invoicedOrder("1.00");
    const a = first.buyer;
    const aInvoices = [first.invoice.id];
    for (const price of ["2.00", "4.00", "8.00", "16.00", "32.00", "64.00", "128.00"]) aInvoices.push((await invoicedOrder(price, { buyer: a })).invoice.id);
    for (const [i, d] of days.entries()) await backdate(aInvoices[i]!, issued(d), addDays(today, -d));
    // Verified: 28 EUR today on the 91-day invoice, 14 EUR on the first of last month on the 90-day one.
    const lastMonth = monthPeriod(previousMonth(monthOf(today)));
    ok(await runMutation(recordManualPayment, as(finance), { companyId: a.companyId, amount: "28.00", paidOn: today, allocations: [{ invoiceId: aInvoices[7]!, amount: "28.00" }] }));
    ok(await runMutation(recordManualPayment, as(finance), { companyId: a.companyId, amount: "14.00", paidOn: lastMonth.from, allocations: [{ invoiceId: aInvoices[6]!, amount: "14.00" }] }));
    // Awaiting verification: 0.50 EUR on the invoice not yet due (does not reduce what is outstanding).
    const pendingA = ok(await runMutation(submitRemittance, as(a), { amount: "0.50", paidOn: today, reference: "", allocations: [{ invoiceId: aInvoices[0]!, amount: "0.50" }] }));

    // B (EUR): 80 EUR outstanding against a limit of 100.01 EUR, 79.99 %: below the threshold.
    const b = (await invoicedOrder("80.00")).buyer;
    // C (EUR): limit 0 (none), 30 EUR outstanding: never listed.
    const c = (await invoicedOrder("30.00")).buyer;
    // E (EUR): a 10 EUR invoice plus an accepted order not yet invoiced of 150 EUR, limit 170 EUR: 94.1 %.
    const e = (await invoicedOrder("10.00")).buyer;
    const eAccepted = await order(e, "150.00", { approve: false });

    // D (USD): one 50 USD invoice due 45 days ago (issued 75 days ago), 10 USD verified today, 7 USD awaiting.
    const d = await company("USD", 100_000_00n);
    const usdList = ok(await runMutation(createPriceList, as(admin), { name: `USD ${randomUUID().slice(0, 8)}`, currency: "USD", validFrom: "2020-01-01" }));
    ok(await runMutation(setPriceListAssignment, as(admin), { priceListId: usdList.id, companyId: d.companyId, assigned: "true" }));
    const dInvoice = (await order(d, "50.00", { approve: true, priceListId: usdList.id })).invoiceId!;
    await backdate(dInvoice, addDays(today, -75), addDays(today, -45));
    ok(await runMutation(recordManualPayment, as(finance), { companyId: d.companyId, amount: "10.00", paidOn: today, allocations: [{ invoiceId: dInvoice, amount: "10.00" }] }));
    ok(await runMutation(submitRemittance, as(d), { amount: "7.00", paidOn: today, reference: "", allocations: [{ invoiceId: dInvoice, amount: "7.00" }] }));

    // Credit limits (set after the acceptances, whose credit check the default limit passes).
    const setLimit = (buyer: Buyer, minor: bigint) => rows(sql`update companies set credit_limit_minor = ${minor.toString()} where id = ${buyer.companyId}`);
    await setLimit(a, 26_625n); // exposure 213.00 EUR: exactly 80 %
    await setLimit(b, 10_001n);
    await setLimit(c, 0n);
    await setLimit(e, 17_000n);
    await setLimit(d, 4_500n); // exposure 40.00 USD: 88.8 %

    // Bank lines: two unmatched, one matched to confirm, one set aside (not counted).
    const suffix = randomUUID().slice(0, 8);
    const [statement] = await rows<{ id: string }>(
      sql`insert into bank_statements (bank_name, format, file_name, file_sha256, line_count, new_line_count) values (${`Bank ${suffix}`}, 'csv', 'fin.csv', ${"0".repeat(64)}, 4, 4) returning id`,
    );
    for (const [i, status] of ["unmatched", "unmatched", "suggested", "ignored"].entries()) {
      await rows(sql`insert into bank_statement_lines (statement_id, bank_name, account_key, identity, line_no, booked_on, amount_minor, currency, reference, status)
        values (${statement!.id}, ${`Bank ${suffix}`}, ${`acct ${suffix}`}, ${`${suffix}-${i}`}, ${i + 1}, ${today}::date, 500, 'EUR', ${`REF-${suffix}-${i}`}, ${status})`);
    }

    const after = await financeDashboardData(db, clock);

    // Awaiting verification.
    expect(after.awaitingVerification.count - before.awaitingVerification.count).toBe(2);
    expect(amount(after.awaitingVerification.amounts, "EUR") - amount(before.awaitingVerification.amounts, "EUR")).toBe(50n);
    expect(amount(after.awaitingVerification.amounts, "USD") - amount(before.awaitingVerification.amounts, "USD")).toBe(700n);
    const [pendingRow] = await rows<{ created_at: Date | string }>(sql`select created_at from payments where id = ${pendingA.paymentId}`);
    const pendingAt = new Date(pendingRow!.created_at);
    const expectedOldest = before.awaitingVerification.oldestRecordedAt && before.awaitingVerification.oldestRecordedAt < pendingAt ? before.awaitingVerification.oldestRecordedAt : pendingAt;
    expect(after.awaitingVerification.oldestRecordedAt?.toISOString()).toBe(expectedOldest.toISOString());

    // Bank lines.
    expect(after.bankLines.unmatched - before.bankLines.unmatched).toBe(2);
    expect(after.bankLines.toConfirm - before.bankLines.toConfirm).toBe(1);

    // Receivables by ageing bucket, per currency.
    const eurBefore = receivablesIn(before, "EUR");
    const eurAfter = receivablesIn(after, "EUR");
    const eurDelta = Object.fromEntries(ageingBuckets.map((bk) => [bk, eurAfter.buckets[bk] - eurBefore.buckets[bk]]));
    // current: 1 (A) + 80 (B) + 30 (C) + 10 (E); 1-30: 2 + 4; 31-60: 8 + 16; 61-90: 32 + (64 − 14); 90+: 128 − 28.
    expect(eurDelta).toEqual({ current: 12_100n, "1-30": 600n, "31-60": 2_400n, "61-90": 8_200n, "90+": 10_000n });
    expect(Object.fromEntries(ageingBuckets.map((bk) => [bk, eurAfter.invoices[bk] - eurBefore.invoices[bk]]))).toEqual({ current: 4, "1-30": 2, "31-60": 2, "61-90": 2, "90+": 1 });
    expect(eurAfter.overdueMinor - eurBefore.overdueMinor).toBe(21_200n);
    expect(eurAfter.totalMinor - eurBefore.totalMinor).toBe(33_300n);
    const usdDelta = (r: FinanceDashboardData) => receivablesIn(r, "USD");
    expect(usdDelta(after).buckets["31-60"] - usdDelta(before).buckets["31-60"]).toBe(4_000n);
    expect(usdDelta(after).totalMinor - usdDelta(before).totalMinor).toBe(4_000n);
    expect(usdDelta(after).overdueMinor - usdDelta(before).overdueMinor).toBe(4_000n);
    expect(after.receivables.map((r) => r.currency)).toEqual([...after.receivables.map((r) => r.currency)].sort());

    // DSO: the window is today − 89 … today; of A only the invoices issued in it count (1 + 2 + 4 + 8), and B, C and E's.
    expect(after.dso.window).toEqual({ from: addDays(today, -89), to: today });
    expect(after.dso.windowDays).toBe(90);
    const dsoOf = (data: FinanceDashboardData, currency: string) => data.dso.figures.find((f) => f.currency === currency);
    const eurDso = dsoOf(after, "EUR")!;
    expect(eurDso.outstandingMinor).toBe(eurAfter.totalMinor);
    expect(eurDso.invoicedMinor - (dsoOf(before, "EUR")?.invoicedMinor ?? 0n)).toBe(13_500n);
    expect(eurDso.days).toBe(dsoDays(eurDso.outstandingMinor, eurDso.invoicedMinor));
    const usdDso = dsoOf(after, "USD")!;
    expect(usdDso.invoicedMinor - (dsoOf(before, "USD")?.invoicedMinor ?? 0n)).toBe(5_000n);
    if (!dsoOf(before, "USD")) expect(usdDso).toEqual({ currency: "USD", outstandingMinor: 4_000n, invoicedMinor: 5_000n, days: 72 });

    // Collected: this month and last month, verified payments only, per currency.
    expect(after.collected.thisMonth).toEqual(monthPeriod(monthOf(today)));
    expect(after.collected.lastMonth).toEqual(lastMonth);
    const collected = (data: FinanceDashboardData, currency: string) => data.collected.amounts.find((x) => x.currency === currency) ?? { thisMonthMinor: 0n, lastMonthMinor: 0n };
    expect(collected(after, "EUR").thisMonthMinor - collected(before, "EUR").thisMonthMinor).toBe(2_800n);
    expect(collected(after, "EUR").lastMonthMinor - collected(before, "EUR").lastMonthMinor).toBe(1_400n);
    expect(collected(after, "USD").thisMonthMinor - collected(before, "USD").thisMonthMinor).toBe(1_000n);
    expect(collected(after, "USD").lastMonthMinor - collected(before, "USD").lastMonthMinor).toBe(0n);

    // Credit utilisation: E 94.1 %, D 88.8 % (USD), A exactly 80 %; B (79.99 %) and C (no limit) absent.
    const mine = new Set([a, b, c, d, e].map((x) => x.companyId));
    const listed = after.creditUtilisation.companies.filter((x) => mine.has(x.companyId));
    expect(listed.map((x) => [x.companyId, x.currency, x.exposureMinor, x.creditLimitMinor, x.utilisationPercent])).toEqual([
      [e.companyId, "EUR", 16_000n, 17_000n, 94.1],
      [d.companyId, "USD", 4_000n, 4_500n, 88.8],
      [a.companyId, "EUR", 21_300n, 26_625n, 80],
    ]);
    expect(after.creditUtilisation.total - before.creditUtilisation.total).toBe(3);
    const ratios = after.creditUtilisation.companies.map((x) => Number(x.exposureMinor) / Number(x.creditLimitMinor));
    expect(ratios).toEqual([...ratios].sort((x, y) => y - x));
    expect(after.creditUtilisation.companies.every((x) => x.exposureMinor * 100n >= x.creditLimitMinor * 80n && x.creditLimitMinor > 0n)).toBe(true);
    // One minor unit more of limit and A falls below 80 %.
    await setLimit(a, 26_626n);
    expect((await financeDashboardData(db, clock)).creditUtilisation.companies.some((x) => x.companyId === a.companyId)).toBe(false);

    // The acceptance's credit check reads the same exposure (the one fragment).
    const figures = (orderId: string) => acceptanceFigures(db, { companyId: e.companyId, orderId, buyerId: e.id, now: clock.now });
    expect((await figures(randomUUID())).exposureMinor).toBe(16_000n);
    expect((await figures(eAccepted.orderId)).exposureMinor).toBe(1_000n);
    expect((await acceptanceFigures(db, { companyId: a.companyId, orderId: randomUUID(), buyerId: a.id, now: clock.now })).exposureMinor).toBe(21_300n);

    // The ageing list's bucket filter behind the dashboard's links.
    const ageing = async (filter: string | undefined) => (await receivablesAgeing(db, finance, today, parseAgeingFilter(filter))).filter((r) => mine.has(r.companyId));
    expect((await ageing("90+")).map((r) => [r.companyId, r.buckets["90+"]])).toEqual([[a.companyId, 10_000n]]);
    expect((await ageing("31-60")).map((r) => r.companyId)).toEqual([a.companyId, d.companyId]); // EUR before USD
    expect((await ageing("overdue")).map((r) => r.companyId)).toEqual([a.companyId, d.companyId]);
    expect((await ageing("current")).map((r) => [r.companyId, r.buckets.current])).toEqual([
      [b.companyId, 8_000n],
      [c.companyId, 3_000n],
      [e.companyId, 1_000n],
      [a.companyId, 100n],
    ]);
    expect((await ageing("bogus")).length).toBe(5); // not a filter: every company with something due
    expect([parseAgeingFilter(undefined), parseAgeingFilter("91+"), parseAgeingFilter("overdue")]).toEqual([null, null, "overdue"]);
    expect([parsePaymentStatus("pending_verification"), parsePaymentStatus("verified"), parsePaymentStatus("paid"), parsePaymentStatus(undefined)]).toEqual([
      "pending_verification",
      "verified",
      null,
      null,
    ]);
  });
});
