import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/payments/[provider]/route";
import { runMutation } from "@/lib/mutation";
import { actorByEmail, isPostgres, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { signTestPayload } from "@/lib/services/payment-providers/signed-test";
import { createProduct } from "@/lib/services/products";
import { addDays } from "@/lib/domain/dates";
import { sellerToday } from "@/lib/time-zone";

setupTestDatabase();

const secret = "test-provider-secret-0123456789";
let n = 0;
const key = () => `wh-${Date.now()}-${n++}`;

async function invoice(): Promise<{ id: string; reference: string; companyId: string }> {
  const admin = await actorByEmail("admin@demo.test");
  const sales = await actorByEmail("sales@demo.test");
  const suffix = `${Date.now()}${n++}`;
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Hooked ${suffix}`}, 'EUR', 100000000) returning id`);
  const [user] = await rows<{ id: string }>(sql`insert into users (email, name, password_hash, role, company_id) values (${`hook-${suffix}@example.test`}, 'Hook', 'x', 'buyer', ${company!.id}) returning id`);
  const buyer: Actor = { id: user!.id, email: `hook-${suffix}@example.test`, name: "Hook", role: "buyer", companyId: company!.id };
  const p = await runMutation(createProduct, { actor: admin, request: request(), idempotencyKey: key() }, { sku: `HOOK-${suffix}`, name: "Hooked", category: "Hooks", basePrice: "95.20", taxRate: "0" });
  if (!p.ok) throw new Error(p.error);
  await runMutation(receiveStock, { actor: admin, request: request(), idempotencyKey: key() }, { productId: p.data.id, quantity: "5" });
  await runMutation(addToCart, { actor: buyer, request: request(), idempotencyKey: key() }, { productId: p.data.id, quantity: "1" });
  const q = await runMutation(submitCart, { actor: buyer, request: request(), idempotencyKey: key() }, {});
  if (!q.ok) throw new Error(q.error);
  await runMutation(acceptQuotation, { actor: buyer, request: request(), idempotencyKey: key() }, { orderId: q.data.orderId });
  await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.data.orderId });
  const [inv] = await rows<{ id: string; payment_reference: string }>(sql`select id, payment_reference from invoices where order_id = ${q.data.orderId}`);
  return { id: inv!.id, reference: inv!.payment_reference, companyId: company!.id };
}

function deliver(body: string, signature: string | null) {
  const headers = new Headers({ "content-type": "application/json" });
  if (signature) headers.set("x-signature", signature);
  return POST(new Request("http://localhost/api/webhooks/payments/signed-test", { method: "POST", body, headers }), { params: Promise.resolve({ provider: "signed-test" }) });
}

describe("payment provider webhooks", () => {
  it("refuses a bad signature and records one payment for an event delivered twice (and concurrently)", async () => {
    const inv = await invoice();
    const body = JSON.stringify({ id: `evt_${key()}`, type: "payment.succeeded", data: { reference: inv.reference, amount_minor: 9520, currency: "EUR", paid_on: "2026-11-26" } });

    const forged = await deliver(body, signTestPayload("not-the-secret-0123456789", body));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ ok: false, code: "invalid_signature", error: "Signature does not match." });
    expect((await deliver(body, null)).status).toBe(401);
    const tampered = await deliver(body.replace("9520", "1"), signTestPayload(secret, body));
    expect(tampered.status).toBe(401);

    const deliveries = isPostgres() ? 5 : 1;
    const first = await Promise.all(Array.from({ length: deliveries }, () => deliver(body, signTestPayload(secret, body))));
    const again = await deliver(body, signTestPayload(secret, body));
    const results = [...(await Promise.all(first.map((r) => r.json()))), await again.json()];
    expect(new Set(results.map((r) => r.paymentId)).size).toBe(1);
    expect(results.filter((r) => r.duplicate === false)).toHaveLength(1);
    const [count] = await rows<{ n: number; status: string }>(sql`select count(*)::int as n, min(status::text) as status from payments where company_id = ${inv.companyId}`);
    expect(count).toEqual({ n: 1, status: "verified" });
    const [alloc] = await rows<{ amount: string }>(sql`select amount_minor::text as amount from payment_allocations where invoice_id = ${inv.id}`);
    expect(alloc!.amount).toBe("9520");
  });

  it("records a payment the provider dates after today as paid today, so receivables never count a future payment", async () => {
    const inv = await invoice();
    const today = sellerToday();
    const body = JSON.stringify({ id: `evt_${key()}`, type: "payment.succeeded", data: { reference: inv.reference, amount_minor: 9520, currency: "EUR", paid_on: addDays(today, 3) } });
    expect((await deliver(body, signTestPayload(secret, body))).status).toBe(200);
    const [payment] = await rows<{ paid_on: string }>(sql`select paid_on::text from payments where company_id = ${inv.companyId}`);
    expect(payment).toEqual({ paid_on: today });
    const [due] = await rows<{ n: number }>(sql`select count(*)::int as n from receivable_balances where invoice_id = ${inv.id}`);
    expect(due).toEqual({ n: 0 });
  });

  it("answers 404 for an unknown provider, 400 for a malformed body or an impossible date and 422 for an unknown invoice", async () => {
    const unknown = await POST(new Request("http://localhost/x", { method: "POST", body: "{}" }), { params: Promise.resolve({ provider: "nope" }) });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ ok: false, code: "not_found", error: "Unknown payment provider." });
    const malformed = "{not json";
    const unreadable = await deliver(malformed, signTestPayload(secret, malformed));
    expect(unreadable.status).toBe(400);
    expect(await unreadable.json()).toEqual({ ok: false, code: "invalid_payload", error: "The event could not be read." });
    // A date that matches yyyy-mm-dd but does not exist is an unreadable event, never handed to PostgreSQL (which errors on it).
    const impossible = JSON.stringify({ id: "evt_feb30", type: "payment.succeeded", data: { reference: "RF18539007547034", amount_minor: 100, currency: "EUR", paid_on: "2026-02-30" } });
    expect((await deliver(impossible, signTestPayload(secret, impossible))).status).toBe(400);
    const stray = JSON.stringify({ id: "evt_stray", type: "payment.succeeded", data: { reference: "RF18539007547034", amount_minor: 100, currency: "EUR", paid_on: "2026-11-26" } });
    const res = await deliver(stray, signTestPayload(secret, stray));
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ ok: false, code: "unknown_invoice", error: "The payment does not match an open invoice." });
  });
});
