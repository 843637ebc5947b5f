import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getOrderDetail } from "@/db/queries/orders";
import { listInvoices } from "@/db/queries/invoices";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { submitRemittance, verifyPayment } from "@/lib/services/payments";

// Bugs of issue 9 in the payment path, each reproduced through the real services.

setupTestDatabase();

const key = () => testKey("bug");
const today = new Date().toISOString().slice(0, 10);

/** Sum of the allocations of payments that still count (not rejected or refunded) against the invoice total. */
async function overAllocated(invoiceId: string): Promise<{ allocated: string; total: string; within: boolean }> {
  const [row] = await rows<{ allocated: string; total: string; within: boolean }>(
    sql`select coalesce(sum(a.amount_minor) filter (where p.status in ('pending_verification', 'verified')), 0)::text as allocated, i.total_minor::text as total,
               coalesce(sum(a.amount_minor) filter (where p.status in ('pending_verification', 'verified')), 0) <= i.total_minor as within
        from invoices i left join payment_allocations a on a.invoice_id = i.id left join payments p on p.id = a.payment_id
        where i.id = ${invoiceId} group by i.id`,
  );
  return row!;
}

describe("concurrent remittances for one invoice (issue 9: spurious 409)", () => {
  it("accepts 16 parallel remittances that fit, then exactly as many of an oversubscribed batch as fit, each refusal naming the amount", async () => {
    if (!isPostgres()) return;
    const { buyer, invoice } = await invoicedOrder("1000.00");
    // 16 × 30.00 = 480.00 of 1000.00: each fits, together they fit.
    const first = await Promise.all(
      Array.from({ length: 16 }, () => runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "30.00", paidOn: today })),
    );
    expect(first.filter((r) => !r.ok)).toEqual([]);
    expect(await overAllocated(invoice.id)).toEqual({ allocated: "48000", total: "100000", within: true });

    // 520.00 are left; 20 × 40.00 = 800.00 oversubscribe it: exactly 13 fit (520.00), 7 are refused.
    const second = await Promise.all(
      Array.from({ length: 20 }, () => runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "40.00", paidOn: today })),
    );
    expect(second.filter((r) => r.ok)).toHaveLength(13);
    // Each refusal is the customer's field error with what is outstanding then, read after the invoice lock,
    // never the database's last-line "would be paid more than its total" conflict.
    const refusals = second.filter((r) => !r.ok);
    expect(refusals).toHaveLength(7);
    for (const r of refusals) expect(r).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { amount: ["The amount is more than the €0.00 outstanding on your open invoices."] } });
    expect(await overAllocated(invoice.id)).toEqual({ allocated: "100000", total: "100000", within: true });
  }, 60_000);

  it("spreads parallel remittances over the company's open invoices oldest first without a spurious conflict", async () => {
    if (!isPostgres()) return;
    const a = await invoicedOrder("100.00");
    const b = await invoicedOrder("100.00", { buyer: a.buyer });
    // 16 × 12.50 = 200.00: exactly both invoices; the first fills up while others wait on its lock.
    const results = await Promise.all(
      Array.from({ length: 16 }, () => runMutation(submitRemittance, { actor: a.buyer, request: request(), idempotencyKey: key() }, { amount: "12.50", paidOn: today })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(await overAllocated(a.invoice.id)).toEqual({ allocated: "10000", total: "10000", within: true });
    expect(await overAllocated(b.invoice.id)).toEqual({ allocated: "10000", total: "10000", within: true });
  }, 60_000);
});

describe("remittance form errors (issue 9: one error at a time)", () => {
  it("reports the amount and the reference errors together", async () => {
    const { buyer, invoice } = await invoicedOrder("10.00");
    const ref = invoice.payment_reference;
    const typo = ref.slice(0, -1) + String((Number(ref.slice(-1)) + 1) % 10);
    const result = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "abc", paidOn: today, reference: typo });
    expect(result).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: {
        amount: ["Enter an amount greater than zero, such as 1250.00."],
        reference: ["This RF reference has a typo (its check digits do not match). Copy it from the invoice."],
      },
    });
    expect(await rows(sql`select id from payments where company_id = ${buyer.companyId}`)).toEqual([]);
    // A malformed date as well, and an unreadable amount for the invoice: every field at once.
    const all = await runMutation(
      submitRemittance,
      { actor: buyer, request: request(), idempotencyKey: key() },
      { amount: "abc", paidOn: "yesterday", reference: typo, allocations: [{ invoiceId: invoice.id, amount: "x" }] },
    );
    expect(all).toMatchObject({
      ok: false,
      code: "validation_failed",
      error: "Some fields need attention.",
      fieldErrors: {
        amount: ["Enter an amount greater than zero, such as 1250.00."],
        paidOn: ["Enter a real date (yyyy-mm-dd)."],
        reference: ["This RF reference has a typo (its check digits do not match). Copy it from the invoice."],
        allocations: ["Enter an amount greater than zero, such as 1250.00."],
      },
    });
  });

  it("reports a future date with a bad amount, too", async () => {
    const { buyer } = await invoicedOrder("10.00");
    const result = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "0", paidOn: "2999-01-01" });
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { amount: ["Enter an amount greater than zero, such as 1250.00."], paidOn: ["The payment date cannot be in the future."] },
    });
  });
});

