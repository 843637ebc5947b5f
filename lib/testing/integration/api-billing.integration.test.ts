import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { pdfText } from "@/lib/testing/pdf-text";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { recordDeliveryAttempt } from "@/db/queries/webhooks";
import * as creditNotesRoute from "@/app/api/v1/credit-notes/route";
import * as creditNotePdfRoute from "@/app/api/v1/credit-notes/[id]/pdf/route";
import * as invoicesRoute from "@/app/api/v1/invoices/route";
import * as invoiceRoute from "@/app/api/v1/invoices/[id]/route";
import * as invoicePdfRoute from "@/app/api/v1/invoices/[id]/pdf/route";
import * as paymentsRoute from "@/app/api/v1/payments/route";
import * as paymentRoute from "@/app/api/v1/payments/[id]/route";
import * as verifyRoute from "@/app/api/v1/payments/[id]/verify/route";
import * as rejectRoute from "@/app/api/v1/payments/[id]/reject/route";
import * as endpointsRoute from "@/app/api/v1/webhook-endpoints/route";
import * as endpointRoute from "@/app/api/v1/webhook-endpoints/[id]/route";
import * as deliveriesRoute from "@/app/api/v1/webhook-endpoints/[id]/deliveries/route";
import * as replayRoute from "@/app/api/v1/webhook-endpoints/[id]/deliveries/[deliveryId]/replay/route";
import type { Actor } from "@/lib/domain/actor";
import { formatMoney } from "@/lib/domain/money";
import { runMutation } from "@/lib/mutation";
import { closePdfPool } from "@/lib/pdf/render";
import { createCompanyApiKey, createStaffApiKey } from "@/lib/services/api-keys";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByStaff } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { routeHandler } from "@/lib/api-v1/operation";
import { operations } from "@/lib/api-v1/operations";
import { scenarios } from "@/lib/testing/contract/billing";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";

// /api/v1 billing through the route modules' handlers, with real keys and real Requests. The old
// session-cookie routes /api/payments and /api/payments/{id}/{decision} are unchanged and covered by
// e2e/payments.spec.ts.

setupTestDatabase();
afterAll(() => closePdfPool());

