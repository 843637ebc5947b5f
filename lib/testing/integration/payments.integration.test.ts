import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { listInvoices, receivablesAgeing } from "@/db/queries/invoices";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { rejectPayment, submitRemittance, verifyPayment } from "@/lib/services/payments";

setupTestDatabase();

const key = () => testKey("pay");
const today = new Date().toISOString().slice(0, 10);

async function invoiced(price: string) {
  const { buyer, invoice } = await invoicedOrder(price);
  return { buyer, invoice };
}

const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;

describe("payments", () => {
  it("records a partial remittance, refuses more than is outstanding, and derives the invoice status from verified payments", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const { buyer, invoice } = await invoiced("100.00");
    expect(invoice.payment_reference).toMatch(/^RF\d{2}INV\d{10}$/);
    const partial = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "40.00", paidOn: today, reference: invoice.payment_reference });
    expect(partial).toMatchObject({ ok: true, data: { status: "pending_verification", allocations: [{ invoiceId: invoice.id, amountMinor: "4000" }] } });
    const tooMuch = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "60.01", paidOn: today });
    expect(tooMuch).toMatchObject({ ok: false, fieldErrors: { amount: ["The amount is more than the €60.00 outstanding on your open invoices."] } });
    const twice = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "20.00", paidOn: today, allocations: [{ invoiceId: invoice.id, amount: "10.00" }, { invoiceId: invoice.id, amount: "10.00" }] });
    expect(twice).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { allocations: ["Name each invoice once."] } });
    const typo = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "1.00", paidOn: today, reference: invoice.payment_reference.slice(0, -1) + String((Number(invoice.payment_reference.slice(-1)) + 1) % 10) });
    expect(typo).toMatchObject({ ok: false, fieldErrors: { reference: [expect.stringMatching(/typo/)] } });
    expect((await listInvoices(db, buyer))[0]).toMatchObject({ status: "open", paidMinor: 0n, pendingMinor: 4000n, dueMinor: 10000n });
    if (!partial.ok) return;
    await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: partial.data.paymentId });
    expect((await listInvoices(db, buyer))[0]).toMatchObject({ status: "partially_paid", paidMinor: 4000n, dueMinor: 6000n });
    const rest = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "60.00", paidOn: today });
    if (!rest.ok) throw new Error(rest.error);
    await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: rest.data.paymentId });
    expect((await listInvoices(db, buyer))[0]).toMatchObject({ status: "paid", dueMinor: 0n });
    const globex = await actorByEmail("buyer@globex.test");
    expect((await listInvoices(db, globex)).some((i) => i.id === invoice.id)).toBe(false);
    // Fully paid: nothing left in the ageing report for this company.
    expect((await receivablesAgeing(db, finance)).some((r) => r.companyId === buyer.companyId)).toBe(false);
  });

  it("ages what is due by days past the due date, per company", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const { buyer } = await invoiced("200.00");
    const [inv] = await listInvoices(db, buyer);
    const ageOn = async (today: string) => (await receivablesAgeing(db, finance, today)).find((r) => r.companyId === buyer.companyId);
    expect((await ageOn(inv!.dueDate))?.buckets).toEqual({ current: 20000n, "1-30": 0n, "31-60": 0n, "61-90": 0n, "90+": 0n });
    const later = new Date(Date.parse(inv!.dueDate) + 45 * 86_400_000).toISOString().slice(0, 10);
    expect(await ageOn(later)).toMatchObject({ totalMinor: 20000n, buckets: { current: 0n, "31-60": 20000n } });
  });

  it("records one payment for 200 concurrent identical submissions with one key, and refuses the key with another amount", async () => {
    if (!isPostgres()) return;
    const { buyer, invoice } = await invoiced("500.00");
    const k = key();
    const results = await Promise.all(Array.from({ length: 200 }, () => runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: k }, { amount: "125.00", paidOn: today })));
    expect(results.every((r) => r.ok)).toBe(true);
    for (const r of results) expect(r).toEqual(results[0]);
    expect(await count(sql`select count(*)::int as n from payments where company_id = ${buyer.companyId}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from payment_allocations where invoice_id = ${invoice.id}`)).toBe(1);
    const other = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: k }, { amount: "126.00", paidOn: today });
    expect(other).toMatchObject({ ok: false, code: "idempotency_key_reused" });
    expect(await count(sql`select count(*)::int as n from payments where company_id = ${buyer.companyId}`)).toBe(1);
  }, 60_000);

  it("lets exactly one of verify and reject decide a payment", async () => {
    if (!isPostgres()) return;
    const finance = await actorByEmail("finance@demo.test");
    const admin = await actorByEmail("admin@demo.test");
    for (let round = 0; round < 5; round++) {
      const { buyer } = await invoiced("50.00");
      const paid = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "50.00", paidOn: today });
      if (!paid.ok) throw new Error(paid.error);
      const [v, r] = await Promise.all([
        runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: paid.data.paymentId }),
        runMutation(rejectPayment, { actor: admin, request: request(), idempotencyKey: key() }, { paymentId: paid.data.paymentId, reason: "Not on the statement" }),
      ]);
      expect([v.ok, r.ok].filter(Boolean)).toHaveLength(1);
      const [row] = await rows<{ status: string; audits: number }>(sql`select status::text, (select count(*)::int from audit_events where entity_id = ${paid.data.paymentId} and action in ('payment.verify', 'payment.reject')) as audits from payments where id = ${paid.data.paymentId}`);
      expect(row).toEqual({ status: v.ok ? "verified" : "rejected", audits: 1 });
    }
  });

  it("has the database refuse an over-allocation written directly", async () => {
    const { buyer, invoice } = await invoiced("80.00");
    const [p] = await rows<{ id: string }>(sql`insert into payments (company_id, source, status, amount_minor, currency, paid_on) values (${buyer.companyId}, 'manual', 'verified', 9000, 'EUR', ${today}) returning id`);
    await expect(db.execute(sql`insert into payment_allocations (payment_id, invoice_id, amount_minor) values (${p!.id}, ${invoice.id}, 8001)`)).rejects.toThrow();
    await db.execute(sql`insert into payment_allocations (payment_id, invoice_id, amount_minor) values (${p!.id}, ${invoice.id}, 8000)`);
    expect(await count(sql`select count(*)::int as n from payment_allocations where invoice_id = ${invoice.id}`)).toBe(1);
  });
});

