import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getPricedProduct } from "@/db/queries/catalog";
import { getCart, getOrderDetail, listOrders } from "@/db/queries/orders";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { createCompany } from "@/lib/services/companies";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { insertUser } from "@/lib/services/users";
import { approveOrder, customerApproveOrder, rejectOrder } from "@/lib/services/orders/approvals";
import { addToCart, quickOrder } from "@/lib/services/orders/cart";
import { cancelOrderByCustomer, cancelOrderByStaff, deliverOrder, shipOrder } from "@/lib/services/orders/fulfilment";

import {  sellerToday } from "@/lib/time-zone";
import { acceptQuotation, declineQuotation, expireDueQuotations, reviseQuotation, submitCart } from "@/lib/services/orders/quotations";

setupTestDatabase();

let seq = 0;
const key = (p = "k") => `${p}-${Date.now()}-${seq++}`;
const as = (actor: Actor, idem = true) => ({ actor, request: request(), idempotencyKey: idem ? key() : undefined });
const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(q))[0]!;

async function product(sku: string, opts: { price?: string; stock?: number; tax?: string; min?: string; multiple?: string; tiers?: string } = {}) {
  const admin = await actorByEmail("admin@demo.test");
  const created = await runMutation(createProduct, as(admin), { sku, name: `Item ${sku}`, category: "Orders test", basePrice: opts.price ?? "10.00", taxRate: opts.tax ?? "19", minOrderQuantity: opts.min ?? "1", orderMultiple: opts.multiple ?? "1", tiers: opts.tiers ?? "" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  if (opts.stock) await runMutation(receiveStock, as(admin), { productId: created.data.id, quantity: String(opts.stock) });
  return created.data.id;
}

/** A buyer's order taken to "quoted" with the given lines. */
async function quotedOrder(buyer: Actor, lines: [string, number][]) {
  for (const [productId, quantity] of lines) {
    const r = await runMutation(addToCart, as(buyer), { productId, quantity: String(quantity) });
    if (!r.ok) throw new Error(JSON.stringify(r));
  }
  const submitted = await runMutation(submitCart, as(buyer), {});
  if (!submitted.ok) throw new Error(JSON.stringify(submitted));
  return submitted.data;
}

/** A company of the test's own (limits and price lists of the demo companies stay untouched), with buyers. */
async function company(name: string, creditLimit = "1000000.00") {
  const admin = await actorByEmail("admin@demo.test");
  const created = await runMutation(createCompany, as(admin), { name, paymentTermsDays: "30", creditLimit, currency: "EUR", timeZone: "Europe/Berlin" });
  if (!created.ok) throw new Error(JSON.stringify(created));
  return created.data.id;
}

async function buyerOf(companyId: string): Promise<Actor> {
  const user = await db.transaction((tx) => insertUser(tx, { email: uniqueEmail("buyer"), name: "Test Buyer", role: "buyer", companyId, password: "a-long-test-password-1" }));
  return { id: user.id, email: user.email, name: user.name, role: user.role, companyId: user.companyId };
}

const level = (productId: string) => one<{ on_hand: number; reserved: number }>(sql`select on_hand, reserved from inventory where product_id = ${productId}`);

describe("order lifecycle", () => {
  it("goes from cart to quotation to approval to invoice to shipment, with stock and numbers right", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    const a = await product("ORD-A1", { price: "12.35", stock: 100, min: "2", multiple: "2" });
    await product("ORD-B1", { price: "0.05", stock: 1000, tax: "7" });

    const bad = await runMutation(addToCart, as(buyer), { productId: a, quantity: "3" });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { quantity: ["This product comes in packs of 2: order 2 or 4."] } });

    const quick = await runMutation(quickOrder, as(buyer), { lines: "ORD-A1, 4\nNOPE-1, 2\nORD-B1, x" });
    expect(quick).toMatchObject({ ok: false, fieldErrors: { lines: ["Line 2: no product has SKU NOPE-1.", 'Line 3: the quantity "x" is not a whole number of at least 1.'] } });
    expect((await getCart(db, buyer))?.lines ?? []).toHaveLength(0);

    expect(await runMutation(quickOrder, as(buyer), { lines: "ord-a1, 4\nORD-B1; 15" })).toMatchObject({ ok: true, data: { added: 2 } });
    const cart = await getCart(db, buyer);
    // 4 × 12.35 = 49.40 + 9.39 tax; 15 × 0.05 = 0.75 + 0.05 tax (5.25 cents rounds to 5)
    expect(cart?.totals).toMatchObject({ subtotalMinor: 5015n, taxMinor: 939n + 5n, totalMinor: 5959n });

    const q = await runMutation(submitCart, as(buyer), {});
    expect(q).toMatchObject({ ok: true, data: { number: expect.stringMatching(/^Q-\d{4}-\d{6}$/), version: 1, totalMinor: "5959" } });
    if (!q.ok) return;
    expect(await getCart(db, buyer)).toBeNull(); // the cart became the order

    const accepted = await runMutation(acceptQuotation, as(buyer), { orderId: q.data.orderId, poNumber: "PO-77" });
    expect(accepted).toMatchObject({ ok: true, data: { status: "awaiting_seller_approval" } });
    expect(await level(a)).toEqual({ on_hand: 100, reserved: 4 });

    const approved = await runMutation(approveOrder, as(sales, false), { orderId: q.data.orderId, comment: "ok" });
    expect(approved).toMatchObject({ ok: true, data: { status: "approved", invoiceNumber: expect.stringMatching(/^INV-\d{4}-\d{6}$/) } });
    const invoice = await one<{ total_minor: string; due_date: string; issue_date: string }>(sql`select total_minor::text, due_date::text, issue_date::text from invoices where order_id = ${q.data.orderId}`);
    expect(invoice.total_minor).toBe("5959");
    const days = (Date.parse(invoice.due_date) - Date.parse(invoice.issue_date)) / 86_400_000;
    expect(days).toBe(30);

    expect(await runMutation(shipOrder, as(sales), { orderId: q.data.orderId, carrier: "DHL", trackingNumber: "JD0001" })).toMatchObject({ ok: true, data: { status: "shipped" } });
    expect(await level(a)).toEqual({ on_hand: 96, reserved: 0 });
    expect(await runMutation(deliverOrder, as(sales, false), { orderId: q.data.orderId })).toMatchObject({ ok: true, data: { status: "delivered" } });

    const detail = await getOrderDetail(db, buyer, q.data.orderId);
    expect(detail?.timeline.map((t) => t.event)).toEqual(["submit", "accept", "final_approve", "ship", "deliver"]);
    expect(detail?.approvals.map((x) => [x.step, x.decision])).toEqual([["sales", "approved"]]);
    const list = await listOrders(db, buyer, {});
    expect(list.rows.find((r) => r.id === q.data.orderId)).toMatchObject({ status: "delivered", totalMinor: 5959n });
  });

  it("answers another company's order with not found", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const globex = await actorByEmail("buyer@globex.test");
    const p = await product("ORD-X1", { stock: 10 });
    const q = await quotedOrder(buyer, [[p, 1]]);
    expect(await getOrderDetail(db, globex, q.orderId)).toBeNull();
    expect(await runMutation(acceptQuotation, as(globex), { orderId: q.orderId })).toMatchObject({ ok: false, code: "not_found" });
    expect((await listOrders(db, globex, {})).rows.some((r) => r.id === q.orderId)).toBe(false);
  });

  it("refuses an expired quotation, moves it lazily and by the job", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const p = await product("ORD-E1", { stock: 10 });
    const q = await quotedOrder(buyer, [[p, 1]]);
    const later = new Date(Date.now() + 40 * 86_400_000);
    const detail = await getOrderDetail(db, buyer, q.orderId);
    expect(detail?.status).toBe("quoted");
    // Pretend time passed: the job moves it.
    expect(await expireDueQuotations(db, later, q.orderId)).toBe(1);
    const after = await getOrderDetail(db, buyer, q.orderId);
    expect(after?.order.status).toBe("expired");
    expect(await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId })).toMatchObject({ ok: false, code: "conflict" });
    expect(await level(p)).toEqual({ on_hand: 10, reserved: 0 });
  });

  it("revises a quotation into a new version and keeps the old one", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    const p = await product("ORD-R1", { price: "100.00", stock: 50 });
    const q = await quotedOrder(buyer, [[p, 10]]);
    const revised = await runMutation(reviseQuotation, as(sales, false), { orderId: q.orderId, version: "1", reason: "Volume deal", lines: [{ lineNo: 1, quantity: "12", unitPrice: "90.00", discountPercent: "5" }] });
    // A second revision of version 1 (another person, or a double submit) is refused.
    const again = await runMutation(reviseQuotation, as(sales, false), { orderId: q.orderId, version: "1", reason: "Volume deal", lines: [{ lineNo: 1, quantity: "12", unitPrice: "90.00", discountPercent: "5" }] });
    expect(again).toMatchObject({ ok: false, code: "conflict", error: "Version 2 was issued meanwhile; reload the order and revise that one." });
    // 12 × 90 = 1080, 5% off = 1026.00, 19% tax = 194.94
    expect(revised).toMatchObject({ ok: true, data: { version: 2, number: q.number, totalMinor: String(102600 + 19494) } });
    const detail = await getOrderDetail(db, buyer, q.orderId);
    expect(detail?.versions.map((v) => [v.version, v.totalMinor])).toEqual([[1, 119000n], [2, 122094n]]);
    // The order carries its latest version's total (a trigger keeps it for credit exposure sums).
    expect(await rows(sql`select total_minor::text as total from orders where id = ${q.orderId}`)).toEqual([{ total: "122094" }]);
    await expect(db.execute(sql`update quotations set total_minor = 1 where order_id = ${q.orderId}`)).rejects.toThrow();
    // The customer still looking at version 1 cannot accept version 2 unseen.
    const stale = await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId, quotationId: q.quotationId });
    expect(stale).toMatchObject({ ok: false, code: "conflict", error: "This quotation was revised meanwhile: review version 2 and accept that one." });
  });

  it("names every problem of a revision at once, each line by its number", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    const a = await product("ORD-RV1", { price: "10.00", stock: 50 });
    const b = await product("ORD-RV2", { price: "20.00", stock: 50 });
    const c = await product("ORD-RV3", { price: "30.00", stock: 50 });
    const q = await quotedOrder(buyer, [[a, 1], [b, 1], [c, 1]]);
    // The reason is missing, line 1's quantity is not whole and line 3's discount is over 100%: all three together.
    const shape = await runMutation(reviseQuotation, as(sales, false), {
      orderId: q.orderId, version: "1", reason: "",
      lines: [{ lineNo: 1, quantity: "1.5", unitPrice: "10.00", discountPercent: "" }, { lineNo: 3, quantity: "2", unitPrice: "30.00", discountPercent: "150" }],
    });
    expect(shape).toMatchObject({ ok: false, code: "validation_failed" });
    expect(!shape.ok && shape.fieldErrors).toEqual({ reason: ["A reason is required."], lines: ["Line 1: enter a whole quantity.", "Line 3: a discount is at most 100%."] });
    // Two unreadable prices: both lines are named, next to their own price fields.
    const prices = await runMutation(reviseQuotation, as(sales, false), {
      orderId: q.orderId, version: "1", reason: "Deal",
      lines: [{ lineNo: 1, quantity: "1", unitPrice: "abc", discountPercent: "" }, { lineNo: 2, quantity: "1", unitPrice: "-1", discountPercent: "0" }],
    });
    expect(!prices.ok && prices.fieldErrors).toEqual({ "lines.1.unitPrice": ["Line 1: enter a price such as 12.50."], "lines.2.unitPrice": ["Line 2: enter a price such as 12.50."] });
    expect(await one<{ n: number }>(sql`select count(*)::int as n from quotations where order_id = ${q.orderId}`)).toEqual({ n: 1 });
  });

  it("needs the customer admin above a buyer's limit, and finance for large orders", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const approver = await actorByEmail("approver@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    const finance = await actorByEmail("finance@demo.test");
    await db.execute(sql`update users set order_limit_minor = 100000 where id = ${buyer.id}`);
    try {
      const p = await product("ORD-L1", { price: "5000.00", stock: 10 });
      const q = await quotedOrder(buyer, [[p, 2]]); // 10,000 + 19% = 11,900.00
      const accepted = await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId });
      expect(accepted).toMatchObject({ ok: true, data: { status: "awaiting_customer_approval" } });
      expect(await runMutation(approveOrder, as(sales, false), { orderId: q.orderId })).toMatchObject({ ok: false, code: "conflict" });
      expect(await runMutation(customerApproveOrder, as(buyer, false), { orderId: q.orderId })).toMatchObject({ ok: false, code: "forbidden" });
      expect(await runMutation(customerApproveOrder, as(approver, false), { orderId: q.orderId, comment: "Budget ok" })).toMatchObject({ ok: true, data: { status: "awaiting_seller_approval" } });
      expect(await runMutation(approveOrder, as(buyer, false), { orderId: q.orderId })).toMatchObject({ ok: false, code: "forbidden" });
      expect(await runMutation(approveOrder, as(finance, false), { orderId: q.orderId })).toMatchObject({ ok: true, data: { status: "awaiting_seller_approval", step: "finance" } });
      expect(await runMutation(approveOrder, as(finance, false), { orderId: q.orderId })).toMatchObject({ ok: false, error: expect.stringMatching(/already approved/) });
      expect(await runMutation(approveOrder, as(sales, false), { orderId: q.orderId })).toMatchObject({ ok: true, data: { status: "approved" } });
      const detail = await getOrderDetail(db, approver, q.orderId);
      expect(detail?.order.approvalReasons).toEqual([
        "Customer approval: The total €11,900.00 is above the buyer's per-order limit of €1,000.00.",
        "Every order needs a sales approval.",
        "Finance approval: the total €11,900.00 is at or above the €10,000.00 threshold.",
      ]);
    } finally {
      await db.execute(sql`update users set order_limit_minor = null where id = ${buyer.id}`);
    }
  });

  it("reserves all lines or none, naming the short products", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const a = await product("ORD-S1", { stock: 10 });
    const b = await product("ORD-S2", { stock: 3 });
    const q = await quotedOrder(buyer, [[a, 5], [b, 4]]);
    const r = await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId });
    expect(r).toMatchObject({ ok: false, code: "conflict", error: "Not enough stock for ORD-S2 (ordered 4, available 3). Nothing was reserved; change the quantities or ask us for a new quotation." });
    expect(await level(a)).toEqual({ on_hand: 10, reserved: 0 });
    expect(await level(b)).toEqual({ on_hand: 3, reserved: 0 });
  });

  it("releases stock on rejection and cancels an issued invoice with a credit note", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    const p = await product("ORD-C1", { price: "20.00", stock: 20 });
    const q1 = await quotedOrder(buyer, [[p, 5]]);
    await runMutation(acceptQuotation, as(buyer), { orderId: q1.orderId });
    expect(await level(p)).toEqual({ on_hand: 20, reserved: 5 });
    expect(await runMutation(rejectOrder, as(sales, false), { orderId: q1.orderId, reason: "Credit hold" })).toMatchObject({ ok: true, data: { status: "rejected" } });
    expect(await level(p)).toEqual({ on_hand: 20, reserved: 0 });

    const q2 = await quotedOrder(buyer, [[p, 6]]);
    await runMutation(acceptQuotation, as(buyer), { orderId: q2.orderId });
    await runMutation(approveOrder, as(sales, false), { orderId: q2.orderId });
    expect(await runMutation(cancelOrderByCustomer, as(buyer, false), { orderId: q2.orderId, reason: "Changed mind" })).toMatchObject({ ok: false, code: "conflict" });
    const cancelled = await runMutation(cancelOrderByStaff, as(sales, false), { orderId: q2.orderId, reason: "Customer request" });
    expect(cancelled).toMatchObject({ ok: true, data: { status: "cancelled", creditNoteNumber: expect.stringMatching(/^CN-\d{4}-\d{6}$/) } });
    expect(await level(p)).toEqual({ on_hand: 20, reserved: 0 });
    const inv = await one<{ status: string; credited: string }>(sql`select i.status::text, c.total_minor::text as credited from invoices i join credit_notes c on c.invoice_id = i.id where i.order_id = ${q2.orderId}`);
    expect(inv).toEqual({ status: "cancelled", credited: "14280" });

    const q3 = await quotedOrder(buyer, [[p, 1]]);
    expect(await runMutation(declineQuotation, as(buyer, false), { orderId: q3.orderId, reason: "Too expensive" })).toMatchObject({ ok: true, data: { status: "declined" } });
  });
});

