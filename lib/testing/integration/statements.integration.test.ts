import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { pdfText } from "@/lib/testing/pdf-text";
import { afterAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/statements/account/route";
import { db } from "@/db/client";
import { formatCreditorReference } from "@/lib/domain/creditor-reference";
import { addDays } from "@/lib/domain/dates";
import { env } from "@/lib/env";
import { runMutation } from "@/lib/mutation";
import { closePdfPool } from "@/lib/pdf/render";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";

import {  sellerToday } from "@/lib/time-zone";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { submitRemittance, verifyPayment } from "@/lib/services/payments";
import { createProduct } from "@/lib/services/products";
import { statementCsv, statementOfAccount, statementPdf } from "@/lib/services/statements";

// The route reads the signed-in user from the session; here the test decides who that is.
const session = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/session", () => ({ getActor: async () => session.actor }));

setupTestDatabase();
afterAll(() => closePdfPool());

let n = 0;
const key = () => `stmt-${Date.now()}-${n++}`;

type Invoice = { id: string; number: string; payment_reference: string; due_date: string; orderId: string };

/**
 * A fresh company (so every open item is this test's) with one invoice per entry of `orders`: each
 * of `quantity` × €100.00 at 0% VAT, issued today under `termsDays` payment terms (set on the company
 * before each approval, since issued invoices are immutable and their due dates cannot be moved).
 */
async function companyWithInvoices(orders: { quantity: number; termsDays: number }[]) {
  const admin = await actorByEmail("admin@demo.test");
  const sales = await actorByEmail("sales@demo.test");
  const suffix = randomUUID().slice(0, 8);
  const name = `Statement Test ${suffix} GmbH`;
  const [company] = await rows<{ id: string }>(
    sql`insert into companies (name, billing_address, tax_id, currency, credit_limit_minor) values (${name}, ${"Ringstraße 7\n10115 Berlin\nGermany"}, 'DE999888777', 'EUR', 100000000) returning id`,
  );
  const email = `statement-${suffix}@example.test`;
  const [user] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role, company_id) values (${email}, 'Stella Statement', 'x', 'buyer', ${company!.id}) returning id`);
  const buyer: Actor = { id: user!.id, email, name: "Stella Statement", role: "buyer", companyId: company!.id };
  const p = await runMutation(createProduct, { actor: admin, request: request(), idempotencyKey: key() }, { sku: `STMT-${suffix}`, name: "Stated widget", category: "Statements", basePrice: "100.00", taxRate: "0" });
  if (!p.ok) throw new Error(p.error);
  await runMutation(receiveStock, { actor: admin, request: request(), idempotencyKey: key() }, { productId: p.data.id, quantity: "100" });

  const invoices: Invoice[] = [];
  for (const o of orders) {
    await rows(sql`update companies set payment_terms_days = ${o.termsDays} where id = ${company!.id}`);
    await runMutation(addToCart, { actor: buyer, request: request(), idempotencyKey: key() }, { productId: p.data.id, quantity: String(o.quantity) });
    const q = await runMutation(submitCart, { actor: buyer, request: request(), idempotencyKey: key() }, {});
    if (!q.ok) throw new Error(q.error);
    await runMutation(acceptQuotation, { actor: buyer, request: request(), idempotencyKey: key() }, { orderId: q.data.orderId });
    const approved = await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.data.orderId });
    if (!approved.ok) throw new Error(approved.error);
    const [inv] = await rows<Omit<Invoice, "orderId">>(sql`select id, number, payment_reference, due_date::text from invoices where order_id = ${q.data.orderId}`);
    invoices.push({ ...inv!, orderId: q.data.orderId });
  }
  return { companyId: company!.id, name, suffix, buyer, invoices };
}

describe("statement of account", () => {
  it("renders the open items of a company as PDF and CSV, aged on the statement date, for the company and staff only", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const sales = await actorByEmail("sales@demo.test");
    const today = sellerToday();
    // Due today, in 30, 60 and 90 days; then one to cancel and one to pay in full (both must not be listed).
    const { companyId, name, suffix, buyer, invoices } = await companyWithInvoices([
      { quantity: 1, termsDays: 0 },
      { quantity: 2, termsDays: 30 },
      { quantity: 3, termsDays: 60 },
      { quantity: 4, termsDays: 90 },
      { quantity: 5, termsDays: 30 },
      { quantity: 6, termsDays: 30 },
    ]);
    const [inv1, inv2, inv3, inv4, cancelledInv, paidInv] = invoices as [Invoice, Invoice, Invoice, Invoice, Invoice, Invoice];
    expect(invoices.map((i) => i.due_date)).toEqual([today, addDays(today, 30), addDays(today, 60), addDays(today, 90), addDays(today, 30), addDays(today, 30)]);

    const pay = async (invoiceId: string, amount: string, verify: boolean) => {
      const r = await runMutation(submitRemittance, { actor: buyer, request: request(), idempotencyKey: key() }, { amount, paidOn: today, allocations: [{ invoiceId, amount }] });
      if (!r.ok) throw new Error(r.error);
      if (verify) {
        const v = await runMutation(verifyPayment, { actor: finance, request: request(), idempotencyKey: key() }, { paymentId: r.data.paymentId });
        if (!v.ok) throw new Error(v.error);
      }
    };
    await pay(inv1.id, "40.00", true); // €40.00 paid of €100.00
    await pay(inv2.id, "25.00", false); // €25.00 awaiting verification, still due
    await pay(paidInv.id, "600.00", true);
    const cancelled = await runMutation(cancelOrderByStaff, { actor: sales, request: request() }, { orderId: cancelledInv.orderId, reason: "Ordered twice" });
    if (!cancelled.ok) throw new Error(cancelled.error);

    // 75 days on: inv1 is 75 days past due (61–90), inv2 45 (31–60), inv3 15 (1–30), inv4 due in 15 days (current).
    const on = addDays(today, 75);
    const statement = await statementOfAccount(db, buyer, null, on);
    expect(statement?.items.map((i) => i.number)).toEqual([inv1.number, inv2.number, inv3.number, inv4.number]);
    expect(statement?.items.map((i) => i.dueMinor)).toEqual([6_000n, 20_000n, 30_000n, 40_000n]);

    const { filename, pdf } = await statementPdf(statement!);
    expect(filename).toBe(`statement-of-account-statement-test-${suffix.toLowerCase()}-gmbh-${on}.pdf`);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = await pdfText(pdf);
    expect(text).toContain("Statement of account");
    expect(text).toContain(`Statement date ${on}`);
    expect(text).toContain(name);
    expect(text).toContain("VAT ID: DE999888777");
    expect(text).toContain(`${inv1.number} ${today} ${today} €100.00 €40.00 €0.00 €60.00 75`);
    expect(text).toContain(`Payment reference ${formatCreditorReference(inv1.payment_reference)}`);
    expect(text).toContain(`${inv2.number} ${today} ${inv2.due_date} €200.00 €0.00 €25.00 €200.00 45`);
    expect(text).toContain(`${inv3.number} ${today} ${inv3.due_date} €300.00 €0.00 €0.00 €300.00 15`);
    expect(text).toContain(`${inv4.number} ${today} ${inv4.due_date} €400.00 €0.00 €0.00 €400.00 0`);
    expect(text).not.toContain(cancelledInv.number);
    expect(text).not.toContain(paidInv.number);
    // Ageing: current €400.00, 1–30 €300.00, 31–60 €200.00, 61–90 €60.00, 90+ nothing; €960.00 due in all.
    expect(text).toContain("Currency Current 1–30 days 31–60 days 61–90 days Over 90 days Total due");
    expect(text).toContain("EUR €400.00 €300.00 €200.00 €60.00 €0.00 €960.00");
    expect(text).toContain(`Account holder ${env().SELLER_NAME}`);
    expect(text).toContain(`IBAN ${env().SELLER_IBAN.replace(/(.{4})(?=.)/g, "$1 ")}`);
    expect(text).toContain("Each invoice has its own payment reference (RF…");
    expect(text).toContain("Page 1 of 1");

    const { filename: csvName, csv } = statementCsv(statement!);
    expect(csvName).toBe(`statement-of-account-statement-test-${suffix.toLowerCase()}-gmbh-${on}.csv`);
    expect(csv.trim().split("\n").slice(1)).toEqual([
      `${inv1.number},${today},${today},EUR,100.00,40.00,0.00,60.00,75,61-90,${inv1.payment_reference}`,
      `${inv2.number},${today},${inv2.due_date},EUR,200.00,0.00,25.00,200.00,45,31-60,${inv2.payment_reference}`,
      `${inv3.number},${today},${inv3.due_date},EUR,300.00,0.00,0.00,300.00,15,1-30,${inv3.payment_reference}`,
      `${inv4.number},${today},${inv4.due_date},EUR,400.00,0.00,0.00,400.00,0,current,${inv4.payment_reference}`,
    ]);

    // Who may have it: the company itself (asking by id too) and staff with receivables.read; no one else.
    expect((await statementOfAccount(db, buyer, companyId, on))?.items).toHaveLength(4);
    expect((await statementOfAccount(db, finance, companyId, on))?.items.map((i) => i.number)).toEqual(statement!.items.map((i) => i.number));
    const globex = await actorByEmail("buyer@globex.test");
    expect(await statementOfAccount(db, globex, companyId, on)).toBeNull();
    expect(await statementOfAccount(db, finance, randomUUID(), on)).toBeNull();
    expect(await statementOfAccount(db, finance, "not-a-uuid", on)).toBeNull();
    expect(await statementOfAccount(db, finance, null, on)).toBeNull();
    // Not stored: a statement changes with every payment.
    const [stored] = await rows<{ n: number }>(sql`select count(*)::int as n from rendered_documents where document_id = ${companyId}`);
    expect(stored!.n).toBe(0);
  }, 120_000);

  it("serves GET /api/statements/account as CSV by default and as a PDF download, with JSON errors", async () => {
    const finance = await actorByEmail("finance@demo.test");
    const globex = await actorByEmail("buyer@globex.test");
    const today = sellerToday();
    const { companyId, suffix, buyer, invoices } = await companyWithInvoices([{ quantity: 7, termsDays: 30 }]);
    const get = async (actor: Actor | null, query: string) => {
      session.actor = actor;
      return GET(new Request(`http://localhost/api/statements/account${query}`));
    };
    const filename = `statement-of-account-statement-test-${suffix.toLowerCase()}-gmbh-${today}`;

    const pdf = await get(buyer, "?format=pdf");
    expect(pdf.status).toBe(200);
    expect(Object.fromEntries(pdf.headers)).toMatchObject({
      "content-type": "application/pdf",
      "content-disposition": `attachment; filename="${filename}.pdf"`,
      "cache-control": "no-store",
    });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(pdf.headers.get("content-length")).toBe(String(bytes.length));
    const text = await pdfText(bytes);
    expect(text).toContain(`${invoices[0]!.number} ${today} ${addDays(today, 30)} €700.00 €0.00 €0.00 €700.00 0`);
    expect(text).toContain("EUR €700.00 €0.00 €0.00 €0.00 €0.00 €700.00");

    const csv = await get(buyer, "");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(csv.headers.get("content-disposition")).toBe(`attachment; filename="${filename}.csv"`);
    expect((await csv.text()).trim().split("\n")).toHaveLength(2);
    expect((await get(buyer, "?format=csv")).status).toBe(200);

    const staff = await get(finance, `?company=${companyId}&format=pdf`);
    expect(staff.status).toBe(200);
    expect(await pdfText(Buffer.from(await staff.arrayBuffer()))).toContain(invoices[0]!.number);

    const expectError = async (response: Response, status: number, code: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(await response.json()).toMatchObject({ code });
    };
    await expectError(await get(null, "?format=pdf"), 401, "unauthenticated");
    await expectError(await get(globex, `?company=${companyId}&format=pdf`), 404, "not_found");
    await expectError(await get(finance, `?company=${randomUUID()}&format=pdf`), 404, "not_found");
    await expectError(await get(finance, "?format=pdf"), 404, "not_found");
    await expectError(await get(buyer, "?format=xlsx"), 400, "invalid_format");
  }, 120_000);
});
