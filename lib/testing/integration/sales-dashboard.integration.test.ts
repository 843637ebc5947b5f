import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { bookedEntries } from "@/db/queries/analytics/ledger";
import { salesDashboardData, type SalesDashboardData } from "@/db/queries/analytics/sales";
import { listOrders } from "@/db/queries/orders";
import { db } from "@/db/client";
import { runMutation, type Mutation } from "@/lib/mutation";
import type { Actor } from "@/lib/domain/actor";
import { addDays, zonedTimeToUtc } from "@/lib/domain/dates";
import { addMonths, daysBetween, monthOf, monthPeriod, previousMonth, type AnalyticsClock } from "@/lib/domain/periods";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder, customerApproveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByCustomer, cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, declineQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { env } from "@/lib/env";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase, withOwner } from "@/lib/testing/helpers";
import { testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The sales dashboard on a known set of orders built through the services, then moved in time with
// owner updates. The dashboard is platform-wide and the test database is shared by every file, so
// the clock is set ten months ahead (the 20th, noon): the windowed figures (win rate, cycle time,
// booked, top lists) then see this file's orders only and are asserted whole; the state figures
// (open quotations, approval queue) are asserted as the change this file made. The queue's orders
// are dated 2020, so they are the longest waiting.

setupTestDatabase();

const realToday = sellerClock().today;
const tz = sellerClock().timeZone;
const today = `${addMonths(monthOf(realToday), 10)}-20`;
const at = (date: string, hour: number, minute = 0) => zonedTimeToUtc(date, { hour, minute, second: 0 }, tz);
const clock: AnalyticsClock = { today, now: at(today, 12), timeZone: tz };
// Quotations are valid to the end of the company's day `validity` days after issue (issued today, real time).
const ahead = daysBetween(realToday, today);
const M = monthOf(today);
const L = previousMonth(M);
const day = (month: string, d: number) => `${month}-${String(d).padStart(2, "0")}`;

type Buyer = Actor & { companyId: string };
const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("sales") });

async function run<S extends z.ZodType, O>(m: Mutation<S, O>, actor: Actor, input: unknown): Promise<O> {
  const r = await runMutation(m, as(actor), input);
  if (!r.ok) throw new Error(`${r.error}`);
  return r.data;
}

async function company(name: string, opts: { creditLimit: bigint; orderLimit?: bigint; currency?: string }) {
  const suffix = testKey("co");
  const [c] = await rows<{ id: string }>(
    sql`insert into companies (name, currency, credit_limit_minor, time_zone) values (${`${name} ${suffix}`}, ${opts.currency ?? "EUR"}, ${opts.creditLimit}, ${tz}) returning id`,
  );
  const user = async (role: "buyer" | "customer_admin", limit: bigint | null) => {
    const email = `${role}-${suffix}@example.test`;
    const [u] = await rows<{ id: string }>(
      sql`insert into users (email, name, password_hash, role, company_id, order_limit_minor) values (${email}, ${role}, 'x', ${role}, ${c!.id}, ${limit}) returning id`,
    );
    return { id: u!.id, email, name: role, role, companyId: c!.id } as Buyer;
  };
  return { id: c!.id, name: `${name} ${suffix}`, buyer: await user("buyer", opts.orderLimit ?? null), admin: await user("customer_admin", null) };
}
type Company = Awaited<ReturnType<typeof company>>;

async function setValidity(c: Company, days: number) {
  await rows(sql`update companies set quote_validity_days = ${days} where id = ${c.id}`);
}

async function quote(c: Company, lines: [string, number][], validityDays = 14): Promise<string> {
  await setValidity(c, validityDays);
  for (const [productId, quantity] of lines) await run(addToCart, c.buyer, { productId, quantity: String(quantity) });
  return (await run(submitCart, c.buyer, {})).orderId;
}

/** Moves an order's timestamps and approval decisions to the given instants. */
async function backdate(orderId: string, t: { submitted?: Date; accepted?: Date; approved?: Date; customer?: Date; sales?: Date; finance?: Date }) {
  await withOwner(async (owner) => {
    await owner.execute(sql`update orders set submitted_at = coalesce(${t.submitted?.toISOString() ?? null}::timestamptz, submitted_at),
        accepted_at = coalesce(${t.accepted?.toISOString() ?? null}::timestamptz, accepted_at),
        approved_at = coalesce(${t.approved?.toISOString() ?? null}::timestamptz, approved_at)
      where id = ${orderId}`);
    for (const step of ["customer", "sales", "finance"] as const) {
      const when = t[step];
      if (when) await owner.execute(sql`update order_approvals set decided_at = ${when.toISOString()}::timestamptz where order_id = ${orderId} and step = ${step}`);
    }
  });
}