let n = 0;
const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `api-billing-${n++}-${randomUUID()}` });
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
  const type = response.headers.get("content-type") ?? "";
  const body: unknown = type.includes("json") ? await response.json() : Buffer.from(await response.arrayBuffer());
  return { status: response.status, body: body as Record<string, any>, headers: response.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

const allScopes = ["invoices:read", "payments:read", "payments:write", "webhooks:manage"];
let keysPromise: Promise<{ customer: string; finance: string; financeKeyId: string; adminUserId: string; admin: string; sales: string }> | undefined;
function keys() {
  keysPromise ??= (async () => {
    const approver = await actorByEmail("approver@acme.test");
    const admin = await actorByEmail("admin@demo.test");
    const customer = ok(await runMutation(createCompanyApiKey, who(approver), { name: "ERP billing", scopes: allScopes, lifetimeDays: "30" })).key;
    const financeKey = ok(await runMutation(createStaffApiKey, who(admin), { name: "Finance", role: "finance", scopes: allScopes, lifetimeDays: "30" }));
    const adminKey = ok(await runMutation(createStaffApiKey, who(admin), { name: "Admin", role: "admin", scopes: allScopes, lifetimeDays: "30" })).key;
    const sales = ok(await runMutation(createStaffApiKey, who(admin), { name: "Sales", role: "sales", scopes: allScopes, lifetimeDays: "30" })).key;
    return { customer, finance: financeKey.key, financeKeyId: financeKey.id, adminUserId: admin.id, admin: adminKey, sales };
  })();
  return keysPromise;
}

let productPromise: Promise<string> | undefined;
function product() {
  productPromise ??= (async () => {
    const admin = await actorByEmail("admin@demo.test");
    const p = ok(await runMutation(createProduct, who(admin), { sku: `BILL-${randomUUID().slice(0, 6)}`, name: "Billed widget", category: "Billing", basePrice: "12.35", taxRate: "19" }));
    await runMutation(receiveStock, who(admin), { productId: p.id, quantity: "5000" });
    return p.id;
  })();
  return productPromise;
}

/** An approved order of `email`'s company → its invoice. */
async function invoiceFor(email: string, quantity: number): Promise<{ id: string; number: string; orderId: string; totalMinor: bigint }> {
  const buyer = await actorByEmail(email);
  const sales = await actorByEmail("sales@demo.test");
  ok(await runMutation(addToCart, who(buyer), { productId: await product(), quantity: String(quantity) }));
  const q = ok(await runMutation(submitCart, who(buyer), {}));
  ok(await runMutation(acceptQuotation, who(buyer), { orderId: q.orderId }));
  ok(await runMutation(approveOrder, { actor: sales, request: request() }, { orderId: q.orderId }));
  const [inv] = await rows<{ id: string; number: string; total: string }>(sql`select id, number, total_minor::text as total from invoices where order_id = ${q.orderId}`);
  return { id: inv!.id, number: inv!.number, orderId: q.orderId, totalMinor: BigInt(inv!.total) };
}

describe("invoices and credit notes", () => {
  it("a customer key sees its company's invoices only; the detail's balance is invoice-balances' figure; the PDFs parse", async () => {
    const k = await keys();
    const acme = await invoiceFor("buyer@acme.test", 7);
    const globex = await invoiceFor("buyer@globex.test", 3);

    const detail = await call(invoiceRoute.GET, k.customer, `/invoices/${acme.id}`, { params: { id: acme.id } });
    expect(detail.status).toBe(200);
    const [balance] = await invoiceBalances(db, { invoiceIds: [acme.id], counting: "verified" });
    // 7 × 12.35 = 86.45 net, 19 % tax 16.43: 102.88.
    expect(acme.totalMinor).toBe(10288n);
    expect(detail.body).toMatchObject({
      id: acme.id,
      number: acme.number,
      status: "open",
      total: { amountMinor: "10288", amount: "102.88", currency: "EUR" },
      balanceDue: { amountMinor: balance!.outstandingMinor.toString(), currency: "EUR" },
      paid: { amountMinor: "0" },
      subtotal: { amountMinor: "8645" },
      tax: { amountMinor: "1643" },
    });
    expect(detail.body.lines).toHaveLength(1);
    expect(detail.body.lines[0]).toMatchObject({ quantity: 7, unitPrice: { amountMinor: "1235" }, total: { amountMinor: "10288" } });

    // Another company's invoice: 404 for the customer key, in the list and by id; staff keys see it.
    expect((await call(invoiceRoute.GET, k.customer, `/invoices/${globex.id}`, { params: { id: globex.id } })).status).toBe(404);
    expect((await call(invoicePdfRoute.GET, k.customer, `/invoices/${globex.id}/pdf`, { params: { id: globex.id } })).status).toBe(404);
    expect((await call(invoiceRoute.GET, k.finance, `/invoices/${globex.id}`, { params: { id: globex.id } })).status).toBe(200);
    const list = await call(invoicesRoute.GET, k.customer, "/invoices?limit=100");
    const ids = (list.body.data as { id: string; company: { name: string } }[]).map((i) => i.id);
    expect(ids).toContain(acme.id);
    expect(ids).not.toContain(globex.id);
    expect(new Set((list.body.data as { company: { name: string } }[]).map((i) => i.company.name))).toEqual(new Set(["Acme Industrial Supply"]));
    expect((await call(invoicesRoute.GET, k.customer, `/invoices?company=${randomUUID()}`)).status).toBe(400);

    const pdf = await call(invoicePdfRoute.GET, k.customer, `/invoices/${acme.id}/pdf`, { params: { id: acme.id } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = await pdfText(pdf.body as unknown as Buffer);
    expect(text).toContain(acme.number);
    expect(text).toContain(formatMoney(10288n, "EUR"));

    // A credit note: cancelling the order credits the invoice.
    const sales = await actorByEmail("sales@demo.test");
    const cancelled = ok(await runMutation(cancelOrderByStaff, { actor: sales, request: request() }, { orderId: acme.orderId, reason: "Customer changed plans" }));
    const notes = await call(creditNotesRoute.GET, k.customer, "/credit-notes?limit=100");
    const note = (notes.body.data as { id: string; number: string; invoice: { id: string }; total: { amountMinor: string } }[]).find((c) => c.invoice.id === acme.id);
    expect(note).toMatchObject({ number: cancelled.creditNoteNumber, total: { amountMinor: "10288" } });
    const notePdf = await call(creditNotePdfRoute.GET, k.customer, `/credit-notes/${note!.id}/pdf`, { params: { id: note!.id } });
    expect(await pdfText(notePdf.body as unknown as Buffer)).toContain(`Cancels invoice ${acme.number}`);
    const cancelledDetail = await call(invoiceRoute.GET, k.customer, `/invoices/${acme.id}`, { params: { id: acme.id } });
    expect(cancelledDetail.body).toMatchObject({ status: "cancelled", balanceDue: { amountMinor: "0" }, creditNotes: [{ id: note!.id }] });
  }, 120_000);

  it("cursor pages neither overlap nor leave a gap, and a cursor of another query is refused", async () => {
    const k = await keys();
    for (let i = 0; i < 3; i++) await invoiceFor("buyer@acme.test", 2 + i);
    const [acme] = await rows<{ id: string }>(sql`select id from companies where name = 'Acme Industrial Supply'`);
    const expected = (await rows<{ id: string }>(sql`select id from invoices where company_id = ${acme!.id} order by issue_date desc, number desc, id desc`)).map((r) => r.id);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof call>> = await call(invoicesRoute.GET, k.customer, `/invoices?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      expect((page.body.data as unknown[]).length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.data as { id: string }[]).map((i) => i.id));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 2));
    const first = await call(invoicesRoute.GET, k.customer, "/invoices?limit=2");
    expect((await call(invoicesRoute.GET, k.customer, `/invoices?limit=3&cursor=${first.body.nextCursor}`)).status).toBe(400);
  }, 120_000);
});

describe("payments", () => {
  it("a remittance posted twice with one Idempotency-Key, and 16 identical POSTs at once, each record one payment", async () => {
    const k = await keys();
    const inv = await invoiceFor("buyer@acme.test", 1);
    const reference = `REM-${randomUUID().slice(0, 8)}`;
    const body = { amount: "5.00", paidOn: new Date().toISOString().slice(0, 10), reference, allocations: [{ invoiceId: inv.id, amount: "5.00" }] };
    const idem = `rem-${randomUUID()}`;
    const first = await call(paymentsRoute.POST, k.customer, "/payments", { method: "POST", body, idempotencyKey: idem });
    const second = await call(paymentsRoute.POST, k.customer, "/payments", { method: "POST", body, idempotencyKey: idem });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: "pending_verification", source: "remittance", amount: { amountMinor: "500" }, allocations: [{ invoiceId: inv.id, amount: { amountMinor: "500" } }] });
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(await rows(sql`select id from payments where reference = ${reference}`)).toHaveLength(1);
    // Without a key: refused.
    expect((await call(paymentsRoute.POST, k.customer, "/payments", { method: "POST", body })).status).toBe(400);

    const reference16 = `REM16-${randomUUID().slice(0, 8)}`;
    const idem16 = `rem16-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 16 }, () => call(paymentsRoute.POST, k.customer, "/payments", { method: "POST", body: { ...body, reference: reference16 }, idempotencyKey: idem16 })),
    );
    const stored = await rows<{ id: string }>(sql`select id from payments where reference = ${reference16}`);
    expect(stored).toHaveLength(1);
    for (const r of results) {
      // Each answer is the one payment, or "still in progress, retry" (409 with retry-after).
      if (r.status === 201) expect(r.body.id).toBe(stored[0]!.id);
      else expect(r.status).toBe(409);
    }
    expect(results.some((r) => r.status === 201)).toBe(true);
    // The audit trail attributes it to the key's user, once.
    const [audit] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where entity_type = 'payment' and entity_id = ${stored[0]!.id}`);
    expect(audit!.n).toBe(1);
  }, 120_000);

  it("a finance key verifies (a customer key is forbidden), reads every company's payments; a customer key only its own", async () => {
    const k = await keys();
    const inv = await invoiceFor("buyer@acme.test", 1);
    const paid = await call(paymentsRoute.POST, k.customer, "/payments", {
      method: "POST",
      body: { amount: String(Number(inv.totalMinor) / 100), paidOn: new Date().toISOString().slice(0, 10), reference: "full", allocations: [{ invoiceId: inv.id, amount: (Number(inv.totalMinor) / 100).toFixed(2) }] },
      idempotencyKey: `full-${randomUUID()}`,
    });
    expect(paid.status).toBe(201);
    const id = paid.body.id as string;
    const denied = await call(verifyRoute.POST, k.customer, `/payments/${id}/verify`, { method: "POST", params: { id }, idempotencyKey: `d-${randomUUID()}` });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe("forbidden");
    const verified = await call(verifyRoute.POST, k.finance, `/payments/${id}/verify`, { method: "POST", params: { id }, idempotencyKey: `d-${randomUUID()}` });
    expect(verified.body).toMatchObject({ id });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id, status: "verified" });
    const again = await call(verifyRoute.POST, k.finance, `/payments/${id}/verify`, { method: "POST", params: { id }, idempotencyKey: `d-${randomUUID()}` });
    expect(again.status).toBe(409);
    expect((await call(invoiceRoute.GET, k.customer, `/invoices/${inv.id}`, { params: { id: inv.id } })).body).toMatchObject({ status: "paid", balanceDue: { amountMinor: "0" } });
    // Audited as the key's owner acting with the key's role, naming the key.
    const [audit] = await rows<{ actor_id: string; actor_role: string; key_id: string }>(
      sql`select actor_id, actor_role, diff->'apiKey'->>'id' as key_id from audit_events where entity_type = 'payment' and entity_id = ${id} and action = 'payment.verify'`,
    );
    expect(audit).toEqual({ actor_id: k.adminUserId, actor_role: "finance", key_id: k.financeKeyId });

    // A sales key may not read payments; a finance key reads Globex's too; a customer key not.
    expect((await call(paymentsRoute.GET, k.sales, "/payments")).status).toBe(403);
    const globexInv = await invoiceFor("buyer@globex.test", 1);
    const globex = await actorByEmail("buyer@globex.test");
    const remitted = await runMutation(
      (await import("@/lib/services/payments")).submitRemittance,
      who(globex),
      { amount: "1.00", paidOn: new Date().toISOString().slice(0, 10), reference: "globex", allocations: [{ invoiceId: globexInv.id, amount: "1.00" }] },
    );
    const globexPayment = ok(remitted).paymentId;
    expect((await call(paymentRoute.GET, k.finance, `/payments/${globexPayment}`, { params: { id: globexPayment } })).status).toBe(200);
    expect((await call(paymentRoute.GET, k.customer, `/payments/${globexPayment}`, { params: { id: globexPayment } })).status).toBe(404);
    const mine = await call(paymentsRoute.GET, k.customer, "/payments?limit=100");
    expect((mine.body.data as { id: string }[]).map((p) => p.id)).not.toContain(globexPayment);
    expect((mine.body.data as { id: string }[]).map((p) => p.id)).toContain(id);
    const rejected = await call(rejectRoute.POST, k.finance, `/payments/${globexPayment}/reject`, { method: "POST", params: { id: globexPayment }, body: { reason: "Not on the statement" }, idempotencyKey: `d-${randomUUID()}` });
    expect(rejected.body).toMatchObject({ status: "rejected", decisionReason: "Not on the statement" });
  }, 120_000);
});

describe("webhook endpoints", () => {
  it("created over the API: the secret once, never again; deliveries listed; a replay queued; a customer key sees no staff endpoint", async () => {
    const k = await keys();
    const created = await call(endpointsRoute.POST, k.admin, "/webhook-endpoints", { method: "POST", body: { url: "https://erp.example.com/hooks", description: "ERP", eventTypes: ["payment.recorded"] }, idempotencyKey: `w-${randomUUID()}` });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    const id = created.body.id as string;
    const [stored] = await rows<{ secret: string }>(sql`select secret from webhook_endpoints where id = ${id}`);
    expect(stored!.secret).toBe(created.body.secret);
    const read = await call(endpointRoute.GET, k.admin, `/webhook-endpoints/${id}`, { params: { id } });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain(created.body.secret as string);
    expect(read.body).not.toHaveProperty("secret");
    const list = await call(endpointsRoute.GET, k.admin, "/webhook-endpoints");
    expect((list.body.data as { id: string }[]).map((e) => e.id)).toContain(id);
    expect(JSON.stringify(list.body)).not.toContain("whsec_");
    const [audit] = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where entity_type = 'webhook_endpoint' and entity_id = ${id} and action = 'webhook_endpoint.create'`);
    expect(audit!.n).toBe(1);

    const patched = await call(endpointRoute.PATCH, k.admin, `/webhook-endpoints/${id}`, { method: "PATCH", params: { id }, body: { enabled: false } });
    expect(patched.body).toMatchObject({ id, enabled: false, url: "https://erp.example.com/hooks", eventTypes: ["payment.recorded"] });

    // A failed attempt in the log (the worker's own query), then a replay of it.
    const [event] = await rows<{ id: string }>(sql`insert into outbox_events (type, company_id, payload) values ('payment.recorded', null, '{}'::jsonb) returning id`);
    await recordDeliveryAttempt(db, { endpointId: id, eventId: event!.id, succeeded: false, statusCode: 500, error: null, durationMs: 12, responseExcerpt: "oops", nextAttemptAt: null, manual: false, now: new Date() });
    const deliveries = await call(deliveriesRoute.GET, k.admin, `/webhook-endpoints/${id}/deliveries`, { params: { id } });
    expect(deliveries.body.data).toHaveLength(1);
    expect(deliveries.body.data[0]).toMatchObject({ eventId: event!.id, succeeded: false, statusCode: 500, attempt: 1, manual: false });
    const deliveryId = deliveries.body.data[0].id as string;
    const replay = await call(replayRoute.POST, k.admin, `/webhook-endpoints/${id}/deliveries/${deliveryId}/replay`, { method: "POST", params: { id, deliveryId }, idempotencyKey: `r-${randomUUID()}` });
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual({ endpointId: id, eventId: event!.id, queued: true });
    const jobs = await rows<{ n: number }>(sql`select count(*)::int as n from pgboss.job where data->>'endpointId' = ${id} and data->>'eventId' = ${event!.id} and (data->>'manual')::boolean`);
    expect(jobs[0]!.n).toBe(1);

    // The customer key: forbidden to manage webhooks (it acts as a buyer); the staff endpoint never shows.
    const customerList = await call(endpointsRoute.GET, k.customer, "/webhook-endpoints");
    expect(customerList.status).toBe(403);
    expect(JSON.stringify(customerList.body)).not.toContain(id);
    expect((await call(endpointRoute.GET, k.customer, `/webhook-endpoints/${id}`, { params: { id } })).status).toBe(403);
    expect((await call(endpointRoute.DELETE, k.customer, `/webhook-endpoints/${id}`, { method: "DELETE", params: { id } })).status).toBe(403);

    expect((await call(endpointRoute.DELETE, k.admin, `/webhook-endpoints/${id}`, { method: "DELETE", params: { id } })).status).toBe(204);
    expect((await call(endpointRoute.GET, k.admin, `/webhook-endpoints/${id}`, { params: { id } })).status).toBe(404);
  }, 120_000);
});