describe("order concurrency (PostgreSQL, real parallel transactions)", () => {
  it("records exactly one of 50 concurrent approvals of one order", async () => {
    if (!isPostgres()) return;
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    const admin = await actorByEmail("admin@demo.test");
    const p = await product("CON-A1", { stock: 10 });
    const q = await quotedOrder(buyer, [[p, 1]]);
    await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => runMutation(approveOrder, as(i % 2 ? sales : admin, false), { orderId: q.orderId })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === "conflict")).toBe(true);
    expect(await one<{ n: number }>(sql`select count(*)::int as n from order_approvals where order_id = ${q.orderId}`)).toEqual({ n: 1 });
    expect(await one<{ n: number }>(sql`select count(*)::int as n from invoices where order_id = ${q.orderId}`)).toEqual({ n: 1 });
    expect(await one<{ n: number }>(sql`select count(*)::int as n from audit_events where entity_id = ${q.orderId} and action = 'order.final_approve'`)).toEqual({ n: 1 });
  });

  it("lets exactly one of approve and cancel win, with state, stock and audit agreeing", async () => {
    if (!isPostgres()) return;
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    for (let round = 0; round < 5; round++) {
      const p = await product(`CON-R${round}`, { stock: 10 });
      const q = await quotedOrder(buyer, [[p, 3]]);
      await runMutation(acceptQuotation, as(buyer), { orderId: q.orderId });
      const [approve, cancel] = await Promise.all([
        runMutation(approveOrder, as(sales, false), { orderId: q.orderId }),
        runMutation(cancelOrderByCustomer, as(buyer, false), { orderId: q.orderId, reason: "race" }),
      ]);
      expect([approve.ok, cancel.ok].filter(Boolean)).toHaveLength(1);
      const state = await one<{ status: string; reserved: number; invoices: number; audits: number }>(sql`
        select o.status::text, i.reserved, (select count(*)::int from invoices where order_id = o.id) as invoices,
          (select count(*)::int from audit_events where entity_id = o.id::text and action in ('order.final_approve', 'order.cancel_by_customer')) as audits
        from orders o join inventory i on i.product_id = ${p} where o.id = ${q.orderId}`);
      if (approve.ok) expect(state).toEqual({ status: "approved", reserved: 3, invoices: 1, audits: 1 });
      else expect(state).toEqual({ status: "cancelled", reserved: 0, invoices: 0, audits: 1 });
    }
  });

  it("reserves exactly 10 units when 100 acceptances compete for them", async () => {
    if (!isPostgres()) return;
    const buyer = await actorByEmail("buyer@acme.test");
    const p = await product("CON-S1", { stock: 10 });
    const orders = [];
    for (let i = 0; i < 100; i++) orders.push(await quotedOrder(buyer, [[p, 1]]));
    const results = await Promise.all(orders.map((q) => runMutation(acceptQuotation, as(buyer), { orderId: q.orderId })));
    expect(results.filter((r) => r.ok)).toHaveLength(10);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && /Not enough stock for CON-S1/.test(r.error))).toBe(true);
    expect(await level(p)).toEqual({ on_hand: 10, reserved: 10 });
    const m = await one<{ reserved: number }>(sql`select coalesce(sum(reserved_delta), 0)::int as reserved from stock_movements where product_id = ${p}`);
    expect(m.reserved).toBe(10);
  }, 120_000);

  it("numbers 200 concurrent invoices 1..N without gaps or duplicates, also when some roll back", async () => {
    if (!isPostgres()) return;
    const { nextDocumentNumber } = await import("@/lib/services/document-numbers");
    const year = 2099; // a year of its own, so the series starts at 1
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        db
          .transaction(async (tx) => {
            const number = await nextDocumentNumber(tx, "INV", year);
            await tx.execute(sql`select pg_sleep(${Math.random() / 200})`);
            if (i % 7 === 3) throw new Error("forced rollback");
            return number;
          })
          .then((n) => n, () => null),
      ),
    );
    const issued = outcomes.filter((n): n is string => n !== null).map((n) => Number(n.slice(-6))).sort((a, b) => a - b);
    expect(issued.length).toBe(200 - Math.ceil((200 - 3) / 7));
    expect(issued).toEqual(Array.from({ length: issued.length }, (_, i) => i + 1));
  }, 120_000);
});

