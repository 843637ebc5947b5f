import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { invoiceBalances, type BalanceCounting } from "@/db/queries/invoice-balances";
import { listInvoices } from "@/db/queries/invoices";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { recordManualPayment, refundPayment, rejectPayment, submitRemittance, verifyPayment } from "@/lib/services/payments";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey, type InvoicedOrder } from "@/lib/testing/invoices";

// invoiceBalances against a brute-force recomputation after a randomised workload through the real
// services: remittances (oldest first and to a named invoice, some too large), verifications,
// rejections, refunds, manual payments and order cancellations, over several companies.

setupTestDatabase();

/** mulberry32: a small seeded generator, so a failing run can be repeated with BALANCE_SEED. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

type Expected = { invoiceId: string; status: string; totalMinor: bigint; paidMinor: bigint; pendingMinor: bigint };

/** The balances recomputed independently: every allocation with its payment's status, summed here. */
async function bruteForce(companyIds: string[]): Promise<Map<string, Expected>> {
  const invoices = await rows<{ id: string; status: string; total_minor: string }>(
    sql`select id, status::text, total_minor::text from invoices where company_id in (${sql.join(companyIds.map((id) => sql`${id}::uuid`), sql`, `)})`,
  );
  const allocations = await rows<{ invoice_id: string; amount_minor: string; status: string }>(
    sql`select a.invoice_id, a.amount_minor::text, (select p.status::text from payments p where p.id = a.payment_id) as status
        from payment_allocations a where a.invoice_id in (select id from invoices where company_id in (${sql.join(companyIds.map((id) => sql`${id}::uuid`), sql`, `)}))`,
  );
  const out = new Map<string, Expected>();
  for (const i of invoices) out.set(i.id, { invoiceId: i.id, status: i.status, totalMinor: BigInt(i.total_minor), paidMinor: 0n, pendingMinor: 0n });
  for (const a of allocations) {
    const e = out.get(a.invoice_id)!;
    if (a.status === "verified") e.paidMinor += BigInt(a.amount_minor);
    if (a.status === "pending_verification") e.pendingMinor += BigInt(a.amount_minor);
  }
  return out;
}

function expectedFigures(e: Expected, counting: BalanceCounting) {
  const allocatedMinor = counting === "verified" ? e.paidMinor : e.paidMinor + e.pendingMinor;
  return { status: e.status, totalMinor: e.totalMinor, paidMinor: e.paidMinor, pendingMinor: e.pendingMinor, allocatedMinor, outstandingMinor: e.status === "cancelled" ? 0n : e.totalMinor - allocatedMinor };
}

