import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customerDashboardData } from "@/db/queries/analytics/customer";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import type { Actor } from "@/lib/domain/actor";
import { addDays } from "@/lib/domain/dates";
import { addMonths, monthOf } from "@/lib/domain/periods";
import { receiveStock } from "@/lib/services/inventory";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { recordManualPayment } from "@/lib/services/payments";
import { createProduct } from "@/lib/services/products";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail, withOwner } from "@/lib/testing/helpers";
import { invoicedOrder, testKey, type InvoicedOrder } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The customer admin's dashboard on one company's known documents, made through the real services
// and then moved back in time as the schema owner (documents are immutable to the app). Every figure
// is asserted exactly; a second company's documents, made alongside, must never show.

setupTestDatabase();

const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("cust") });

/** Moves an invoice (and the order's acceptance) back in time; triggers are off for the owner's transaction only. */
async function backdate(invoiceId: string, issueDate: string, dueDate: string) {
  await withOwner((owner) =>
    owner.transaction(async (tx) => {
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`update invoices set issue_date = ${issueDate}::date, due_date = ${dueDate}::date where id = ${invoiceId}::uuid`);
    }),
  );
}

/** Sets the category of the product on an invoice's lines (category = the product's, as the dashboard reads it). */
async function categorise(invoiceId: string, category: string) {
  await withOwner((owner) => owner.execute(sql`update products set category = ${category} where id in (select product_id from invoice_lines where invoice_id = ${invoiceId}::uuid)`));
}

async function pay(companyId: string, invoiceId: string, amount: string, paidOn: string) {
  const finance = await actorByEmail("finance@demo.test");
  const paid = await runMutation(recordManualPayment, as(finance), { companyId, amount, paidOn, allocations: [{ invoiceId, amount }] });
  expect(paid.ok).toBe(true);
}