// The contract scenarios (lib/testing/contract/billing.ts) run here with a plain client (the
// contract test's own client also checks each answer against the OpenAPI document).
describe("contract scenarios (plain client)", () => {
  const client = (key: () => Promise<string>) => ({
    async call(operationId: string, c: { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; idempotencyKey?: string; headers?: Record<string, string> } = {}) {
      const op = operations.find((o) => o.operationId === operationId);
      if (!op) throw new Error(`no operation ${operationId}`);
      const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => c.params![name]!);
      const headers: Record<string, string> = { authorization: `Bearer ${await key()}`, ...(c.idempotencyKey ? { "idempotency-key": c.idempotencyKey } : {}), ...(c.body === undefined ? {} : { "content-type": "application/json" }), ...c.headers };
      const url = `http://localhost/api/v1${path}${c.query ? `?${new URLSearchParams(c.query)}` : ""}`;
      const response = await routeHandler(op)(new Request(url, { method: op.method, headers, body: c.body === undefined ? undefined : JSON.stringify(c.body) }), { params: Promise.resolve(c.params ?? {}) });
      const type = response.headers.get("content-type") ?? "";
      const body: unknown = response.status === 204 || response.status === 304 ? null : type.includes("json") ? await response.json() : Buffer.from(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, body };
    },
  });
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      await scenario.run({ customer: client(async () => (await keys()).customer), finance: client(async () => (await keys()).finance), admin: client(async () => (await keys()).admin) });
    }, 120_000);
  }
});
