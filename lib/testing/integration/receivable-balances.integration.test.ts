import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outstandingAsOf } from "@/db/queries/analytics/ledger";
import { runMutation } from "@/lib/mutation";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { recordManualPayment, refundPayment, rejectPayment, submitRemittance, verifyPayment } from "@/lib/services/payments";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The receivables rollup (receivable_balances, migration 0017) is kept by triggers in the documents'
// own transactions. After every step of a payment's life through the app's services it holds exactly
// the ledger's outstanding today for the company, invoice by invoice.

setupTestDatabase();

describe("receivable_balances", () => {
  it("follows invoices, remittances, verification, rejection, refunds and credit notes exactly as the ledger's outstanding today", async () => {
    const today = sellerClock().today;
    const first = await invoicedOrder("100.00");
    const second = await invoicedOrder("40.00", { buyer: first.buyer });
    const third = await invoicedOrder("7.00", { buyer: first.buyer });
    const companyId = first.buyer.companyId;
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const as = (actor: typeof finance) => ({ actor, request: request(), idempotencyKey: testKey("rb") });

    const rollup = async () =>
      (await rows<{ invoice_id: string; minor: string }>(sql`select invoice_id, outstanding_minor::text as minor from receivable_balances where company_id = ${companyId} order by invoice_id`)).map(
        (r) => [r.invoice_id, BigInt(r.minor)] as const,
      );
    const ledger = async () =>
      (await rows<{ invoice_id: string; minor: string }>(sql`select invoice_id, outstanding_minor::text as minor from (${outstandingAsOf(today, { companyId })}) e order by invoice_id`)).map(
        (r) => [r.invoice_id, BigInt(r.minor)] as const,
      );
    const expectDue = async (due: Record<string, bigint>) => {
      const expected = Object.entries(due).filter(([, v]) => v > 0n).sort(([a], [b]) => (a < b ? -1 : 1));
      expect(await rollup()).toEqual(expected);
      expect(await ledger()).toEqual(expected);
    };
    const [a, b, c] = [first.invoice.id, second.invoice.id, third.invoice.id];
    await expectDue({ [a]: 10000n, [b]: 4000n, [c]: 700n });

    // A verified manual payment over two invoices: the first settled, the second partly.
    const manual = await runMutation(recordManualPayment, as(finance), { companyId, amount: "120.00", paidOn: today, allocations: [{ invoiceId: a, amount: "100.00" }, { invoiceId: b, amount: "20.00" }] });
    expect(manual.ok).toBe(true);
    await expectDue({ [a]: 0n, [b]: 2000n, [c]: 700n });

    // A remittance awaiting verification changes nothing; verified, it settles; another is rejected.
    const remit = await runMutation(submitRemittance, as(first.buyer), { amount: "20.00", paidOn: today, reference: "remit 1", allocations: [{ invoiceId: b, amount: "20.00" }] });
    if (!remit.ok) throw new Error(remit.error);
    await expectDue({ [a]: 0n, [b]: 2000n, [c]: 700n });
    expect((await runMutation(verifyPayment, as(finance), { paymentId: remit.data.paymentId })).ok).toBe(true);
    await expectDue({ [a]: 0n, [b]: 0n, [c]: 700n });
    const bounced = await runMutation(submitRemittance, as(first.buyer), { amount: "3.00", paidOn: today, reference: "remit 2", allocations: [{ invoiceId: c, amount: "3.00" }] });
    if (!bounced.ok) throw new Error(bounced.error);
    expect((await runMutation(rejectPayment, as(finance), { paymentId: bounced.data.paymentId, reason: "Bounced" })).ok).toBe(true);
    await expectDue({ [a]: 0n, [b]: 0n, [c]: 700n });

    // A refund puts the first invoice's amount back; cancelling the third order credits its invoice.
    if (!manual.ok) throw new Error(manual.error);
    expect((await runMutation(refundPayment, as(finance), { paymentId: manual.data.paymentId, reason: "Paid twice" })).ok).toBe(true);
    await expectDue({ [a]: 10000n, [b]: 2000n, [c]: 700n });
    expect((await runMutation(cancelOrderByStaff, as(sales), { orderId: third.orderId, reason: "Customer went elsewhere" })).ok).toBe(true);
    await expectDue({ [a]: 10000n, [b]: 2000n });
  });
});