describe("the order page's invoice status (issue 9: 'Paid' on /invoices, 'Open' on the order)", () => {
  it("reads the same status as /invoices after finance verifies the payment", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const { buyer, orderId, invoice } = await invoicedOrder("25.00");
    const before = await getOrderDetail(db, buyer, orderId);
    expect(before?.invoiceStatus).toBe("open");
    const rem = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "10.00", paidOn: today });
    if (!rem.ok) throw new Error(rem.error);
    await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: rem.data.paymentId });
    expect((await getOrderDetail(db, buyer, orderId))?.invoiceStatus).toBe("partially_paid");
    const rest = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "15.00", paidOn: today });
    if (!rest.ok) throw new Error(rest.error);
    // Awaiting verification is not paid, on either page.
    expect((await getOrderDetail(db, buyer, orderId))?.invoiceStatus).toBe("partially_paid");
    await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: rest.data.paymentId });
    const listed = (await listInvoices(db, buyer)).find((i) => i.id === invoice.id);
    expect(listed?.status).toBe("paid");
    expect((await getOrderDetail(db, buyer, orderId))?.invoiceStatus).toBe("paid");
    expect((await getOrderDetail(db, sales, orderId))?.invoiceStatus).toBe("paid");
  });
});

describe("cancelling an order whose invoice has a remittance awaiting verification (issue 9)", () => {
  const pending = (paymentId: string) =>
    rows<{ status: string; reason: string | null; allocations: string | null }>(
      sql`select p.status::text, p.decision_reason as reason,
                 (select string_agg(i.number || '=' || a.amount_minor, ',' order by i.number) from payment_allocations a join invoices i on i.id = a.invoice_id where a.payment_id = p.id) as allocations
          from payments p where p.id = ${paymentId}`,
    ).then((r) => r[0]);

  it("rejects the remittance when the customer has no other open invoice to take it, audited", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const { buyer, orderId, invoice } = await invoicedOrder("40.00");
    const rem = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount: "25.00", paidOn: today });
    if (!rem.ok) throw new Error(rem.error);
    const cancelled = await runMutation(cancelOrderByStaff, { actor: sales, request: request() }, { orderId, reason: "Customer changed their mind" });
    expect(cancelled).toMatchObject({ ok: true, data: { status: "cancelled" } });
    expect(await pending(rem.data.paymentId)).toEqual({
      status: "rejected",
      reason: `Invoice ${invoice.number} was cancelled (order cancelled: Customer changed their mind); the payment could not be moved to another open invoice.`,
      allocations: `${invoice.number}=2500`,
    });
    const audits = await rows<{ action: string; actor_id: string }>(sql`select action, actor_id from audit_events where entity_id = ${rem.data.paymentId} and action <> 'payment.remittance' order by id`);
    expect(audits).toEqual([{ action: "payment.reject", actor_id: sales.id }]);
  });

  it("moves the remittance to the customer's other open invoices when they have enough outstanding, audited", async () => {
    const sales = await actorByEmail("sales@demo.test");
    const a = await invoicedOrder("40.00");
    const b = await invoicedOrder("30.00", { buyer: a.buyer });
    const c = await invoicedOrder("20.00", { buyer: a.buyer });
    // b has 10.00 awaiting verification already: 20.00 + 20.00 are left on b and c.
    const other = await runMutation(submitRemittance, { actor: a.buyer, request: request(), idempotencyKey: key() }, { amount: "10.00", paidOn: today, allocations: [{ invoiceId: b.invoice.id, amount: "10.00" }] });
    if (!other.ok) throw new Error(other.error);
    const rem = await runMutation(submitRemittance, { actor: a.buyer, request: request(), idempotencyKey: key() }, { amount: "35.00", paidOn: today, allocations: [{ invoiceId: a.invoice.id, amount: "35.00" }] });
    if (!rem.ok) throw new Error(rem.error);
    const cancelled = await runMutation(cancelOrderByStaff, { actor: sales, request: request() }, { orderId: a.orderId, reason: "Duplicate order" });
    expect(cancelled.ok).toBe(true);
    const [first, second] = [b, c].sort((x, y) => (x.invoice.number < y.invoice.number ? -1 : 1));
    expect(await pending(rem.data.paymentId)).toEqual({
      status: "pending_verification",
      reason: null,
      allocations: `${first!.invoice.number}=${first === b ? 2000 : 1500},${second!.invoice.number}=${second === b ? 2000 : 1500}`,
    });
    const [audit] = await rows<{ action: string; before: unknown; after: unknown }>(sql`select action, diff->'before' as before, diff->'after' as after from audit_events where entity_id = ${rem.data.paymentId} and action = 'payment.reallocate'`);
    expect(audit).toMatchObject({ action: "payment.reallocate", before: { allocations: `${a.invoice.id}: 3500` } });
    expect(await overAllocated(b.invoice.id)).toMatchObject({ allocated: "3000", within: true });
  });
});
