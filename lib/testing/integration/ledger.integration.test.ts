import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bookedEntries, collectedEntries, invoicedEntries, outstandingAsOf, sumByCurrency } from "@/db/queries/analytics/ledger";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { addDays } from "@/lib/domain/dates";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { recordManualPayment } from "@/lib/services/payments";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The ledger fragments on one company's known documents. The randomised comparison of every figure
// against a brute-force recomputation is analytics.integration.test.ts.

setupTestDatabase();

describe("ledger", () => {
  it("books, invoices, credits, collects and leaves outstanding exactly the company's documents", async () => {
    const clock = sellerClock();
    const today = clock.today;
    const first = await invoicedOrder("100.00");
    await invoicedOrder("40.00", { buyer: first.buyer });
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

    const filter = { companyId: first.buyer.companyId };
    const period = { from: today, to: today };
    const sum = async (entries: ReturnType<typeof bookedEntries>) =>
      sumByCurrency(await rows<{ currency: string; minor: string }>(sql`select currency, sum(amount_minor)::text as minor from (${entries}) e group by currency`));

    // The cancelled order no longer counts as booked; its invoice and credit note both fall today.
    expect(await sum(bookedEntries(period, clock, filter))).toEqual([{ currency: "EUR", minor: 14000n }]);
    expect(await sum(invoicedEntries(period, filter))).toEqual([{ currency: "EUR", minor: 14000n }]);
    expect(await sum(collectedEntries(period, filter))).toEqual([{ currency: "EUR", minor: 3000n }]);
    expect(await sum(bookedEntries({ from: addDays(today, 1), to: addDays(today, 30) }, clock, filter))).toEqual([]);

    const outstanding = await rows<{ invoice_id: string; outstanding_minor: string }>(sql`select invoice_id, outstanding_minor::text from (${outstandingAsOf(today, filter)}) e order by invoice_id`);
    const balances = (await invoiceBalances(db, { companyId: first.buyer.companyId, counting: "verified", openOnly: true })).filter((b) => b.outstandingMinor > 0n);
    expect(outstanding.map((o) => [o.invoice_id, BigInt(o.outstanding_minor)])).toEqual(
      balances.map((b) => [b.invoiceId, b.outstandingMinor]).sort(([a], [b]) => ((a as string) < (b as string) ? -1 : 1)),
    );
    expect(outstanding.map((o) => BigInt(o.outstanding_minor)).sort()).toEqual([4000n, 7000n]);
    // The day before, nothing had been issued yet.
    expect(await rows(sql`select 1 from (${outstandingAsOf(addDays(today, -1), filter)}) e`)).toEqual([]);
  });
});