describe("submit and accept in few statements", () => {
  it("quotes contract, tier and list prices exactly as the cart showed them, and a refused submit keeps the cart", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const companyId = await company("Pricing Path GmbH");
    const buyer = await buyerOf(companyId);
    const a = await product("PP-A1", { price: "100.00", stock: 1000, tiers: "10: 95.00" });
    const b = await product("PP-B1", { price: "50.00", stock: 1000, tiers: "10: 45.00" });
    const c = await product("PP-C1", { price: "20.00", stock: 1000 });
    const ok = async <T>(r: Promise<{ ok: true; data: T } | { ok: false }>) => {
      const result = await r;
      if (!result.ok) throw new Error(JSON.stringify(result));
      return result.data;
    };
    // The list in force (the later one) has entries for A (with a tier) and B; the older list's
    // entry for C does not apply, since only the list in force counts.
    const today = new Date().toISOString().slice(0, 10);
    const current = await ok(runMutation(createPriceList, as(admin), { name: "Pricing Path current", validFrom: today, validTo: "" }));
    const older = await ok(runMutation(createPriceList, as(admin), { name: "Pricing Path older", validFrom: "2020-01-01", validTo: "" }));
    await ok(runMutation(upsertPriceListEntry, as(admin, false), { priceListId: current.id, sku: "PP-A1", unitPrice: "80.00", tiers: "10: 70.00" }));
    await ok(runMutation(upsertPriceListEntry, as(admin, false), { priceListId: current.id, sku: "PP-B1", unitPrice: "40.00", tiers: "" }));
    await ok(runMutation(upsertPriceListEntry, as(admin, false), { priceListId: older.id, sku: "PP-C1", unitPrice: "1.00", tiers: "" }));
    for (const list of [current, older]) await ok(runMutation(setPriceListAssignment, as(admin, false), { priceListId: list.id, companyId, assigned: "true" }));

    for (const [productId, quantity] of [[a, 10], [b, 10], [c, 3]] as const) await ok(runMutation(addToCart, as(buyer), { productId, quantity: String(quantity) }));
    const cart = await getCart(db, buyer);
    const shown = cart!.lines.map((l) => [l.sku, l.quantity, l.price.unitPriceMinor, l.price.explanation]);
    expect(shown).toEqual([
      ["PP-A1", 10, 7000n, "Contract price, Pricing Path current, 10+ tier"],
      ["PP-B1", 10, 4000n, "Contract price, Pricing Path current"],
      ["PP-C1", 3, 2000n, "List price"],
    ]);
    // The product page prices from the same gathered inputs (pricingInputs) as the cart and the submit.
    const page = await getPricedProduct(db, companyId, "pp-a1", today);
    expect(page!.priceTable.map((r) => [r.fromQuantity, r.price.unitPriceMinor, r.price.explanation])).toEqual([
      [1, 8000n, "Contract price, Pricing Path current"],
      [10, 7000n, "Contract price, Pricing Path current, 10+ tier"],
    ]);

    // An archived product refuses the submit, and the cart (taken out by the submit) is back.
    await db.execute(sql`update products set archived_at = now() where id = ${c}`);
    expect(await runMutation(submitCart, as(buyer), {})).toMatchObject({ ok: false, code: "validation_failed", error: "PP-C1 is no longer available; remove it from the cart." });
    expect((await getCart(db, buyer))?.lines.map((l) => l.sku)).toEqual(["PP-A1", "PP-B1", "PP-C1"]);
    await db.execute(sql`update products set archived_at = null where id = ${c}`);

    const q = await ok(runMutation(submitCart, as(buyer), {}));
    const lines = await rows<{ line_no: number; sku: string; quantity: number; unit_price_minor: string; price_explanation: string; total_minor: string }>(
      sql`select line_no, sku, quantity, unit_price_minor::text, price_explanation, total_minor::text from quotation_lines where quotation_id = ${q.quotationId} order by line_no`,
    );
    expect(lines.map((l) => [l.sku, l.quantity, BigInt(l.unit_price_minor), l.price_explanation])).toEqual(shown);
    expect(lines.map((l) => l.line_no)).toEqual([1, 2, 3]);
    // 700 + 400 + 60 = 1160.00 net, 19% tax = 220.40
    expect(q.totalMinor).toBe(String(cart!.totals.totalMinor));
    expect(q.totalMinor).toBe("138040");
    expect(await getCart(db, buyer)).toBeNull();
  });

  it("writes a submit's audit rows in order with its request, and a replay returns the same result and writes nothing", async () => {
    const buyer = await buyerOf(await company("Audit Path Ltd"));
    const p = await product("AP-A1", { stock: 10 });
    await runMutation(addToCart, as(buyer), { productId: p, quantity: "2" });
    const req = request();
    const idempotencyKey = key("submit");
    const first = await runMutation(submitCart, { actor: buyer, request: req, idempotencyKey }, {});
    if (!first.ok) throw new Error(JSON.stringify(first));
    const audit = await rows<{ action: string; entity_id: string; company_id: string; actor_id: string; diff: unknown }>(
      sql`select action, entity_id, company_id, actor_id, diff from audit_events where request_id = ${req.requestId} order by id`,
    );
    expect(audit).toEqual([
      { action: "order.submit", entity_id: first.data.orderId, company_id: buyer.companyId, actor_id: buyer.id, diff: { before: { status: "draft", version: 1 }, after: { status: "quoted", version: 2 } } },
      { action: "quotation.issue", entity_id: first.data.quotationId, company_id: buyer.companyId, actor_id: buyer.id, diff: { after: { number: first.data.number, version: 1, totalMinor: "2380" } } },
    ]);
    const replay = await runMutation(submitCart, { actor: buyer, request: request(), idempotencyKey }, {});
    expect(replay).toEqual(first);
    expect(await one<{ n: number }>(sql`select count(*)::int as n from audit_events where actor_id = ${buyer.id} and action in ('order.submit', 'quotation.issue')`)).toEqual({ n: 2 });

    const emptyReq = request();
    expect(await runMutation(submitCart, { actor: buyer, request: emptyReq, idempotencyKey: key("empty") }, {})).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await one<{ n: number }>(sql`select count(*)::int as n from audit_events where request_id = ${emptyReq.requestId}`)).toEqual({ n: 0 });
  });

  it("counts what a buyer committed this month against the monthly limit", async () => {
    const buyer = await buyerOf(await company("Monthly Limit AG"));
    await db.execute(sql`update users set monthly_limit_minor = 2000 where id = ${buyer.id}`);
    const p = await product("ML-A1", { stock: 10 }); // 10.00 + 19% = 11.90 an order
    const first = await quotedOrder(buyer, [[p, 1]]);
    expect(await runMutation(acceptQuotation, as(buyer), { orderId: first.orderId })).toMatchObject({ ok: true, data: { status: "awaiting_seller_approval" } });
    const second = await quotedOrder(buyer, [[p, 1]]);
    expect(await runMutation(acceptQuotation, as(buyer), { orderId: second.orderId })).toMatchObject({
      ok: true,
      data: {
        status: "awaiting_customer_approval",
        approvalReasons: ["Customer approval: With this order the buyer's spending this month would be €23.80, above the monthly limit of €20.00.", "Every order needs a sales approval."],
      },
    });
  });
});