describe("a fully paid invoice moves its order on", () => {
  it("completes a delivered order when its invoice is paid, and a paid order when it is delivered", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const { shipOrder, deliverOrder } = await import("@/lib/services/orders/fulfilment");
    const { recordManualPayment } = await import("@/lib/services/payments");
    const status = async (orderId: string) => (await rows<{ status: string; paid: boolean }>(sql`select status::text, paid_at is not null as paid from orders where id = ${orderId}`))[0];

    // Delivered first, then paid.
    const a = await invoiced("30.00");
    const [orderA] = await rows<{ order_id: string }>(sql`select order_id from invoices where id = ${a.invoice.id}`);
    await runMutation(shipOrder, { actor: sales, request: request(), idempotencyKey: key() }, { orderId: orderA!.order_id, carrier: "DHL", trackingNumber: "1" });
    await runMutation(deliverOrder, { actor: sales, request: request() }, { orderId: orderA!.order_id });
    expect(await status(orderA!.order_id)).toEqual({ status: "delivered", paid: false });
    const paidA = await runMutation(recordManualPayment, { actor: finance, request: request(), idempotencyKey: key() }, { companyId: a.buyer.companyId, amount: "30.00", paidOn: today });
    expect(paidA.ok).toBe(true);
    expect(await status(orderA!.order_id)).toEqual({ status: "completed", paid: true });

    // Paid first (remittance verified), then delivered.
    const b = await invoiced("45.00");
    const [orderB] = await rows<{ order_id: string }>(sql`select order_id from invoices where id = ${b.invoice.id}`);
    const rem = await runMutation(submitRemittance, { actor: b.buyer, request: request(), idempotencyKey: key() }, { amount: "45.00", paidOn: today });
    if (!rem.ok) throw new Error(rem.error);
    await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: rem.data.paymentId });
    expect(await status(orderB!.order_id)).toEqual({ status: "approved", paid: true });
    await runMutation(shipOrder, { actor: sales, request: request(), idempotencyKey: key() }, { orderId: orderB!.order_id, carrier: "UPS", trackingNumber: "2" });
    const delivered = await runMutation(deliverOrder, { actor: sales, request: request() }, { orderId: orderB!.order_id });
    expect(delivered).toMatchObject({ ok: true, data: { status: "completed" } });
    const events = await rows<{ event: string }>(sql`select event from order_events where order_id = ${orderB!.order_id} order by id`);
    expect(events.map((e) => e.event)).toEqual(["submit", "accept", "final_approve", "invoice_paid", "ship", "deliver", "complete"]);
  });
  it("a refund takes the paid mark off an order whose invoice is no longer paid in full", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const { refundPayment } = await import("@/lib/services/payments");
    const { buyer, invoice } = await invoiced("12.00");
    const rem = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "12.00", paidOn: today });
    if (!rem.ok) throw new Error(rem.error);
    await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: rem.data.paymentId });
    const [order] = await rows<{ id: string }>(sql`select order_id as id from invoices where id = ${invoice.id}`);
    const paid = async () => (await rows<{ paid: boolean }>(sql`select paid_at is not null as paid from orders where id = ${order!.id}`))[0]!.paid;
    expect(await paid()).toBe(true);
    const refunded = await runMutation(refundPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: rem.data.paymentId, reason: "Paid twice" });
    expect(refunded).toMatchObject({ ok: true, data: { status: "refunded" } });
    expect(await paid()).toBe(false);
    expect((await listInvoices(db, buyer))[0]).toMatchObject({ status: "open", dueMinor: 1200n });
    expect(await rows(sql`select event, note from order_events where order_id = ${order!.id} and event = 'invoice_unpaid'`)).toEqual([{ event: "invoice_unpaid", note: "A payment on this invoice was refunded" }]);
  });
});
