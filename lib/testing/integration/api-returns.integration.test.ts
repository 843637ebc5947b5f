import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as orderReturnsRoute from "@/app/api/v1/orders/[id]/returns/route";
import * as returnsRoute from "@/app/api/v1/returns/route";
import * as returnRoute from "@/app/api/v1/returns/[id]/route";
import * as approveRoute from "@/app/api/v1/returns/[id]/approve/route";
import * as rejectRoute from "@/app/api/v1/returns/[id]/reject/route";
import * as receiveRoute from "@/app/api/v1/returns/[id]/receive/route";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { createCompanyApiKey, createStaffApiKey, setApiKeyLimits } from "@/lib/services/api-keys";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder } from "@/lib/services/orders/approvals";
import { addToCart } from "@/lib/services/orders/cart";
import { shipOrder } from "@/lib/services/orders/fulfilment";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct } from "@/lib/services/products";
import { createUser } from "@/lib/services/users";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";

// /api/v1 returns through the route modules' handlers, with real Requests and real API keys on a
// real database: the buyer's ERP requests a return of shipped goods, a staff integration approves,
// receives or rejects it; what the answers say and what the database holds afterwards.

setupTestDatabase();

let n = 0;
const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `api-returns-${n++}-${randomUUID()}` });
const must = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.data;
};

type Handler = (req: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = Record<string, any>;
async function call(handler: Handler, key: string, path: string, init: { method?: string; body?: unknown; params?: Record<string, string>; idem?: string } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}` };
  if (init.body !== undefined) headers["content-type"] = "application/json";
  if (init.idem) headers["idempotency-key"] = init.idem;
  const method = init.method ?? (init.body !== undefined || init.idem ? "POST" : "GET");
  const response = await handler(new Request(`http://localhost/api/v1${path}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) }), {
    params: Promise.resolve(init.params ?? {}),
  });
  const text = await response.text();
  return { status: response.status, type: response.headers.get("content-type"), body: (text ? JSON.parse(text) : null) as Body };
}
const idem = () => `idem-${randomUUID()}`;
/** A timestamp as the API writes it (the driver may hand it back as text). */
const iso = (v: Date | string) => new Date(v).toISOString();
const one = async <T>(q: ReturnType<typeof sql>) => (await rows<T>(q))[0]!;

/**
 * A company of the test's own (a customer admin whose key the ERP uses), an order of 3 × 12.34
 * (19 % tax) approved and 2 of it shipped; staff keys acting as sales and finance; and a key of
 * another company.
 */
