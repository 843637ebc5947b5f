import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import * as paymentRoute from "@/app/api/v1/payments/[id]/route";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { createCompanyApiKey, createStaffApiKey } from "@/lib/services/api-keys";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// Issue 15 over /api/v1/payments: a payment names its currency (ISO 4217), always its invoices'; a
// payment posted in another currency is refused as the invoices page refuses it (the rule of
// lib/services/payments.ts): 400 problem+json, code validation_failed, errors.currency, nothing recorded.
// Liberty Tool Works (the demo's USD customer) owes US$21.65 (€19.99 at 1 EUR = 1.0832 USD).

setupTestDatabase();

const ok = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.data;
};

type Handler = (req: Request, route?: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(handler: Handler, key: string, path: string, init: { method?: string; body?: unknown; params?: Record<string, string>; idempotencyKey?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.idempotencyKey) headers["idempotency-key"] = init.idempotencyKey;
  const response = await handler(new Request(`http://localhost/api/v1${path}`, { method: init.method ?? "GET", headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }), {
    params: Promise.resolve(init.params ?? {}),
  });
  return { status: response.status, type: response.headers.get("content-type"), body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `fx-api-${randomUUID()}` });
const scopes = ["invoices:read", "payments:read", "payments:write"];

describe("/api/v1/payments and currencies", () => {
  it("a payment carries its currency; one in another currency than the invoices' is refused with a problem, for staff and customer keys", async () => {
    const today = sellerClock().today;
    const admin = await actorByEmail("admin@demo.test");
    const approver = await actorByEmail("approver@liberty.test");
    const finance = ok(await runMutation(createStaffApiKey, who(admin), { name: "Finance FX", role: "finance", scopes, lifetimeDays: "30" })).key;
    const customer = ok(await runMutation(createCompanyApiKey, who(approver), { name: "Liberty ERP", scopes, lifetimeDays: "30" })).key;
    const buyer = (await actorByEmail("buyer@liberty.test")) as Actor & { companyId: string };
    const doc = await invoicedOrder("19.99", { buyer });
    const reference = `fx-api ${randomUUID()}`;
    const count = async () => (await rows<{ n: number }>(sql`select count(*)::int as n from payments where reference like ${`${reference}%`}`))[0]!.n;

    // Finance in EUR for a USD company: refused, the field named, nothing recorded.
    const eur = await call(paymentsRoute.POST, finance, "/payments", {
      method: "POST",
      body: { companyId: buyer.companyId, amount: "21.65", currency: "EUR", paidOn: today, reference: `${reference} eur`, allocations: [{ invoiceId: doc.invoice.id, amount: "21.65" }] },
      idempotencyKey: `p-${randomUUID()}`,
    });
    expect([eur.status, eur.type, eur.body.code, eur.body.status]).toEqual([400, "application/problem+json; charset=utf-8", "validation_failed", 400]);
    expect(eur.body.errors.currency).toEqual([
      "This company is invoiced in USD; a payment in EUR cannot be recorded against its invoices. Record the amount in USD as it was credited, or ask finance.",
    ]);
    // Not a code at all: refused by the API's schema.
    const bad = await call(paymentsRoute.POST, finance, "/payments", { method: "POST", body: { companyId: buyer.companyId, amount: "1.00", currency: "usd", paidOn: today }, idempotencyKey: `p-${randomUUID()}` });
    expect([bad.status, bad.body.code, bad.body.errors.currency]).toEqual([400, "validation_failed", ['currency is a three-letter ISO 4217 code in capitals, e.g. "EUR".']]);
    // The customer's own key, remitting in CHF: refused the same way.
    const chf = await call(paymentsRoute.POST, customer, "/payments", {
      method: "POST",
      body: { amount: "21.65", currency: "CHF", paidOn: today, reference: `${reference} chf`, allocations: [{ invoiceId: doc.invoice.id, amount: "21.65" }] },
      idempotencyKey: `p-${randomUUID()}`,
    });
    expect([chf.status, chf.body.code, chf.body.errors.allocations]).toEqual([400, "validation_failed", [`${doc.invoice.number} is in USD; a payment in CHF cannot be allocated to it.`]]);
    expect(chf.body.errors.currency).toHaveLength(1);
    expect(await count()).toBe(0);

    // In USD (named, or left out): recorded, and the representation names USD.
    const usd = await call(paymentsRoute.POST, finance, "/payments", {
      method: "POST",
      body: { companyId: buyer.companyId, amount: "10.00", currency: "USD", paidOn: today, reference: `${reference} usd`, allocations: [{ invoiceId: doc.invoice.id, amount: "10.00" }] },
      idempotencyKey: `p-${randomUUID()}`,
    });
    expect(usd.status).toBe(201);
    expect(usd.body).toMatchObject({
      currency: "USD",
      status: "verified",
      amount: { amountMinor: "1000", amount: "10.00", currency: "USD" },
      allocations: [{ invoiceId: doc.invoice.id, amount: { amountMinor: "1000", currency: "USD" } }],
    });
    const remitted = await call(paymentsRoute.POST, customer, "/payments", { method: "POST", body: { amount: "11.65", paidOn: today, reference: `${reference} rest` }, idempotencyKey: `p-${randomUUID()}` });
    expect([remitted.status, remitted.body.currency, remitted.body.amount.amountMinor, remitted.body.allocations]).toEqual([
      201,
      "USD",
      "1165",
      [{ invoiceId: doc.invoice.id, invoiceNumber: doc.invoice.number, amount: { amountMinor: "1165", amount: "11.65", currency: "USD" } }],
    ]);
    expect(await count()).toBe(2);

    const read = await call(paymentRoute.GET, customer, `/payments/${usd.body.id}`, { params: { id: usd.body.id } });
    expect([read.status, read.body.currency]).toEqual([200, "USD"]);
    const listed = await call(paymentsRoute.GET, finance, `/payments?company=${buyer.companyId}&limit=100`);
    const ours = (listed.body.data as { reference: string; currency: string }[]).filter((p) => p.reference.startsWith(reference));
    expect(ours.map((p) => p.currency)).toEqual(["USD", "USD"]);
  });
});
