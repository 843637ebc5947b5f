import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { getCart } from "@/db/queries/orders";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { closePdfPool } from "@/lib/pdf/render";
import { createCompanyApiKey, createStaffApiKey, setApiKeyLimits } from "@/lib/services/api-keys";
import { receiveStock } from "@/lib/services/inventory";
import { addToCart } from "@/lib/services/orders/cart";
import { addOrderNote } from "@/lib/services/orders/fulfilment";
import { reviseQuotation } from "@/lib/services/orders/quotations";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { createUser } from "@/lib/services/users";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import * as cartRoute from "@/app/api/v1/cart/route";
import * as cartLinesRoute from "@/app/api/v1/cart/lines/route";
import * as cartLineRoute from "@/app/api/v1/cart/lines/[productId]/route";
import * as quickOrderRoute from "@/app/api/v1/cart/quick-order/route";
import * as submitRoute from "@/app/api/v1/cart/submit/route";
import * as ordersRoute from "@/app/api/v1/orders/route";
import * as orderRoute from "@/app/api/v1/orders/[id]/route";
import * as acceptRoute from "@/app/api/v1/orders/[id]/accept/route";
import * as declineRoute from "@/app/api/v1/orders/[id]/decline/route";
import * as cancelRoute from "@/app/api/v1/orders/[id]/cancel/route";
import * as versionsRoute from "@/app/api/v1/orders/[id]/quotations/route";
import * as quotationRoute from "@/app/api/v1/quotations/[id]/route";
import * as quotationPdfRoute from "@/app/api/v1/quotations/[id]/pdf/route";

// /api/v1 orders, cart and quotations through the route modules' handlers, with real Requests and
// real API keys on a real database: what the ERP sees, and what the database holds afterwards.

setupTestDatabase();
afterAll(() => closePdfPool());

let counter = 0;
const who = (actor: Actor) => ({ actor, request: request(), idempotencyKey: `api-orders-${counter++}-${randomUUID()}` });
const must = <T>(r: { ok: true; data: T } | { ok: false; error: string }): T => {
  if (!r.ok) throw new Error(r.error);
  return r.data;
};

type Handler = (request: Request, route: { params: Promise<Record<string, string>> }) => Promise<Response>;
type Money = { amountMinor: string; amount: string; currency: string };
type Order = {
  id: string;
  reference: string;
  status: string;
  version: number;
  poNumber: string;
  totals: { subtotal: Money; tax: Money; total: Money };
  quotation: { id: string; number: string; version: number; lines: { sku: string; quantity: number; unitPrice: Money; net: Money; tax: Money; total: Money }[] };
  timeline: { event: string; fromStatus: string | null; toStatus: string | null; note: string }[];
};
type Body = Record<string, unknown>;

async function call(handler: Handler, key: string, opts: { method?: string; path?: string; params?: Record<string, string>; body?: unknown; idem?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { authorization: `Bearer ${key}`, ...opts.headers };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.idem) headers["idempotency-key"] = opts.idem;
  const response = await handler(
    new Request(`http://localhost/api/v1${opts.path ?? "/x"}`, { method: opts.method ?? (opts.body !== undefined ? "POST" : "GET"), headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) }),
    { params: Promise.resolve(opts.params ?? {}) },
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: (text && response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : null) as Body };
}

const idem = () => `idem-${randomUUID()}`;
const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;