async function world() {
  const staff = await actorByEmail("admin@demo.test");
  const sales = await actorByEmail("sales@demo.test");
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, credit_limit_minor) values (${`Api returns ${tag}`}, 'EUR', 100000000) returning id`);
  const owner = must(await runMutation(createUser, who(staff), { email: uniqueEmail("api-returns"), name: "Rita Returner", role: "customer_admin", companyId: company!.id, password: "violet-harbour-93-kettle" }));
  const buyer = await actorByEmail(owner.email);
  const product = must(await runMutation(createProduct, who(staff), { sku: `AR-${tag}`, name: "Returnable bolt", category: `AR ${tag}`, basePrice: "12.34", taxRate: "19", unit: "pcs" }));
  must(await runMutation(receiveStock, who(staff), { productId: product.id, quantity: "100" }));
  must(await runMutation(addToCart, who(buyer), { productId: product.id, quantity: "3" }));
  const { orderId } = must(await runMutation(submitCart, who(buyer), {}));
  must(await runMutation(acceptQuotation, who(buyer), { orderId }));
  must(await runMutation(approveOrder, who(sales), { orderId }));
  must(await runMutation(shipOrder, who(sales), { orderId, carrier: "DHL", trackingNumber: "", lines: [{ lineNo: 1, quantity: "2" }] }));
  const limits = { rateLimitPerMinute: "100000", rateLimitBurst: "10000" };
  const companyKey = async (actor: Actor, scopes: string[]) => {
    const created = must(await runMutation(createCompanyApiKey, who(actor), { name: `ERP ${scopes.join(" ")}`, scopes }));
    must(await runMutation(setApiKeyLimits, who(staff), { id: created.id, ...limits }));
    return created.key;
  };
  const staffKey = async (role: "sales" | "finance") => must(await runMutation(createStaffApiKey, who(staff), { name: `Returns ${role} ${tag}`, role, scopes: ["orders:read", "orders:write"], lifetimeDays: "30", ...limits })).key;
  const { reference } = await one<{ reference: string }>(sql`select reference from orders where id = ${orderId}`);
  return {
    tag,
    buyer,
    product,
    orderId,
    reference,
    key: await companyKey(buyer, ["orders:read", "orders:write"]),
    readOnly: await companyKey(buyer, ["orders:read"]),
    other: await companyKey(await actorByEmail("approver@acme.test"), ["orders:read", "orders:write"]),
    sales: await staffKey("sales"),
    finance: await staffKey("finance"),
    // A staff key acts as the administrator who created it, with the key's role.
    salesName: staff.name,
  };
}

const requestBody = (quantity: number, reason = "Two arrived crushed") => ({ reason, lines: [{ lineNo: 1, quantity }] });

describe("/api/v1 returns", () => {
  it("request → approve → receive: exact bodies; the stock is back and the credit note is the one in the answer; a replay answers the same", async () => {
    const w = await world();
    const listed = await call(orderReturnsRoute.GET as Handler, w.key, `/orders/${w.orderId}/returns`, { params: { id: w.orderId } });
    expect([listed.status, listed.body]).toEqual([200, { data: [], lines: [{ lineNo: 1, productId: w.product.id, sku: `AR-${w.tag}`, shipped: 2, returned: 0, returnable: 2 }] }]);

    const once = idem();
    const requested = await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${w.orderId}/returns`, { params: { id: w.orderId }, body: requestBody(2), idem: once });
    expect(requested.status).toBe(201);
    const row = await one<{ id: string; number: string; requested_at: Date | string }>(sql`select id, number, requested_at from returns where order_id = ${w.orderId}`);
    const expected = {
      id: row.id,
      number: row.number,
      orderId: w.orderId,
      orderReference: w.reference,
      status: "requested",
      reason: "Two arrived crushed",
      requestedAt: iso(row.requested_at),
      requestedBy: "Rita Returner",
      decidedAt: null,
      decidedBy: null,
      rejectionReason: null,
      receivedAt: null,
      receivedBy: null,
      lines: [{ lineNo: 1, sku: `AR-${w.tag}`, name: "Returnable bolt", unit: "pcs", quantity: 2 }],
      creditNote: null,
    };
    expect(row.number).toMatch(/^RET-\d{4}-\d{6}$/);
    expect(requested.body).toEqual(expected);
    // The same key again: the first answer, nothing written twice.
    const replay = await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${w.orderId}/returns`, { params: { id: w.orderId }, body: requestBody(2), idem: once });
    expect([replay.status, replay.body]).toEqual([201, expected]);
    const reused = await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${w.orderId}/returns`, { params: { id: w.orderId }, body: requestBody(1), idem: once });
    expect([reused.status, reused.body.code]).toEqual([422, "idempotency_key_reused"]);
    expect(await one(sql`select count(*)::int as n from returns where order_id = ${w.orderId}`)).toEqual({ n: 1 });
    // Audited as the key's user, with the key in the request context.
    expect(await rows(sql`select action, actor_id from audit_events where entity_type = 'return' and entity_id = ${row.id} order by occurred_at`)).toEqual([{ action: "return.request", actor_id: w.buyer.id }]);

    const approved = await call(approveRoute.POST as Handler, w.sales, `/returns/${row.id}/approve`, { params: { id: row.id }, method: "POST" });
    const decided = await one<{ decided_at: Date | string }>(sql`select decided_at from returns where id = ${row.id}`);
    expect([approved.status, approved.body]).toEqual([200, { ...expected, status: "approved", decidedAt: iso(decided.decided_at), decidedBy: w.salesName }]);

    const before = await one<{ on_hand: number }>(sql`select on_hand from inventory where product_id = ${w.product.id}`);
    const receiveKey = idem();
    const received = await call(receiveRoute.POST as Handler, w.sales, `/returns/${row.id}/receive`, { params: { id: row.id }, idem: receiveKey });
    const note = await one<{ id: string; number: string; total_minor: string }>(sql`select id, number, total_minor::text from credit_notes where return_id = ${row.id}`);
    const after = await one<{ received_at: Date | string }>(sql`select received_at from returns where id = ${row.id}`);
    // 2 of 3 × 12.34: net 24.68, tax 2/3 of 7.03 = 4.69; 29.37.
    const done = {
      ...expected,
      status: "received",
      decidedAt: iso(decided.decided_at),
      decidedBy: w.salesName,
      receivedAt: iso(after.received_at),
      receivedBy: w.salesName,
      creditNote: { id: note.id, number: note.number, total: { amountMinor: "2937", amount: "29.37", currency: "EUR" }, pdf: `/api/v1/credit-notes/${note.id}/pdf` },
    };
    expect([received.status, received.body]).toEqual([200, done]);
    expect(await one(sql`select on_hand from inventory where product_id = ${w.product.id}`)).toEqual({ on_hand: before.on_hand + 2 });
    const again = await call(receiveRoute.POST as Handler, w.sales, `/returns/${row.id}/receive`, { params: { id: row.id }, idem: receiveKey });
    expect([again.status, again.body]).toEqual([200, done]);
    expect(await one(sql`select count(*)::int as n from credit_notes where return_id = ${row.id}`)).toEqual({ n: 1 });
    expect(await one(sql`select on_hand from inventory where product_id = ${w.product.id}`)).toEqual({ on_hand: before.on_hand + 2 });

    // Read back: one return, the order's list, the company's list.
    expect((await call(returnRoute.GET as Handler, w.key, `/returns/${row.id}`, { params: { id: row.id } })).body).toEqual(done);
    expect((await call(orderReturnsRoute.GET as Handler, w.key, `/orders/${w.orderId}/returns`, { params: { id: w.orderId } })).body).toEqual({
      data: [done],
      lines: [{ lineNo: 1, productId: w.product.id, sku: `AR-${w.tag}`, shipped: 2, returned: 2, returnable: 0 }],
    });
    expect((await call(returnsRoute.GET as Handler, w.key, "/returns?status=received")).body).toEqual({ data: [done], nextCursor: null });
    expect((await call(returnsRoute.GET as Handler, w.key, "/returns?status=requested")).body).toEqual({ data: [], nextCursor: null });
  });

  it("refuses over-return with the line's field, a second return beyond what is left, wrong steps with 409, wrong roles with 403; nothing written", async () => {
    const w = await world();
    const path = `/orders/${w.orderId}/returns`;
    const over = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: requestBody(3), idem: idem() });
    expect([over.status, over.type, over.body.code, over.body.errors]).toEqual([
      400,
      "application/problem+json; charset=utf-8",
      "validation_failed",
      { return_1: ["Line 1: at most 2 pcs can be returned (2 shipped, 0 already being returned)."] },
    ]);
    const noLine = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: { reason: "x", lines: [{ lineNo: 7, quantity: 1 }] }, idem: idem() });
    expect([noLine.status, noLine.body.errors]).toEqual([400, { return_7: ["Line 7 is not a line of this order."] }]);
    const zero = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: requestBody(0), idem: idem() });
    expect([zero.status, zero.body.code, zero.body.detail]).toEqual([400, "validation_failed", "Enter a quantity to return for at least one line."]);
    const negative = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: requestBody(-1), idem: idem() });
    expect([negative.status, negative.body.code]).toEqual([400, "validation_failed"]);
    const noKey = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: requestBody(1) });
    expect([noKey.status, noKey.body.code]).toEqual([400, "idempotency_key_required"]);
    const readOnly = await call(orderReturnsRoute.POST as Handler, w.readOnly, path, { params: { id: w.orderId }, body: requestBody(1), idem: idem() });
    expect([readOnly.status, readOnly.body.code]).toEqual([403, "insufficient_scope"]);
    const staffRequest = await call(orderReturnsRoute.POST as Handler, w.sales, path, { params: { id: w.orderId }, body: requestBody(1), idem: idem() });
    expect([staffRequest.status, staffRequest.body.code]).toEqual([403, "forbidden"]);
    expect(await one(sql`select count(*)::int as n from returns where order_id = ${w.orderId}`)).toEqual({ n: 0 });

    const first = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: requestBody(1), idem: idem() });
    expect(first.status).toBe(201);
    const more = await call(orderReturnsRoute.POST as Handler, w.key, path, { params: { id: w.orderId }, body: requestBody(2), idem: idem() });
    expect([more.status, more.body.errors]).toEqual([400, { return_1: ["Line 1: at most 1 pcs can be returned (2 shipped, 1 already being returned)."] }]);

    const id = first.body.id as string;
    const at = (route: Handler, key: string, step: string, extra: { body?: unknown; idem?: string } = {}) => call(route, key, `/returns/${id}/${step}`, { params: { id }, method: "POST", ...extra });
    // The buyer's and finance's keys may not decide; sales may, in order.
    for (const [key, code] of [
      [w.key, "forbidden"],
      [w.finance, "forbidden"],
    ] as const) {
      expect((await at(approveRoute.POST as Handler, key, "approve")).body.code).toBe(code);
      expect((await at(rejectRoute.POST as Handler, key, "reject", { body: { reason: "no" } })).body.code).toBe(code);
      expect((await at(receiveRoute.POST as Handler, key, "receive", { idem: idem() })).body.code).toBe(code);
    }
    const early = await at(receiveRoute.POST as Handler, w.sales, "receive", { idem: idem() });
    expect([early.status, early.body.code, early.body.detail]).toEqual([409, "conflict", `Return ${first.body.number} is requested: it cannot be received now.`]);
    const noReceiveKey = await at(receiveRoute.POST as Handler, w.sales, "receive");
    expect([noReceiveKey.status, noReceiveKey.body.code]).toEqual([400, "idempotency_key_required"]);
    const noReason = await at(rejectRoute.POST as Handler, w.sales, "reject", { body: {} });
    expect([noReason.status, noReason.body.code, Object.keys(noReason.body.errors)]).toEqual([400, "validation_failed", ["reason"]]);
    expect(await one(sql`select status::text from returns where id = ${id}`)).toEqual({ status: "requested" });

    const rejected = await at(rejectRoute.POST as Handler, w.sales, "reject", { body: { reason: "Opened and used." } });
    expect([rejected.status, rejected.body.status, rejected.body.rejectionReason, rejected.body.creditNote]).toEqual([200, "rejected", "Opened and used.", null]);
    const twice = await at(approveRoute.POST as Handler, w.sales, "approve");
    expect([twice.status, twice.body.code, twice.body.detail]).toEqual([409, "conflict", `Return ${first.body.number} is rejected: it cannot be approved now.`]);
    // A rejected return frees its quantity.
    expect((await call(orderReturnsRoute.GET as Handler, w.key, path, { params: { id: w.orderId } })).body.lines[0]).toMatchObject({ shipped: 2, returned: 0, returnable: 2 });
    expect(await one(sql`select count(*)::int as n from credit_notes where order_id = ${w.orderId} and return_id is not null`)).toEqual({ n: 0 });
  });

  it("another company's key gets 404 for the order, its returns and each return, never a 403, and lists none of them; unknown ids are 404", async () => {
    const w = await world();
    const requested = await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${w.orderId}/returns`, { params: { id: w.orderId }, body: requestBody(1), idem: idem() });
    const id = requested.body.id as string;

    const notFound = (r: { status: number; type: string | null; body: Body }) => [r.status, r.type, r.body.code];
    const nf = [404, "application/problem+json; charset=utf-8", "not_found"];
    expect(notFound(await call(orderReturnsRoute.GET as Handler, w.other, `/orders/${w.orderId}/returns`, { params: { id: w.orderId } }))).toEqual(nf);
    expect(notFound(await call(orderReturnsRoute.POST as Handler, w.other, `/orders/${w.orderId}/returns`, { params: { id: w.orderId }, body: requestBody(1), idem: idem() }))).toEqual(nf);
    expect(notFound(await call(returnRoute.GET as Handler, w.other, `/returns/${id}`, { params: { id } }))).toEqual(nf);
    const theirs = await call(returnsRoute.GET as Handler, w.other, "/returns?limit=100");
    expect((theirs.body.data as { id: string }[]).map((r) => r.id)).not.toContain(id);
    expect((await call(returnsRoute.GET as Handler, w.other, `/returns?order=${w.orderId}`)).body).toEqual({ data: [], nextCursor: null });
    expect((await call(returnsRoute.GET as Handler, w.other, `/returns?company=${randomUUID()}`)).status).toBe(400);

    const unknown = randomUUID();
    expect(notFound(await call(returnRoute.GET as Handler, w.key, `/returns/${unknown}`, { params: { id: unknown } }))).toEqual(nf);
    expect(notFound(await call(returnRoute.GET as Handler, w.key, "/returns/not-a-uuid", { params: { id: "not-a-uuid" } }))).toEqual(nf);
    expect(notFound(await call(approveRoute.POST as Handler, w.sales, `/returns/${unknown}/approve`, { params: { id: unknown }, method: "POST" }))).toEqual(nf);
    expect(notFound(await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${unknown}/returns`, { params: { id: unknown }, body: requestBody(1), idem: idem() }))).toEqual(nf);
    // Staff keys read every company's.
    expect((await call(returnRoute.GET as Handler, w.finance, `/returns/${id}`, { params: { id } })).body.id).toBe(id);
    expect(await one(sql`select status::text from returns where id = ${id}`)).toEqual({ status: "requested" });
  });

  it("an order not yet shipped: nothing to return (400 on the line); a quotation still open: 409", async () => {
    const w = await world();
    const buyer = w.buyer;
    must(await runMutation(addToCart, who(buyer), { productId: w.product.id, quantity: "1" }));
    const { orderId } = must(await runMutation(submitCart, who(buyer), {}));
    const open = await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${orderId}/returns`, { params: { id: orderId }, body: requestBody(1), idem: idem() });
    expect([open.status, open.body.code, open.body.detail]).toEqual([409, "conflict", "Only goods of an approved order that have shipped can be returned."]);
    must(await runMutation(acceptQuotation, who(buyer), { orderId }));
    must(await runMutation(approveOrder, who(await actorByEmail("sales@demo.test")), { orderId }));
    const unshipped = await call(orderReturnsRoute.POST as Handler, w.key, `/orders/${orderId}/returns`, { params: { id: orderId }, body: requestBody(1), idem: idem() });
    expect([unshipped.status, unshipped.body.errors]).toEqual([400, { return_1: ["Line 1 has not shipped yet: only shipped goods can be returned."] }]);
  });
});
