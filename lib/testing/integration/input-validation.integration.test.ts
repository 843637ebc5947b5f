import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { recordManualPayment, submitRemittance } from "@/lib/services/payments";
import { createPriceList } from "@/lib/services/price-lists";
import { sellerToday } from "@/lib/time-zone";

// Issue 10, points 5 and 6: impossible dates, NUL characters and malformed amounts were a 500 (PostgreSQL
// refused them) or were written (a payment dated 9999-12-31, "1,,0" stored as 10.00). Each is now a field error.

setupTestDatabase();

const key = () => testKey("input");
const paymentsOf = async (companyId: string) =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from payments where company_id = ${companyId}`))[0]!.n;

describe("hostile input to the payment services (issue 10)", () => {
  it("answers a remittance dated 2026-02-30, one with a NUL in its note and one of \"1,,0\" with field errors and writes nothing", async () => {
    const { buyer } = await invoicedOrder("10.00");
    const as = () => ({ actor: buyer, request: request(), idempotencyKey: key() });

    expect(await runMutation(submitRemittance, as(), { amount: "10.00", paidOn: "2026-02-30" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { paidOn: ["Enter a real date (yyyy-mm-dd)."] },
    });
    expect(await runMutation(submitRemittance, as(), { amount: "10.00", paidOn: sellerToday(), note: "paid\u0000today" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { note: ["Remove control characters."] },
    });
    expect(await runMutation(submitRemittance, as(), { amount: "1,,0", paidOn: sellerToday() })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { amount: ["Enter an amount greater than zero, such as 1250.00."] },
    });
    expect(await paymentsOf(buyer.companyId!)).toBe(0);
  });

  it("refuses a manual payment dated 9999-12-31 or 1900-01-01 and accepts one dated today", async () => {
    const { buyer } = await invoicedOrder("10.00");
    const finance = await actorByEmail("finance@demo.test");
    const as = () => ({ actor: finance, request: request(), idempotencyKey: key() });
    const floor = `${Number(sellerToday().slice(0, 4)) - 1}-01-01`;

    expect(await runMutation(recordManualPayment, as(), { companyId: buyer.companyId, amount: "10.00", paidOn: "9999-12-31" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { paidOn: ["The payment date cannot be in the future."] },
    });
    expect(await runMutation(recordManualPayment, as(), { companyId: buyer.companyId, amount: "10.00", paidOn: "1900-01-01" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { paidOn: [`Enter a date on or after ${floor}.`] },
    });
    expect(await runMutation(recordManualPayment, as(), { companyId: buyer.companyId, amount: "10.00", paidOn: "0000-01-01" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { paidOn: ["Enter a real date (yyyy-mm-dd)."] },
    });
    expect(await paymentsOf(buyer.companyId!)).toBe(0);

    expect(await runMutation(recordManualPayment, as(), { companyId: buyer.companyId, amount: "10.00", paidOn: sellerToday() })).toMatchObject({ ok: true });
    expect(await paymentsOf(buyer.companyId!)).toBe(1);
  });

  it("answers a price list valid from 2026-13-01 with a field error instead of a database error", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const result = await runMutation(createPriceList, { actor: admin, request: request(), idempotencyKey: key() }, { name: `Bad dates ${key()}`, validFrom: "2026-13-01", validTo: "2026-02-30" });
    expect(result).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { validFrom: ["Enter a real date (yyyy-mm-dd)."], validTo: ["Enter a real date (yyyy-mm-dd)."] },
    });
  });
});