describe("submit and accept concurrency (PostgreSQL, real parallel transactions)", () => {
  it("numbers 30 concurrent submits without gaps or duplicates, and refused ones take no number", async () => {
    if (!isPostgres()) return;
    const companyId = await company("Numbering Rush GmbH");
    const p = await product("NR-A1", { stock: 1000, multiple: "2" });
    const buyers = await Promise.all(Array.from({ length: 30 }, () => buyerOf(companyId)));
    // Every fifth cart holds an odd quantity of a product sold in pairs: refused before numbering.
    for (const [i, b] of buyers.entries()) await db.execute(sql`insert into orders (reference, company_id, buyer_id, currency) values (${`NR-${i}-${Date.now()}`}, ${companyId}, ${b.id}, 'EUR')`);
    for (const [i, b] of buyers.entries()) {
      await db.execute(sql`insert into cart_lines (order_id, product_id, quantity) select id, ${p}, ${i % 5 === 0 ? 3 : 2} from orders where buyer_id = ${b.id} and status = 'draft'`);
    }
    const results = await Promise.all(buyers.map((b) => runMutation(submitCart, as(b), {})));
    expect(results.filter((r) => r.ok)).toHaveLength(24);
    expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.code === "validation_failed")).toBe(true);
    const year = sellerToday().slice(0, 4);
    const numbers = (await rows<{ n: number }>(sql`select substr(number, 8)::int as n from quotations where version = 1 and number like ${`Q-${year}-%`} order by 1`)).map((r) => r.n);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(await one<{ last_value: number }>(sql`select last_value from document_sequences where kind = 'Q' and year = ${Number(year)}`)).toEqual({ last_value: numbers.length });
  }, 120_000);

  it("lets 12 concurrent acceptances see each other's credit exposure", async () => {
    if (!isPostgres()) return;
    const buyer = await buyerOf(await company("Credit Rush Ltd", "100.00"));
    const p = await product("CR-A1", { stock: 100 });
    const quoted = [];
    for (let i = 0; i < 12; i++) quoted.push(await quotedOrder(buyer, [[p, 1]])); // 11.90 each
    const results = await Promise.all(quoted.map((q) => runMutation(acceptQuotation, as(buyer), { orderId: q.orderId })));
    expect(results.every((r) => r.ok)).toBe(true);
    // Serialised on the company row: the first 8 fit under 100.00 (8 × 11.90 = 95.20), the other 4 need finance.
    const finance = await one<{ yes: number; no: number }>(sql`select count(*) filter (where needs_finance_approval)::int as yes, count(*) filter (where not needs_finance_approval)::int as no
      from orders where buyer_id = ${buyer.id} and status = 'awaiting_seller_approval'`);
    expect(finance).toEqual({ yes: 4, no: 8 });
    expect(await level(p)).toEqual({ on_hand: 100, reserved: 12 });
  }, 120_000);
  it("counts what is still owed on invoices against the credit limit, not what was already paid", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const finance = await actorByEmail("finance@demo.test");
    const { recordManualPayment } = await import("@/lib/services/payments");
    const companyId = await company("Paid Up GmbH", "100.00");
    const buyer = await buyerOf(companyId);
    const p = await product("CR-P1", { price: "50.00", stock: 10 }); // 59.50 with tax
    const needsFinance = async (orderId: string) => (await one<{ f: boolean }>(sql`select needs_finance_approval as f from orders where id = ${orderId}`)).f;

    const first = await quotedOrder(buyer, [[p, 1]]);
    expect(await runMutation(acceptQuotation, as(buyer), { orderId: first.orderId })).toMatchObject({ ok: true });
    expect(await runMutation(approveOrder, as(sales, false), { orderId: first.orderId, comment: "ok" })).toMatchObject({ ok: true, data: { status: "approved" } });

    // Unpaid, the invoice's 59.50 plus 59.50 exceed the limit of 100.00.
    const second = await quotedOrder(buyer, [[p, 1]]);
    expect(await runMutation(acceptQuotation, as(buyer), { orderId: second.orderId })).toMatchObject({ ok: true });
    expect(await needsFinance(second.orderId)).toBe(true);
    expect(await runMutation(cancelOrderByCustomer, as(buyer), { orderId: second.orderId, reason: "later" })).toMatchObject({ ok: true });

    // Paid in full (the invoice stays "open": its status only says it is not cancelled), it owes nothing.
    const paid = await runMutation(recordManualPayment, as(finance), { companyId, amount: "59.50", paidOn: sellerToday() });
    expect(paid).toMatchObject({ ok: true, data: { status: "verified" } });
    const third = await quotedOrder(buyer, [[p, 1]]);
    expect(await runMutation(acceptQuotation, as(buyer), { orderId: third.orderId })).toMatchObject({ ok: true });
    expect(await needsFinance(third.orderId)).toBe(false);
  });

  it("keeps every order's total equal to its latest quotation's total", async () => {
    const drift = await rows<{ n: number }>(sql`select count(*)::int as n from orders o
      where o.total_minor is distinct from (select total_minor from quotations where order_id = o.id order by version desc limit 1)`);
    expect(drift).toEqual([{ n: 0 }]);
  });
});