describe("invoiceBalances", () => {
  it("equals a brute-force recomputation after a randomised workload, for both countings and every scope", async () => {
    const seed = Number(process.env.BALANCE_SEED ?? Date.now() % 1_000_000_007);
    const rnd = generator(seed);
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const as = (actor: typeof finance) => ({ actor, request: request(), idempotencyKey: testKey("bal") });

    // Three companies with three or four invoices each, of random totals.
    const companies: InvoicedOrder[][] = [];
    for (let c = 0; c < 3; c++) {
      const first = await invoicedOrder(`${rnd.int(20, 400)}.${String(rnd.int(0, 99)).padStart(2, "0")}`);
      const list = [first];
      for (let k = rnd.int(2, 3); k > 0; k--) list.push(await invoicedOrder(`${rnd.int(20, 400)}.${String(rnd.int(0, 99)).padStart(2, "0")}`, { buyer: first.buyer }));
      companies.push(list);
    }
    const companyIds = companies.map((c) => c[0]!.buyer.companyId);
    const payments = { pending: [] as string[], verified: [] as string[] };
    const counts: Record<string, number> = {};
    const decimal = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;
    /** A random amount from 0.01 up to `maxMinor`, often all of it (settling invoices). */
    const amount = (maxMinor: bigint) => decimal(rnd.next() < 0.3 ? maxMinor : BigInt(rnd.int(1, Math.max(1, Number(maxMinor)))));

    for (let step = 0; step < 70; step++) {
      const company = rnd.pick(companies);
      const buyer = company[0]!.buyer;
      const action = rnd.pick(["remit", "remit", "remit_to", "verify", "verify", "reject", "refund", "manual", "cancel", "too_much"] as const);
      const open = (await invoiceBalances(db, { companyId: buyer.companyId, counting: "verified_and_pending", openOnly: true })).filter((b) => b.outstandingMinor > 0n);
      const outstanding = open.reduce((s, b) => s + b.outstandingMinor, 0n);
      let ok = false;
      if ((action === "remit" || action === "manual") && outstanding > 0n) {
        const r =
          action === "remit"
            ? await runMutation(submitRemittance, as(buyer), { amount: amount(outstanding), paidOn: "2026-11-01" })
            : await runMutation(recordManualPayment, as(finance), { companyId: buyer.companyId, amount: amount(outstanding), paidOn: "2026-11-01" });
        ok = r.ok;
        if (r.ok) (action === "remit" ? payments.pending : payments.verified).push(r.data.paymentId);
        else throw new Error(`seed ${seed}, step ${step}: ${r.error}`);
      } else if (action === "remit_to" && open.length) {
        const target = rnd.pick(open);
        const text = amount(target.outstandingMinor);
        const r = await runMutation(submitRemittance, as(buyer), { amount: text, paidOn: "2026-11-01", allocations: [{ invoiceId: target.invoiceId, amount: text }] });
        if (!r.ok) throw new Error(`seed ${seed}, step ${step}: ${r.error}`);
        payments.pending.push(r.data.paymentId);
        ok = true;
      } else if (action === "too_much") {
        // One cent more than all that is still open: refused, nothing written.
        const r = await runMutation(submitRemittance, as(buyer), { amount: decimal(outstanding + 1n), paidOn: "2026-11-01" });
        expect(r, `seed ${seed}, step ${step}`).toMatchObject({ ok: false, code: "validation_failed" });
      } else if ((action === "verify" || action === "reject") && payments.pending.length) {
        const id = payments.pending.splice(rnd.int(0, payments.pending.length - 1), 1)[0]!;
        const r = action === "verify" ? await runMutation(verifyPayment, as(finance), { paymentId: id }) : await runMutation(rejectPayment, as(finance), { paymentId: id, reason: "Not on the statement" });
        // A remittance already rejected by a cancellation is refused here (conflict); others succeed.
        ok = r.ok;
        if (r.ok && action === "verify") payments.verified.push(id);
      } else if (action === "refund" && payments.verified.length) {
        const id = payments.verified.splice(rnd.int(0, payments.verified.length - 1), 1)[0]!;
        const r = await runMutation(refundPayment, as(finance), { paymentId: id, reason: "Paid twice" });
        if (!r.ok) throw new Error(`seed ${seed}, step ${step}: ${r.error}`);
        ok = true;
      } else if (action === "cancel" && rnd.next() < 0.5) {
        const victim = rnd.pick(company);
        const r = await runMutation(cancelOrderByStaff, as(sales), { orderId: victim.orderId, reason: "Randomised cancellation" });
        ok = r.ok;
      }
      if (ok) counts[action] = (counts[action] ?? 0) + 1;
    }

    const expected = await bruteForce(companyIds);
    expect(expected.size).toBeGreaterThanOrEqual(9);
    let checked = 0;
    for (const counting of ["verified", "verified_and_pending"] as const) {
      const scopes = [
        ...companyIds.map((companyId) => invoiceBalances(db, { companyId, counting })),
        invoiceBalances(db, { invoiceIds: [...expected.keys()], counting }),
        invoiceBalances(db, { everyCompany: true, counting }).then((all) => all.filter((b) => expected.has(b.invoiceId))),
      ];
      const byCompany = (await Promise.all(scopes.slice(0, companyIds.length))).flat();
      const [byIds, everyCompany] = await Promise.all(scopes.slice(companyIds.length));
      for (const list of [byCompany, byIds!, everyCompany!]) {
        expect(list, `seed ${seed}`).toHaveLength(expected.size);
        for (const b of list) {
          const e = expected.get(b.invoiceId)!;
          expect({ status: b.status, totalMinor: b.totalMinor, paidMinor: b.paidMinor, pendingMinor: b.pendingMinor, allocatedMinor: b.allocatedMinor, outstandingMinor: b.outstandingMinor }, `seed ${seed}, ${counting}, ${b.number}`).toEqual(
            expectedFigures(e, counting),
          );
          checked++;
        }
      }
      // Open only, locked (in a transaction): the same figures for the open invoices.
      await db.transaction(async (tx) => {
        for (const companyId of companyIds) {
          const locked = await invoiceBalances(tx, { companyId, counting, openOnly: true, lock: true });
          const openIds = [...expected.values()].filter((e) => e.status === "open" && companies.flat().find((c) => c.invoice.id === e.invoiceId)?.buyer.companyId === companyId);
          expect(locked.map((b) => b.invoiceId).sort(), `seed ${seed}`).toEqual(openIds.map((e) => e.invoiceId).sort());
          for (const b of locked) expect(b.outstandingMinor).toBe(expectedFigures(expected.get(b.invoiceId)!, counting).outstandingMinor);
        }
      });
    }
    expect(checked).toBe(expected.size * 3 * 2);

    // The invariant the database guards, and the invoice list's due amount by the same definition.
    for (const e of expected.values()) expect(e.paidMinor + e.pendingMinor, `seed ${seed}`).toBeLessThanOrEqual(e.totalMinor);
    for (const c of companies) {
      for (const row of await listInvoices(db, c[0]!.buyer)) {
        expect(row.dueMinor, `seed ${seed}, ${row.number}`).toBe(expectedFigures(expected.get(row.id)!, "verified").outstandingMinor);
      }
    }
    // The workload did reach every kind of change (with 70 steps, each is near certain).
    expect(Object.keys(counts).sort(), `seed ${seed}: ${JSON.stringify(counts)}`).toEqual(expect.arrayContaining(["remit", "remit_to", "verify"]));
  }, 120_000);
});