/** A company of the test's own with a customer admin, products (one on a contract price) and keys. */
async function world() {
  const staff = await actorByEmail("admin@demo.test");
  const tag = randomUUID().slice(0, 8).toUpperCase();
  const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency) values (${`Api orders ${tag}`}, 'EUR') returning id`);
  const owner = must(await runMutation(createUser, who(staff), { email: uniqueEmail("api-orders"), name: "Api Owner", role: "customer_admin", companyId: company!.id, password: "violet-harbour-93-kettle" }));
  const admin = await actorByEmail(owner.email);
  const a = must(await runMutation(createProduct, who(staff), { sku: `AO-${tag}-A`, name: "Api bolt", category: `AO ${tag}`, basePrice: "12.35", taxRate: "19", minOrderQuantity: "2", orderMultiple: "2" }));
  const b = must(await runMutation(createProduct, who(staff), { sku: `AO-${tag}-B`, name: "Api washer", category: `AO ${tag}`, basePrice: "0.05", taxRate: "7" }));
  for (const p of [a, b]) must(await runMutation(receiveStock, who(staff), { productId: p.id, quantity: "10000" }));
  const list = must(await runMutation(createPriceList, who(staff), { name: `Api orders ${tag}`, currency: "EUR", validFrom: "2020-01-01", validTo: "" }));
  must(await runMutation(upsertPriceListEntry, who(staff), { priceListId: list.id, sku: b.sku, unitPrice: "0.04", tiers: "" }));
  must(await runMutation(setPriceListAssignment, who(staff), { priceListId: list.id, companyId: company!.id, assigned: "true" }));
  const key = async (scopes: string[]) => {
    const created = must(await runMutation(createCompanyApiKey, who(admin), { name: `ERP ${scopes.join(" ")}`, scopes }));
    // Room for the parallel tests (the default burst is 60).
    must(await runMutation(setApiKeyLimits, who(staff), { id: created.id, rateLimitPerMinute: "100000", rateLimitBurst: "10000" }));
    return created;
  };
  const full = await key(["orders:read", "orders:write"]);
  const readOnly = await key(["orders:read"]);
  return { tag, companyId: company!.id, admin, a, b, full, readOnly };
}

const place = (key: string, body: unknown, idemKey: string | null = idem()) => call(ordersRoute.POST as Handler, key, { path: "/orders", body, idem: idemKey });

describe("POST /api/v1/orders", () => {
  it("places a quoted order from lines at the portal's prices, leaving the cart alone; audited as the key", async () => {
    const w = await world();
    // The same lines in the owner's cart, priced by the portal's cart page.
    must(await runMutation(addToCart, who(w.admin), { productId: w.a.id, quantity: "4" }));
    must(await runMutation(addToCart, who(w.admin), { productId: w.b.id, quantity: "15" }));
    const cartBefore = await getCart(db, w.admin);
    // 4 × 12.35 = 49.40, tax 19% 9.386 → 9.39; 15 × 0.04 (contract) = 0.60, tax 7% 0.042 → 0.04.
    expect(cartBefore!.totals).toMatchObject({ subtotalMinor: 5000n, taxMinor: 943n, totalMinor: 5943n });

    const placed = await place(w.full.key, { lines: [{ sku: w.a.sku.toLowerCase(), quantity: 2 }, { productId: w.b.id, quantity: 15 }, { sku: w.a.sku, quantity: 2 }], poNumber: "PO-API-1" });
    expect(placed.status).toBe(201);
    const order = placed.body as unknown as Order;
    expect(order).toMatchObject({ status: "quoted", version: 1, poNumber: "PO-API-1" });
    expect(order.totals).toEqual({
      subtotal: { amountMinor: "5000", amount: "50.00", currency: "EUR" },
      tax: { amountMinor: "943", amount: "9.43", currency: "EUR" },
      total: { amountMinor: "5943", amount: "59.43", currency: "EUR" },
    });
    expect(order.totals.total.amountMinor).toBe(cartBefore!.totals.totalMinor.toString());
    expect(order.quotation.lines.map((l) => [l.sku, l.quantity, l.unitPrice.amount, l.net.amount, l.tax.amount])).toEqual([
      [w.a.sku, 4, "12.35", "49.40", "9.39"],
      [w.b.sku, 15, "0.04", "0.60", "0.04"],
    ]);
    expect(order.timeline.map((e) => [e.event, e.fromStatus, e.toStatus])).toEqual([["submit", null, "quoted"]]);

    // The cart is untouched: same order, same lines.
    const cartAfter = await getCart(db, w.admin);
    expect(cartAfter!.order.id).toBe(cartBefore!.order.id);
    expect(cartAfter!.lines.map((l) => [l.sku, l.quantity])).toEqual([
      [w.a.sku, 4],
      [w.b.sku, 15],
    ]);
    const [stored] = await rows<{ status: string; total_minor: string; buyer_id: string; company_id: string }>(sql`select status, total_minor::text, buyer_id, company_id from orders where id = ${order.id}`);
    expect(stored).toEqual({ status: "quoted", total_minor: "5943", buyer_id: w.admin.id, company_id: w.companyId });

    const audit = await rows<{ action: string; actor_id: string; actor_role: string; api_key: unknown }>(
      sql`select action, actor_id, actor_role, diff->'apiKey' as api_key from audit_events where entity_id in (${order.id}, ${order.quotation.id}) order by action`,
    );
    expect(audit).toEqual([
      { action: "order.place", actor_id: w.admin.id, actor_role: "buyer", api_key: { id: w.full.id, prefix: w.full.prefix } },
      { action: "quotation.issue", actor_id: w.admin.id, actor_role: "buyer", api_key: { id: w.full.id, prefix: w.full.prefix } },
    ]);
    const events = await rows<{ type: string }>(sql`select type from outbox_events where payload->>'orderId' = ${order.id} order by type`);
    expect(events.map((e) => e.type)).toEqual(["order.status_changed", "quotation.issued"]);
  });

  it("one Idempotency-Key is one order: a retry answers the same body, another body is 422, none is 400", async () => {
    const w = await world();
    const key = idem();
    const body = { lines: [{ sku: w.a.sku, quantity: 2 }], poNumber: `PO-IDEM-${w.tag}` };
    const first = await place(w.full.key, body, key);
    const again = await place(w.full.key, body, key);
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.text).toBe(first.text);
    expect(await count(sql`select count(*)::int as n from orders where po_number = ${body.poNumber}`)).toBe(1);

    const other = await place(w.full.key, { ...body, lines: [{ sku: w.a.sku, quantity: 4 }] }, key);
    expect([other.status, other.body.code]).toEqual([422, "idempotency_key_reused"]);
    const none = await place(w.full.key, body, null);
    expect([none.status, none.body.code]).toEqual([400, "idempotency_key_required"]);
    expect(await count(sql`select count(*)::int as n from orders where po_number = ${body.poNumber}`)).toBe(1);
  });

  it("32 parallel requests with one key make exactly one order", async () => {
    const w = await world();
    const key = idem();
    const body = { lines: [{ sku: w.b.sku, quantity: 3 }], poNumber: `PO-PAR-${w.tag}` };
    const answers = await Promise.all(Array.from({ length: 32 }, () => place(w.full.key, body, key)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    expect(new Set(answers.filter((a) => a.status === 201).map((a) => (a.body as unknown as Order).id)).size).toBe(1);
    expect(await count(sql`select count(*)::int as n from orders where po_number = ${body.poNumber}`)).toBe(1);
    expect(await count(sql`select count(*)::int as n from quotations q join orders o on o.id = q.order_id where o.po_number = ${body.poNumber}`)).toBe(1);
  });

  it("refuses bad lines with field errors and nothing written; a key without orders:write is 403", async () => {
    const w = await world();
    const bad = await place(w.full.key, { lines: [{ sku: "NO-SUCH-SKU", quantity: 1 }, { sku: w.a.sku, quantity: 3 }], poNumber: `PO-BAD-${w.tag}` });
    expect([bad.status, bad.body.code, bad.body.errors]).toEqual([400, "validation_failed", { "lines.0.sku": ["Line 1: no product has SKU NO-SUCH-SKU."] }]);
    const pack = await place(w.full.key, { lines: [{ sku: w.a.sku, quantity: 3 }], poNumber: `PO-BAD-${w.tag}` });
    expect([pack.status, pack.body.code, pack.body.detail]).toEqual([400, "validation_failed", `${w.a.sku}: This product comes in packs of 2: order 2 or 4.`]);
    const empty = await place(w.full.key, { lines: [] });
    expect([empty.status, empty.body.code]).toEqual([400, "validation_failed"]);
    const scoped = await place(w.readOnly.key, { lines: [{ sku: w.a.sku, quantity: 2 }] });
    expect([scoped.status, scoped.body.code]).toEqual([403, "insufficient_scope"]);
    expect(await count(sql`select count(*)::int as n from orders where company_id = ${w.companyId} and status <> 'draft'`)).toBe(0);
  });
});

describe("orders after placing", () => {
  it("accepts the named version only (a stale one is 409), then cancels; the timeline tells it", async () => {
    const w = await world();
    const order = (await place(w.full.key, { lines: [{ sku: w.a.sku, quantity: 10 }] })).body as unknown as Order;
    const sales = await actorByEmail("sales@demo.test");
    must(await runMutation(reviseQuotation, who(sales), { orderId: order.id, version: 1, reason: "Volume discount", lines: [{ lineNo: 1, quantity: "10", unitPrice: "11.00", discountPercent: "" }] }));

    const accept = (version: number) => call(acceptRoute.POST as Handler, w.full.key, { params: { id: order.id }, body: { quotationVersion: version }, idem: idem() });
    const stale = await accept(1);
    expect([stale.status, stale.body.code]).toEqual([409, "conflict"]);
    expect(await count(sql`select count(*)::int as n from orders where id = ${order.id} and status = 'quoted'`)).toBe(1);
    const accepted = await accept(2);
    expect(accepted.status).toBe(200);
    const after = accepted.body as unknown as Order;
    // 10 × 11.00 = 110.00 + 19% = 130.90: within the seller's thresholds, waiting for sales.
    expect([after.status, after.quotation.version, after.totals.total.amount]).toEqual(["awaiting_seller_approval", 2, "130.90"]);
    const [reserved] = await rows<{ reserved: number }>(sql`select reserved from inventory where product_id = ${w.a.id}`);
    expect(reserved!.reserved).toBe(10);

    // A seller's internal note is on the order's timeline for a staff key, never for the customer's.
    must(await runMutation(addOrderNote, who(sales), { orderId: order.id, note: "Check the customer's credit first" }));
    const admin = await actorByEmail("admin@demo.test");
    const staffKey = must(await runMutation(createStaffApiKey, who(admin), { name: `Ops ${w.tag}`, role: "sales", scopes: ["orders:read"], lifetimeDays: "30" })).key;
    const seenByStaff = (await call(orderRoute.GET as Handler, staffKey, { params: { id: order.id } })).body as unknown as Order;
    expect(seenByStaff.timeline.map((e) => e.event)).toEqual(["submit", "revise", "accept", "note"]);
    const seenByCustomer = (await call(orderRoute.GET as Handler, w.full.key, { params: { id: order.id } })).body as unknown as Order;
    expect(seenByCustomer.timeline.map((e) => e.event)).toEqual(["submit", "revise", "accept"]);

    const cancelled = await call(cancelRoute.POST as Handler, w.full.key, { params: { id: order.id }, body: { reason: "Project postponed" } });
    expect(cancelled.status).toBe(200);
    const closed = cancelled.body as unknown as Order;
    expect(closed.status).toBe("cancelled");
    expect(closed.timeline.map((e) => [e.event, e.toStatus])).toEqual([
      ["submit", "quoted"],
      ["revise", "quoted"],
      ["accept", "awaiting_seller_approval"],
      ["cancel_by_customer", "cancelled"],
    ]);
    const [released] = await rows<{ reserved: number }>(sql`select reserved from inventory where product_id = ${w.a.id}`);
    expect(released!.reserved).toBe(0);
    const [audit] = await rows<{ actor_id: string; key_id: string }>(sql`select actor_id, diff->'apiKey'->>'id' as key_id from audit_events where entity_id = ${order.id} and action = 'order.cancel_by_customer'`);
    expect(audit).toEqual({ actor_id: w.admin.id, key_id: w.full.id });

    const versions = await call(versionsRoute.GET as Handler, w.full.key, { params: { id: order.id } });
    expect((versions.body.data as { version: number; total: Money }[]).map((v) => [v.version, v.total.amount])).toEqual([
      [1, "146.97"],
      [2, "130.90"],
    ]);
  });

  it("Prefer: return=minimal answers receipts built from the mutation (no read back); a replay answers the same receipt", async () => {
    const w = await world();
    const minimal = { prefer: "respond-async, return=minimal" };
    const key = idem();
    const body = { lines: [{ sku: w.a.sku, quantity: 10 }], poNumber: `PO-MIN-${w.tag}` };
    const placed = await call(ordersRoute.POST as Handler, w.full.key, { path: "/orders", body, idem: key, headers: minimal });
    const [row] = await rows<{ id: string; reference: string; number: string; qid: string }>(
      sql`select o.id, o.reference, q.number, q.id as qid from orders o join quotations q on q.order_id = o.id where o.po_number = ${body.poNumber}`,
    );
    // 10 × 12.35 = 123.50 + 19% = 146.97.
    expect([placed.status, placed.headers.get("preference-applied"), placed.headers.get("location")]).toEqual([201, "return=minimal", `/api/v1/orders/${row!.id}`]);
    expect(placed.body).toEqual({ id: row!.id, reference: row!.reference, status: "quoted", quotation: { id: row!.qid, number: row!.number, version: 1, total: { amountMinor: "14697", amount: "146.97", currency: "EUR" } } });
    const replay = await call(ordersRoute.POST as Handler, w.full.key, { path: "/orders", body, idem: key, headers: minimal });
    expect([replay.status, replay.text]).toEqual([201, placed.text]);
    // Without the preference the same key answers the whole order (read now).
    const whole = await call(ordersRoute.POST as Handler, w.full.key, { path: "/orders", body, idem: key });
    expect([whole.status, whole.headers.get("preference-applied"), (whole.body as unknown as Order).totals.total.amount]).toEqual([201, null, "146.97"]);

    const accepted = await call(acceptRoute.POST as Handler, w.full.key, { params: { id: row!.id }, body: { quotationVersion: 1 }, idem: idem(), headers: { prefer: "return=minimal" } });
    expect([accepted.status, accepted.headers.get("preference-applied")]).toEqual([200, "return=minimal"]);
    expect(accepted.body).toEqual({
      id: row!.id,
      reference: row!.reference,
      status: "awaiting_seller_approval",
      quotation: { id: row!.qid, number: row!.number, version: 1, total: { amountMinor: "14697", amount: "146.97", currency: "EUR" } },
      // The test company has no credit limit: finance approves too.
      approvalReasons: ["Every order needs a sales approval.", "Finance approval: unpaid invoices and orders awaiting approval of €0.00 plus this order would exceed the credit limit of €0.00."],
    });
    expect(await count(sql`select count(*)::int as n from orders where id = ${row!.id} and status = 'awaiting_seller_approval'`)).toBe(1);
  });

  it("declines a quotation with a reason", async () => {
    const w = await world();
    const order = (await place(w.full.key, { lines: [{ sku: w.b.sku, quantity: 1 }] })).body as unknown as Order;
    const declined = await call(declineRoute.POST as Handler, w.full.key, { params: { id: order.id }, body: { reason: "Too dear" } });
    expect([declined.status, declined.body.status, declined.body.closeReason]).toEqual([200, "declined", "Too dear"]);
    const twice = await call(declineRoute.POST as Handler, w.full.key, { params: { id: order.id }, body: { reason: "Again" } });
    expect([twice.status, twice.body.code]).toEqual([409, "conflict"]);
  });

  it("lists by filters in cursor pages without overlap or gap; another company's order is 404", async () => {
    const w = await world();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(((await place(w.full.key, { lines: [{ sku: w.b.sku, quantity: i + 1 }], poNumber: `LIST-${w.tag}-${i}` })).body as unknown as Order).id);
    must(await runMutation(addToCart, who(w.admin), { productId: w.b.id, quantity: "1" }));
    await call(cancelRoute.POST as Handler, w.full.key, { params: { id: ids[1]! }, body: { reason: "No longer needed" } });

    const list = (query: string) => call(ordersRoute.GET as Handler, w.full.key, { path: `/orders${query}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await list(`?q=LIST-${w.tag}&limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).toBe(200);
      const data = page.body.data as { id: string }[];
      expect(data.length).toBe(pages < 2 ? 2 : 1);
      seen.push(...data.map((o) => o.id));
      cursor = page.body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    // Newest submission first, each once, the cart never.
    expect(seen).toEqual([...ids].reverse());

    const cancelled = await list(`?q=LIST-${w.tag}&status=cancelled`);
    expect((cancelled.body.data as { id: string; status: string }[]).map((o) => [o.id, o.status])).toEqual([[ids[1], "cancelled"]]);
    const quoted = await list(`?q=LIST-${w.tag}&status=quoted`);
    expect((quoted.body.data as unknown[]).length).toBe(4);
    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(((await list(`?q=LIST-${w.tag}&from=${tomorrow}`)).body.data as unknown[]).length).toBe(0);
    expect(((await list(`?q=LIST-${w.tag}&to=2020-01-01`)).body.data as unknown[]).length).toBe(0);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    expect(((await list(`?q=LIST-${w.tag}&from=${yesterday}&to=${tomorrow}`)).body.data as unknown[]).length).toBe(5);
    expect(today.length).toBe(10);
    for (const bad of ["?status=draft", "?limit=0", "?from=2026-13-01", "?cursor=xyz", "?sort=new"]) {
      const r = await list(bad);
      expect([r.status, r.body.code], bad).toEqual([400, "validation_failed"]);
    }
    // A cursor of another query is refused.
    const first = await list(`?q=LIST-${w.tag}&limit=2`);
    const mixed = await list(`?q=LIST-${w.tag}&limit=3&cursor=${first.body.nextCursor as string}`);
    expect([mixed.status, mixed.body.code]).toEqual([400, "validation_failed"]);

    // Another company's key: its list has none of them, each is a 404, and so is acting on it.
    const other = await world();
    const foreign = await call(orderRoute.GET as Handler, other.full.key, { params: { id: ids[0]! } });
    expect([foreign.status, foreign.body.code]).toEqual([404, "not_found"]);
    expect(((await call(ordersRoute.GET as Handler, other.full.key, { path: `/orders?q=LIST-${w.tag}` })).body.data as unknown[]).length).toBe(0);
    const foreignAccept = await call(acceptRoute.POST as Handler, other.full.key, { params: { id: ids[0]! }, body: { quotationVersion: 1 }, idem: idem() });
    expect([foreignAccept.status, foreignAccept.body.code]).toEqual([404, "not_found"]);
    const order = (await call(orderRoute.GET as Handler, w.full.key, { params: { id: ids[0]! } })).body as unknown as Order;
    const foreignQuote = await call(quotationRoute.GET as Handler, other.full.key, { params: { id: order.quotation.id } });
    expect(foreignQuote.status).toBe(404);
    expect((await call(quotationPdfRoute.GET as Handler, other.full.key, { params: { id: order.quotation.id } })).status).toBe(404);
    expect((await call(orderRoute.GET as Handler, w.full.key, { params: { id: "not-a-uuid" } })).status).toBe(404);
  });

  it("GET /orders/{id} sends an ETag; If-None-Match answers 304 until the order changes", async () => {
    const w = await world();
    const order = (await place(w.full.key, { lines: [{ sku: w.b.sku, quantity: 2 }] })).body as unknown as Order;
    const first = await call(orderRoute.GET as Handler, w.full.key, { params: { id: order.id } });
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    const same = await call(orderRoute.GET as Handler, w.full.key, { params: { id: order.id }, headers: { "if-none-match": etag } });
    expect([same.status, same.text, same.headers.get("etag")]).toEqual([304, "", etag]);
    await call(declineRoute.POST as Handler, w.full.key, { params: { id: order.id }, body: { reason: "Changed our mind" } });
    const changed = await call(orderRoute.GET as Handler, w.full.key, { params: { id: order.id }, headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
  });

  it("GET /quotations/{id} and its PDF: the PDF parses and shows the number and total", async () => {
    const w = await world();
    const order = (await place(w.full.key, { lines: [{ sku: w.a.sku, quantity: 4 }] })).body as unknown as Order;
    const q = await call(quotationRoute.GET as Handler, w.full.key, { params: { id: order.quotation.id } });
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ id: order.quotation.id, orderId: order.id, number: order.quotation.number, version: 1, total: { amountMinor: "5879", amount: "58.79", currency: "EUR" } });
    const pdf = await call(quotationPdfRoute.GET as Handler, w.full.key, { params: { id: order.quotation.id } });
    expect([pdf.status, pdf.headers.get("content-type")]).toEqual([200, "application/pdf"]);
    const response = await (quotationPdfRoute.GET as Handler)(
      new Request("http://localhost/api/v1/x", { headers: { authorization: `Bearer ${w.full.key}` } }),
      { params: Promise.resolve({ id: order.quotation.id }) },
    );
    const parser = new PDFParse({ data: new Uint8Array(await response.arrayBuffer()) });
    try {
      const text = (await parser.getText()).text;
      expect(text).toContain(order.quotation.number);
      expect(text).toContain("58.79");
    } finally {
      await parser.destroy();
    }
  });
});

describe("/api/v1/cart", () => {
  it("is the owner's portal cart: set, add, quick order, submit; a staff-free world of problems", async () => {
    const w = await world();
    const get = () => call(cartRoute.GET as Handler, w.full.key);
    const empty = await get();
    expect(empty.body).toMatchObject({ lines: [], total: { amountMinor: "0", currency: "EUR" } });

    const set = await call(cartLineRoute.PUT as Handler, w.full.key, { method: "PUT", params: { productId: w.a.id }, body: { quantity: 6 } });
    expect(set.status).toBe(200);
    const add = await call(cartLinesRoute.POST as Handler, w.full.key, { body: { productId: w.b.id, quantity: 5 }, idem: idem() });
    expect((add.body.lines as { sku: string; quantity: number }[]).map((l) => [l.sku, l.quantity])).toEqual([
      [w.a.sku, 6],
      [w.b.sku, 5],
    ]);
    const noKey = await call(cartLinesRoute.POST as Handler, w.full.key, { body: { productId: w.b.id, quantity: 5 } });
    expect([noKey.status, noKey.body.code]).toEqual([400, "idempotency_key_required"]);
    const badPack = await call(cartLineRoute.PUT as Handler, w.full.key, { method: "PUT", params: { productId: w.a.id }, body: { quantity: 3 } });
    expect([badPack.status, badPack.body.code, badPack.body.errors]).toEqual([400, "validation_failed", { quantity: ["This product comes in packs of 2: order 2 or 4."] }]);
    const quick = await call(quickOrderRoute.POST as Handler, w.full.key, { body: { lines: `${w.b.sku} 5\nNOPE 1` }, idem: idem() });
    expect([quick.status, quick.body.errors]).toEqual([400, { lines: ["Line 2: no product has SKU NOPE."] }]);
    const quickOk = await call(quickOrderRoute.POST as Handler, w.full.key, { body: { lines: `${w.b.sku} 5` }, idem: idem() });
    // 6 × 12.35 = 74.10 + 14.08 tax; 10 × 0.04 = 0.40 + 0.03 tax.
    expect([quickOk.status, quickOk.body.subtotal, (quickOk.body.tax as Money).amount, (quickOk.body.total as Money).amount]).toEqual([200, { amountMinor: "7450", amount: "74.50", currency: "EUR" }, "14.11", "88.61"]);
    // The portal sees the same cart.
    expect((await getCart(db, w.admin))!.totals.totalMinor).toBe(8861n);
    const removed = await call(cartLineRoute.PUT as Handler, w.full.key, { method: "PUT", params: { productId: w.b.id }, body: { quantity: 0 } });
    expect((removed.body.lines as unknown[]).length).toBe(1);

    const submitKey = idem();
    const submitted = await call(submitRoute.POST as Handler, w.full.key, { idem: submitKey });
    expect([submitted.status, submitted.body.status, (submitted.body.totals as { total: Money }).total.amount]).toEqual([201, "quoted", "88.18"]);
    const replay = await call(submitRoute.POST as Handler, w.full.key, { idem: submitKey });
    expect(replay.text).toBe(submitted.text);
    expect((await get()).body.lines).toEqual([]);
    const readOnlyWrite = await call(cartLineRoute.PUT as Handler, w.readOnly.key, { method: "PUT", params: { productId: w.a.id }, body: { quantity: 2 } });
    expect([readOnlyWrite.status, readOnlyWrite.body.code]).toEqual([403, "insufficient_scope"]);
  });
});