async function secondBuyer(first: InvoicedOrder["buyer"], name: string): Promise<InvoicedOrder["buyer"]> {
  const email = uniqueEmail("buyer2");
  const [user] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, ${name}, 'x', 'buyer', ${first.companyId}) returning id`);
  return { id: user!.id, email, name, role: "buyer", companyId: first.companyId };
}

describe("customer dashboard", () => {
  it("shows a fresh company nothing: no spend, no open invoices, nothing awaiting approval", async () => {
    const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency) values (${testKey("Fresh")}, 'EUR') returning id`);
    const data = await customerDashboardData(db, company!.id, sellerClock());
    expect(data.months).toHaveLength(12);
    expect(data.spendByMonth).toEqual([]);
    expect(data.spendByBuyer).toEqual([]);
    expect(data.spendByCategory).toEqual([]);
    expect(data.openInvoices).toEqual({ count: 0, overdueCount: 0, outstanding: [], overdue: [], items: [] });
    expect(data.awaitingApproval).toEqual({ count: 0, items: [] });
  });

  it("sums the company's spend by month, buyer and category, lists open invoices by due date and orders awaiting approval", async () => {
    const clock = sellerClock();
    const today = clock.today;
    const month = monthOf(today);
    const windowStart = `${addMonths(month, -11)}-01`;

    // Company X: buyer Bea places the first order; Bob is the second buyer.
    const inv1 = await invoicedOrder("100.00");
    const bea = inv1.buyer;
    await withOwner((owner) => owner.execute(sql`update users set name = 'Bea' where id = ${bea.id}::uuid`));
    const bob = await secondBuyer(bea, "Bob");
    const inv2 = await invoicedOrder("40.00", { buyer: bob });
    const inv3 = await invoicedOrder("7.00", { buyer: bea });
    const inv4 = await invoicedOrder("500.00", { buyer: bea });
    const inv5 = await invoicedOrder("10.00", { buyer: bob });
    // Another company, invoiced today in the same category, with an order awaiting approval: never shown for X.
    const other = await invoicedOrder("999.00");
    await categorise(other.invoice.id, "Paper");

    await categorise(inv1.invoice.id, "Tools");
    await categorise(inv5.invoice.id, "Tools");
    await categorise(inv2.invoice.id, "Paper");
    await categorise(inv3.invoice.id, "Paper");
    await categorise(inv4.invoice.id, "Tools");

    // inv1 two months ago, overdue, partly paid today; inv3 last month, credited today (its order
    // cancelled); inv4 the day before the window, overdue and unpaid; inv5 on the window's first
    // day, paid in full; inv2 today, due later.
    const inv1Issue = `${addMonths(month, -2)}-10`;
    await backdate(inv1.invoice.id, inv1Issue, addDays(inv1Issue, 30));
    await backdate(inv3.invoice.id, `${addMonths(month, -1)}-15`, addDays(`${addMonths(month, -1)}-15`, 30));
    const inv4Issue = addDays(windowStart, -1);
    await backdate(inv4.invoice.id, inv4Issue, addDays(inv4Issue, 14));
    await backdate(inv5.invoice.id, windowStart, addDays(windowStart, 30));
    const sales = await actorByEmail("sales@demo.test");
    expect((await runMutation(cancelOrderByStaff, as(sales), { orderId: inv3.orderId, reason: "Ordered twice" })).ok).toBe(true);
    await pay(bea.companyId, inv1.invoice.id, "30.00", today);
    await pay(bea.companyId, inv5.invoice.id, "10.00", today);

    // Bob's limit is 50.00 per order: his 60.00 order waits for the customer admin, accepted 3 days and an hour ago.
    const admin = await actorByEmail("admin@demo.test");
    await rows(sql`update users set order_limit_minor = 5000 where id = ${bob.id}::uuid`);
    const product = await runMutation(createProduct, as(admin), { sku: testKey("APPR").toUpperCase(), name: "Approval item", category: "Paper", basePrice: "60.00", taxRate: "0" });
    if (!product.ok) throw new Error(product.error);
    await runMutation(receiveStock, as(admin), { productId: product.data.id, quantity: "5" });
    const waiting: string[] = [];
    for (const buyer of [bob, { ...other.buyer, role: "buyer" as const }]) {
      if (buyer !== bob) await rows(sql`update users set order_limit_minor = 5000 where id = ${buyer.id}::uuid`);
      expect((await runMutation(addToCart, as(buyer), { productId: product.data.id, quantity: "1" })).ok).toBe(true);
      const quote = await runMutation(submitCart, as(buyer), {});
      if (!quote.ok) throw new Error(quote.error);
      const accepted = await runMutation(acceptQuotation, as(buyer), { orderId: quote.data.orderId });
      expect(accepted).toMatchObject({ ok: true, data: { status: "awaiting_customer_approval" } });
      waiting.push(quote.data.orderId);
    }
    const acceptedAt = new Date(Date.now() - (3 * 24 + 1) * 3_600_000);
    await withOwner((owner) =>
      owner.transaction(async (tx) => {
        await tx.execute(sql`set local session_replication_role = replica`);
        await tx.execute(sql`update orders set accepted_at = ${acceptedAt.toISOString()}::timestamptz where id = ${waiting[0]!}::uuid`);
      }),
    );
    const [bobsOrder] = await rows<{ reference: string }>(sql`select reference from orders where id = ${waiting[0]!}::uuid`);

    const data = await customerDashboardData(db, bea.companyId, clock);

    expect(data.period).toEqual({ from: windowStart, to: today });
    const expectedMonths = new Map([
      [addMonths(month, -11), 1000n], // inv5
      [addMonths(month, -2), 10000n], // inv1
      [addMonths(month, -1), 700n], // inv3
      [month, 4000n - 700n], // inv2, less inv3's credit note
    ]);
    expect(data.spendByMonth).toEqual([
      { currency: "EUR", total: 15000n, months: data.months.map((m) => ({ month: m, minor: expectedMonths.get(m) ?? 0n })) },
    ]);
    expect(data.spendByBuyer).toEqual([
      { buyerId: bea.id, buyerName: "Bea", currency: "EUR", minor: 10000n }, // inv1; inv3 credited; inv4 before the window
      { buyerId: bob.id, buyerName: "Bob", currency: "EUR", minor: 5000n }, // inv2 + inv5
    ]);
    expect(data.spendByCategory).toEqual([
      { category: "Tools", currency: "EUR", minor: 11000n }, // inv1 + inv5
      { category: "Paper", currency: "EUR", minor: 4000n }, // inv2 + inv3 − its credit note
    ]);

    expect(data.openInvoices).toEqual({
      count: 3,
      overdueCount: 2,
      outstanding: [{ currency: "EUR", minor: 61000n }],
      overdue: [{ currency: "EUR", minor: 57000n }],
      items: [
        { invoiceId: inv4.invoice.id, number: inv4.invoice.number, currency: "EUR", issueDate: inv4Issue, dueDate: addDays(inv4Issue, 14), totalMinor: 50000n, outstandingMinor: 50000n, overdue: true },
        { invoiceId: inv1.invoice.id, number: inv1.invoice.number, currency: "EUR", issueDate: inv1Issue, dueDate: addDays(inv1Issue, 30), totalMinor: 10000n, outstandingMinor: 7000n, overdue: true },
        { invoiceId: inv2.invoice.id, number: inv2.invoice.number, currency: "EUR", issueDate: today, dueDate: expect.any(String), totalMinor: 4000n, outstandingMinor: 4000n, overdue: false },
      ],
    });
    expect(data.openInvoices.items[2]!.dueDate >= today).toBe(true);

    expect(data.awaitingApproval).toEqual({
      count: 1,
      items: [{ orderId: waiting[0], reference: bobsOrder!.reference, buyerName: "Bob", currency: "EUR", totalMinor: 6000n, acceptedAt, waitingDays: 3 }],
    });

    // The other company sees its own documents only.
    const theirs = await customerDashboardData(db, other.buyer.companyId, clock);
    expect(theirs.spendByMonth.map((s) => s.total)).toEqual([99900n]);
    expect(theirs.spendByCategory).toEqual([{ category: "Paper", currency: "EUR", minor: 99900n }]);
    expect(theirs.openInvoices.items.map((i) => i.invoiceId)).toEqual([other.invoice.id]);
    expect(theirs.awaitingApproval.items.map((o) => o.orderId)).toEqual([waiting[1]]);
  });
});