const hours = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;
/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}
const stats = (stage: string, seconds: number[]) => ({ stage, orders: seconds.length, medianSeconds: percentile(seconds, 0.5), p90Seconds: percentile(seconds, 0.9) });
const stageCounts = (d: SalesDashboardData) => Object.fromEntries(d.approvalQueue.stages.map((s) => [s.stage, s.count]));
const amount = (d: { value: { currency: string; minor: bigint }[] }, currency = "EUR") => d.value.find((v) => v.currency === currency)?.minor ?? 0n;

const cleanup: string[] = [];

describe("salesDashboardData", () => {
  afterAll(async () => {
    // Leaves no quotation open and nothing in the approval queue for the files that run after this one.
    const sales = await actorByEmail("sales@demo.test");
    for (const orderId of cleanup) await runMutation(cancelOrderByStaff, as(sales), { orderId, reason: "Test set-up cleared" });
  });

  it("reports every figure of a known set of orders exactly", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const finance = await actorByEmail("finance@demo.test");
    const product = async (price: string) => {
      const sku = testKey("SLS").toUpperCase();
      const p = await run(createProduct, admin, { sku, name: `Sold ${sku}`, category: "Sales test", basePrice: price, taxRate: "0" });
      await run(receiveStock, admin, { productId: p.id, quantity: "500" });
      return { id: p.id, sku };
    };
    const [p1, p2, p3] = [await product("100.00"), await product("30.00"), await product("7.00")];
    // A: plenty of credit. B: no credit (every order needs finance) and a buyer limited to 50.00 per
    // order (above it the company's administrator approves first). C: plenty of credit.
    const A = await company("Alpha", { creditLimit: 100_000_000n });
    const B = await company("Beta", { creditLimit: 0n, orderLimit: 5000n });
    const C = await company("Gamma", { creditLimit: 100_000_000n });
    // D buys in USD, at its own price list: its amounts are never added to the euro ones.
    const D = await company("Delta", { creditLimit: 100_000_000n, currency: "USD" });
    const usd = await run(createPriceList, admin, { name: testKey("USD list"), currency: "USD", validFrom: "2020-01-01", validTo: "" });
    await run(upsertPriceListEntry, admin, { priceListId: usd.id, sku: p1.sku, unitPrice: "120.00", tiers: "" });
    await run(upsertPriceListEntry, admin, { priceListId: usd.id, sku: p2.sku, unitPrice: "40.00", tiers: "" });
    await run(setPriceListAssignment, admin, { priceListId: usd.id, companyId: D.id, assigned: "true" });

    const before = await salesDashboardData(db, clock);

    const accept = (c: Company, orderId: string) => run(acceptQuotation, c.buyer, { orderId });
    const approve = (actor: Actor, orderId: string) => run(approveOrder, actor, { orderId });

    // Won and booked (approved).
    const o1 = await quote(A, [[p1.id, 2], [p2.id, 1]]);
    await accept(A, o1);
    await approve(sales, o1);
    const t1 = { submitted: at(addDays(today, -3), 9), accepted: at(addDays(today, -3), 10), sales: at(addDays(today, -3), 12) };
    await backdate(o1, { ...t1, approved: t1.sales });

    const o2 = await quote(B, [[p2.id, 3]]);
    await accept(B, o2);
    await run(customerApproveOrder, B.admin, { orderId: o2 });
    await approve(sales, o2);
    await approve(finance, o2);
    const t2 = { submitted: at(day(L, 10), 9), accepted: at(day(L, 10), 11), customer: at(day(L, 11), 11), sales: at(day(L, 11), 15), finance: at(day(L, 12), 11) };
    await backdate(o2, { ...t2, approved: t2.finance });

    const o3 = await quote(A, [[p3.id, 1]]);
    await accept(A, o3);
    await approve(sales, o3);
    await run(cancelOrderByStaff, sales, { orderId: o3, reason: "Customer changed their mind" });
    const t3 = { submitted: at(day(M, 5), 8), accepted: at(day(M, 5), 10), sales: at(day(M, 5), 14) };
    await backdate(o3, { ...t3, approved: t3.sales });

    // Finance decides before sales: the finance stage opens at acceptance.
    const o4 = await quote(B, [[p3.id, 2]]);
    await accept(B, o4);
    await approve(finance, o4);
    await approve(sales, o4);
    const t4 = { submitted: at(day(L, 19), 10), accepted: at(day(L, 19), 12), finance: at(day(L, 19), 14), sales: at(day(L, 20), 12) };
    await backdate(o4, { ...t4, approved: t4.sales });

    // Accepted the day before the 90-day window, approved inside it.
    const o5 = await quote(C, [[p1.id, 1]]);
    await accept(C, o5);
    await approve(sales, o5);
    const t5 = { submitted: at(addDays(today, -91), 10), accepted: at(addDays(today, -90), 23), sales: at(addDays(today, -89), 1) };
    await backdate(o5, { ...t5, approved: t5.sales });

    // On the window's first day.
    const o6 = await quote(C, [[p2.id, 1]]);
    await accept(C, o6);
    await approve(sales, o6);
    const t6 = { submitted: at(addDays(today, -89), 0, 10), accepted: at(addDays(today, -89), 0, 30), sales: at(addDays(today, -89), 1, 30) };
    await backdate(o6, { ...t6, approved: t6.sales });

    // In dollars: booked this month, and an open quotation.
    const u1 = await quote(D, [[p1.id, 1], [p2.id, 1]]);
    await accept(D, u1);
    await approve(sales, u1);
    const tu = { submitted: at(addDays(today, -2), 9), accepted: at(addDays(today, -2), 10), sales: at(addDays(today, -2), 11) };
    await backdate(u1, { ...tu, approved: tu.sales });
    const u2 = await quote(D, [[p2.id, 2]], ahead + 30);
    await backdate(u2, { submitted: at(addDays(today, -2), 12) });

    // Quotations: open; open and expiring within 7 days; past validity while still "quoted".
    const q1 = await quote(A, [[p1.id, 1]], ahead + 30);
    await backdate(q1, { submitted: at(addDays(today, -2), 10) });
    const q2 = await quote(C, [[p2.id, 2]], ahead + 3);
    await backdate(q2, { submitted: at(addDays(today, -1), 10) });
    const q3 = await quote(B, [[p3.id, 1]], ahead - 5);
    await backdate(q3, { submitted: at(addDays(today, -20), 10) });
    const q4 = await quote(A, [[p2.id, 1]]);
    await run(declineQuotation, A.buyer, { orderId: q4, reason: "Too expensive" });
    await backdate(q4, { submitted: at(addDays(today, -10), 10) });
    const q5 = await quote(C, [[p3.id, 1]]);
    await run(cancelOrderByCustomer, C.buyer, { orderId: q5, reason: "Not needed" });
    await backdate(q5, { submitted: at(addDays(today, -30), 10) });
    // Declined, but submitted before the window.
    const q6 = await quote(A, [[p2.id, 1]]);
    await run(declineQuotation, A.buyer, { orderId: q6, reason: "Too late" });
    await backdate(q6, { submitted: at(addDays(today, -95), 10) });
    cleanup.push(q1, q2, q3, u2);

    // The approval queue, dated 2020.
    const z = (iso: string) => new Date(iso);
    const w1 = await quote(B, [[p2.id, 3]]); // over the buyer's limit: waits for the customer
    await accept(B, w1);
    await backdate(w1, { submitted: z("2019-12-31T00:00:00Z"), accepted: z("2020-01-01T00:00:00Z") });
    const w2 = await quote(A, [[p3.id, 1]]); // waits for sales
    await accept(A, w2);
    await backdate(w2, { submitted: z("2020-01-01T00:00:00Z"), accepted: z("2020-01-02T00:00:00Z") });
    const w3 = await quote(B, [[p2.id, 3]]); // customer approved: waits for sales (and finance) since then
    await accept(B, w3);
    await run(customerApproveOrder, B.admin, { orderId: w3 });
    await backdate(w3, { submitted: z("2020-01-02T00:00:00Z"), accepted: z("2020-01-03T00:00:00Z"), customer: z("2020-01-04T00:00:00Z") });
    const w4 = await quote(B, [[p3.id, 1]]); // sales approved: waits for finance since then
    await accept(B, w4);
    await approve(sales, w4);
    await backdate(w4, { submitted: z("2020-01-03T00:00:00Z"), accepted: z("2020-01-04T12:00:00Z"), sales: z("2020-01-05T00:00:00Z") });
    const w5 = await quote(B, [[p3.id, 1]]); // finance approved first: waits for sales since acceptance
    await accept(B, w5);
    await approve(finance, w5);
    await backdate(w5, { submitted: z("2020-01-05T00:00:00Z"), accepted: z("2020-01-06T00:00:00Z"), finance: z("2020-01-06T06:00:00Z") });
    cleanup.push(w1, w2, w3, w4, w5);

    const d = await salesDashboardData(db, clock);

    // Open quotations and those expiring within 7 days (the change this file made).
    expect(d.openQuotations.count - before.openQuotations.count).toBe(3);
    expect(amount(d.openQuotations) - amount(before.openQuotations)).toBe(16000n);
    expect(amount(d.openQuotations, "USD") - amount(before.openQuotations, "USD")).toBe(8000n);
    expect(d.expiring.count - before.expiring.count).toBe(1);
    expect(amount(d.expiring) - amount(before.expiring)).toBe(6000n);
    expect(amount(d.expiring, "USD") - amount(before.expiring, "USD")).toBe(0n);
    expect(d.expiring.until).toEqual(at(addDays(today, 8), 0));

    // Won: o1, o2, o3 (accepted, cancelled since), o4, o6, u1. Lost: q3 (past validity), q4, q5.
    expect(d.winRate).toEqual({ won: 6, lost: 3, rate: 6 / 9, period: { from: addDays(today, -89), to: today } });

    // The queue: one waiting for the customer, three for sales, one for finance.
    const added = stageCounts(d);
    const had = stageCounts(before);
    expect({ customer: added.customer! - had.customer!, sales: added.sales! - had.sales!, finance: added.finance! - had.finance! }).toEqual({ customer: 1, sales: 3, finance: 1 });
    expect(d.approvalQueue.stages.map((s) => [s.stage, s.oldestSince?.toISOString()])).toEqual([
      ["customer", "2020-01-01T00:00:00.000Z"],
      ["sales", "2020-01-02T00:00:00.000Z"],
      ["finance", "2020-01-05T00:00:00.000Z"],
    ]);
    const since = ["2020-01-01", "2020-01-02", "2020-01-04", "2020-01-05", "2020-01-06"].map((s) => new Date(`${s}T00:00:00Z`));
    expect(d.approvalQueue.oldest.slice(0, 5).map((r) => ({ orderId: r.orderId, stage: r.stage, since: r.since, ageSeconds: r.ageSeconds, totalMinor: r.totalMinor }))).toEqual([
      { orderId: w1, stage: "customer", since: since[0], ageSeconds: hours(since[0]!, clock.now), totalMinor: 9000n },
      { orderId: w2, stage: "sales", since: since[1], ageSeconds: hours(since[1]!, clock.now), totalMinor: 700n },
      { orderId: w3, stage: "sales", since: since[2], ageSeconds: hours(since[2]!, clock.now), totalMinor: 9000n },
      { orderId: w4, stage: "finance", since: since[3], ageSeconds: hours(since[3]!, clock.now), totalMinor: 700n },
      { orderId: w5, stage: "sales", since: since[4], ageSeconds: hours(since[4]!, clock.now), totalMinor: 700n },
    ]);
    expect(d.approvalQueue.oldest[0]!.companyName).toBe(B.name);

    // Cycle time of the orders finally approved in the window: o1 to o6 (o5 accepted before it) and u1.
    expect(d.cycleTime.stages).toEqual([
      stats("customer", [hours(t2.accepted, t2.customer)]),
      stats("sales", [
        hours(t1.accepted, t1.sales),
        hours(t2.customer, t2.sales),
        hours(t3.accepted, t3.sales),
        hours(t4.accepted, t4.sales),
        hours(t5.accepted, t5.sales),
        hours(t6.accepted, t6.sales),
        hours(tu.accepted, tu.sales),
      ]),
      stats("finance", [hours(t2.sales, t2.finance), hours(t4.accepted, t4.finance)]),
      stats("total", [
        hours(t1.submitted, t1.sales),
        hours(t2.submitted, t2.finance),
        hours(t3.submitted, t3.sales),
        hours(t4.submitted, t4.sales),
        hours(t5.submitted, t5.sales),
        hours(t6.submitted, t6.sales),
        hours(tu.submitted, tu.sales),
      ]),
    ]);

    // Booked: this month o1 and u1 (o3 was cancelled); last month o2 and o4.
    expect(d.booked).toEqual({
      thisMonth: { month: M, count: 2, value: [{ currency: "EUR", minor: 23000n }, { currency: "USD", minor: 16000n }] },
      lastMonth: { month: L, count: 2, value: [{ currency: "EUR", minor: 10400n }] },
    });

    // Top customers and products this month and the two before (whole months M-2..M), per currency:
    // o1, o2, o4; u1. o6 was accepted 89 days ago, in M-3: inside the old 90-day window, outside these months.
    expect(d.topMonths).toEqual({ months: [previousMonth(L), L, M], period: { from: monthPeriod(previousMonth(L)).from, to: monthPeriod(M).to } });
    expect(d.topCustomers).toEqual([
      { currency: "EUR", companyId: A.id, companyName: A.name, orders: 1, minor: 23000n },
      { currency: "EUR", companyId: B.id, companyName: B.name, orders: 2, minor: 10400n },
      { currency: "USD", companyId: D.id, companyName: D.name, orders: 1, minor: 16000n },
    ]);
    expect(d.topProducts).toEqual([
      { currency: "EUR", productId: p1.id, sku: p1.sku, name: `Sold ${p1.sku}`, quantity: 2, orders: 1, minor: 20000n },
      { currency: "EUR", productId: p2.id, sku: p2.sku, name: `Sold ${p2.sku}`, quantity: 4, orders: 2, minor: 12000n },
      { currency: "EUR", productId: p3.id, sku: p3.sku, name: `Sold ${p3.sku}`, quantity: 2, orders: 1, minor: 1400n },
      { currency: "USD", productId: p1.id, sku: p1.sku, name: `Sold ${p1.sku}`, quantity: 1, orders: 1, minor: 12000n },
      { currency: "USD", productId: p2.id, sku: p2.sku, name: `Sold ${p2.sku}`, quantity: 1, orders: 1, minor: 4000n },
    ]);
    // A month earlier the months are M-3..L: o5 and o6 (M-3), o2 and o4 (L) are in, this month's o1 and u1 are not.
    const monthEarlier = await salesDashboardData(db, { today: day(L, 28), now: at(day(L, 28), 12), timeZone: tz });
    expect(monthEarlier.topCustomers).toEqual([
      { currency: "EUR", companyId: C.id, companyName: C.name, orders: 2, minor: 13000n },
      { currency: "EUR", companyId: B.id, companyName: B.name, orders: 2, minor: 10400n },
    ]);
    expect(monthEarlier.topProducts).toEqual([
      { currency: "EUR", productId: p2.id, sku: p2.sku, name: `Sold ${p2.sku}`, quantity: 4, orders: 2, minor: 12000n },
      { currency: "EUR", productId: p1.id, sku: p1.sku, name: `Sold ${p1.sku}`, quantity: 1, orders: 1, minor: 10000n },
      { currency: "EUR", productId: p3.id, sku: p3.sku, name: `Sold ${p3.sku}`, quantity: 2, orders: 1, minor: 1400n },
    ]);
    // The rollups date months in the seller zone the migrate step wrote: a clock in another zone is refused.
    await expect(salesDashboardData(db, { ...clock, timeZone: "UTC" })).rejects.toThrow(/sales rollups date months in/);

    // The order list's filters behind the links list exactly these orders.
    const ids = async (f: Parameters<typeof listOrders>[2]) => (await listOrders(db, sales, { ...f, now: clock.now })).rows.map((r) => r.id).sort();
    const mine = new Set([o1, o2, o3, o4, o5, o6, u1, u2, q1, q2, q3, q4, q5, q6, w1, w2, w3, w4, w5]);
    const ofMine = async (f: Parameters<typeof listOrders>[2]) => (await ids(f)).filter((id) => mine.has(id));
    expect(await ofMine({ status: "quoted" })).toEqual([q1, q2, u2].sort());
    expect(await ofMine({ status: "expired" })).toEqual([q3]);
    expect(await ofMine({ expiring: { now: clock.now, until: d.expiring.until } })).toEqual([q2]);
    expect(await ids({ booked: { period: monthPeriod(M), timeZone: tz } })).toEqual([o1, u1].sort());
    expect(await ids({ booked: { period: monthPeriod(L), timeZone: tz } })).toEqual([o2, o4].sort());
  });

  it("has nothing to show where no order falls", async () => {
    // 2099: every quotation has lapsed (validity is at most 365 days) and no order was submitted, accepted or approved.
    const empty: AnalyticsClock = { today: "2099-06-15", now: at("2099-06-15", 12), timeZone: tz };
    const d = await salesDashboardData(db, empty);
    expect(d.openQuotations).toEqual({ count: 0, value: [] });
    expect(d.expiring.count).toBe(0);
    expect(d.winRate).toEqual({ won: 0, lost: 0, rate: null, period: { from: "2099-03-18", to: "2099-06-15" } });
    expect(d.cycleTime.stages).toEqual([]);
    expect(d.booked).toEqual({ thisMonth: { month: "2099-06", count: 0, value: [] }, lastMonth: { month: "2099-05", count: 0, value: [] } });
    expect(d.topCustomers).toEqual([]);
    expect(d.topProducts).toEqual([]);
  });

  it("rebuilds the sales rollups in a new seller zone, which only the owner may set", async () => {
    // Company months of the ledger in `zone` against the rollup: rows in one and not the other.
    const differences = (zone: string) => sql`with l as (
        select date_trunc('month', e.on_date)::date as month, e.currency::text as currency, e.company_id, count(*)::int as orders, sum(e.amount_minor) as minor
        from (${bookedEntries({ from: "2000-01-01", to: "2099-12-31" }, { timeZone: zone })}) e group by 1, 2, 3
      ), r as (select month, currency::text as currency, company_id, orders, amount_minor as minor from booked_company_months)
      select ((select count(*) from (select * from l except all select * from r) a) + (select count(*) from (select * from r except all select * from l) b))::int as n,
        (select count(*) from l)::int as months`;
    const rollback = new Error("rollback");
    await expect(
      withOwner((owner) =>
        owner.transaction(async (tx) => {
          const one = async <T>(q: ReturnType<typeof sql>) => ((await tx.execute(q)) as unknown as T[] | { rows: T[] });
          const first = async <T>(q: ReturnType<typeof sql>) => {
            const r = await one<T>(q);
            return (Array.isArray(r) ? r : r.rows)[0]!;
          };
          expect(await first<{ n: number; months: number }>(differences(tz))).toEqual({ n: 0, months: expect.any(Number) });
          expect(await first<{ changed: boolean }>(sql`select sales_rollups_set_time_zone('Pacific/Kiritimati') as changed`)).toEqual({ changed: true });
          expect(await first<{ zone: string }>(sql`select seller_time_zone as zone from analytics_settings`)).toEqual({ zone: "Pacific/Kiritimati" });
          const moved = await first<{ n: number; months: number }>(differences("Pacific/Kiritimati"));
          expect(moved.n).toBe(0);
          expect(moved.months).toBeGreaterThan(0);
          expect(await first<{ changed: boolean }>(sql`select sales_rollups_set_time_zone('Pacific/Kiritimati') as changed`)).toEqual({ changed: false });
          throw rollback;
        }),
      ),
    ).rejects.toBe(rollback);
    expect(await rows<{ zone: string }>(sql`select seller_time_zone as zone from analytics_settings`)).toEqual([{ zone: tz }]);
    if (isPostgres() && env().DATABASE_OWNER_URL) {
      // The app role's pool: drizzle wraps PostgreSQL's error, whose code is the cause's.
      const refusal = async (q: ReturnType<typeof sql>) => {
        try {
          await rows(q);
          return "ran";
        } catch (e) {
          const cause = (e as { cause?: { code?: string; message?: string } }).cause;
          return `${cause?.code}: ${cause?.message}`;
        }
      };
      expect(await refusal(sql`select sales_rollups_set_time_zone('UTC')`)).toBe("42501: permission denied for function sales_rollups_set_time_zone");
      expect(await refusal(sql`select sales_rollups_rebuild()`)).toBe("42501: permission denied for function sales_rollups_rebuild");
      expect(await refusal(sql`delete from booked_product_months`)).toBe("42501: permission denied for table booked_product_months");
    }
  });
});
