import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, request as playwrightRequest, type APIRequestContext, type APIResponse } from "@playwright/test";
import type postgres from "postgres";
import { storageState } from "./fixtures";

// The probes' own tools: calling server actions the way React does (a POST with the Next-Action
// header and the arguments encoded like React's encodeReply), the e2e database through postgres.js
// (the test's own view of what was written), and a "world" of two companies, seven actors and
// real orders, invoices, payments and documents that belongs to one spec file alone. Other specs
// run in parallel on the same database, so every "nothing was written" check is scoped to rows of
// this world (its companies, its users, its fixture product and price list, and audit rows its
// actors caused), which no other spec touches.

export const ACTORS = ["anonymous", "buyer", "customerAdmin", "globexBuyer", "sales", "finance", "admin"] as const;
export type ActorKey = (typeof ACTORS)[number];
export const CUSTOMER_ACTORS: readonly ActorKey[] = ["buyer", "customerAdmin", "globexBuyer"];
export const STAFF_ACTORS: readonly ActorKey[] = ["sales", "finance", "admin"];

// ---------- server actions ----------

type ManifestEntry = { workers: Record<string, unknown>; filename?: string; exportedName?: string };

/** `file#export` → { id, page } for every server action of the production build (.next after `next build`). */
export function actionManifest(): Map<string, { id: string; workers: string[] }> {
  const file = path.join(process.cwd(), ".next/server/server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { node: Record<string, ManifestEntry> };
  const out = new Map<string, { id: string; workers: string[] }>();
  for (const [id, entry] of Object.entries(manifest.node)) {
    if (!entry.filename || !entry.exportedName) throw new Error(`server-reference-manifest entry ${id} names no file/export: the build format changed`);
    out.set(`${entry.filename}#${entry.exportedName}`, { id, workers: Object.keys(entry.workers) });
  }
  return out;
}

export type ActionArgs = { form: Record<string, string | string[] | File> } | { args: unknown[] } | { raw: { body: string | Buffer; contentType: string } };

export type ActionOutcome = {
  status: number;
  /** Where the proxy (3xx Location) or the action (x-action-redirect) sent the caller, if anywhere. */
  location: string | null;
  /** The action's return value (the RSC row "1:"), when it returned one. */
  result: unknown;
  body: string;
};

/** React's encodeReply escapes a string starting with "$" (its reference marker) as "$$…"; so do we. */
const escapeDollar = (_key: string, value: unknown) => (typeof value === "string" && value.startsWith("$") ? `$${value}` : value);

/** Calls a server action as React's client does; `page` is a path whose route holds the action. */
export async function callAction(ctx: APIRequestContext, baseURL: string, page: string, id: string, args: ActionArgs): Promise<ActionOutcome> {
  const headers: Record<string, string> = { "next-action": id, origin: baseURL, accept: "text/x-component" };
  let res: APIResponse;
  if ("form" in args) {
    // useActionState actions are (prevState, formData): React sends [undefined, <form>] with the
    // form's fields prefixed by its part number.
    const fd = new FormData();
    for (const [k, v] of Object.entries(args.form)) for (const item of Array.isArray(v) ? v : [v]) fd.append(`_1_${k}`, item);
    fd.append("0", JSON.stringify(["$undefined", "$K1"]));
    res = await ctx.post(page, { headers, multipart: fd, maxRedirects: 0, failOnStatusCode: false });
  } else if ("args" in args) {
    res = await ctx.post(page, { headers: { ...headers, "content-type": "text/plain;charset=UTF-8" }, data: JSON.stringify(args.args, escapeDollar), maxRedirects: 0, failOnStatusCode: false });
  } else {
    res = await ctx.post(page, { headers: { ...headers, "content-type": args.raw.contentType }, data: args.raw.body, maxRedirects: 0, failOnStatusCode: false });
  }
  const body = await res.text();
  const h = res.headers();
  const location = h["location"] ?? (h["x-action-redirect"] ? h["x-action-redirect"].split(";")[0]! : null);
  let result: unknown = undefined;
  const row = /^1:(.*)$/m.exec(body);
  if (row && (h["content-type"] ?? "").startsWith("text/x-component")) {
    try {
      result = JSON.parse(row[1]!);
    } catch {
      result = row[1];
    }
  }
  return { status: res.status(), location, result, body };
}

/** The page path an action is posted to: the first of its workers whose dynamic segments `params` fills, with route groups removed. */
export function actionPage(workers: string[], params: Record<string, string>): string {
  for (const w of workers) {
    try {
      return pagePathOf(w, params);
    } catch {
      // a dynamic segment without a value: try the next page holding the action
    }
  }
  throw new Error(`no page of ${workers.join(", ")} can be filled from ${JSON.stringify(params)}`);
}

function pagePathOf(worker: string, params: Record<string, string>): string {
  const p = worker
    .replace(/^app\//, "")
    .replace(/\/page$/, "")
    .split("/")
    .filter((s) => !/^\(.*\)$/.test(s))
    .map((s) => {
      const m = /^\[(.+)\]$/.exec(s);
      if (!m) return s;
      const v = params[m[1]!];
      if (v === undefined) throw new Error(`no value for [${m[1]}] in ${worker}`);
      return encodeURIComponent(v);
    })
    .join("/");
  return `/${p}`.replace(/\/$/, "") || "/";
}

export const resultCode = (r: unknown): string | undefined =>
  r && typeof r === "object" && "ok" in r && (r as { ok: unknown }).ok === false ? String((r as { code?: unknown }).code) : undefined;
export const resultOk = (r: unknown): boolean => !!r && typeof r === "object" && (r as { ok?: unknown }).ok === true;

// ---------- database ----------

export type Sql = postgres.Sql;

// ---------- the world ----------

export type World = {
  tag: string;
  password: string;
  ids: {
    ownerCompanyId: string;
    otherCompanyId: string;
    productId: string;
    sku: string;
    /** Approved and invoiced. */
    orderId: string;
    /** Quotation issued, waiting for the customer. */
    quoteOrderId: string;
    quotationId: string;
    invoiceId: string;
    invoiceNumber: string;
    /** A shipment of one of orderId's two units (the order stays approved, partly shipped). */
    shipmentId: string;
    /** A return of that shipped unit, requested by the buyer (staff actions move it on). */
    returnId: string;
    paymentId: string;
    priceListId: string;
    priceListEntryId: string;
    /** A customer of the owner company that actions may deactivate or reset. */
    victimUserId: string;
    /** A staff user that staff actions may change. */
    staffVictimUserId: string;
    statementLineId: string;
    /** The owner company's webhook endpoint (its customer admin's) and a staff endpoint (the admin's). */
    webhookEndpointId: string;
    staffWebhookEndpointId: string;
    /** A mail of the local mailbox (Staff → Sent mail), about the owner company. */
    mailId: string;
    /** A requisition list of the owner company, with the world's product on it. */
    listId: string;
  };
  users: Record<Exclude<ActorKey, "anonymous">, { id: string; email: string }>;
  contexts: Record<ActorKey, APIRequestContext>;
  /** Every user id of this world (for audit scoping). */
  userIds: string[];
  dispose: () => Promise<void>;
};

const key = () => `probe-${randomUUID()}`;

async function expectAction(out: ActionOutcome, what: string): Promise<ActionOutcome> {
  if (out.status !== 200 || (out.result !== undefined && !resultOk(out.result) && resultCode(out.result) !== undefined)) {
    throw new Error(`world set-up step "${what}" failed: ${out.status} ${JSON.stringify(out.result)} ${out.body.slice(0, 300)}`);
  }
  return out;
}

/**
 * Builds a world through the app itself (the demo admin creates the companies and users; the
 * world's own actors sign in through the login action and place, accept and approve real orders).
 */
export async function createWorld(baseURL: string, sql: Sql, label: string): Promise<World> {
  const tag = `${label}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`.toUpperCase();
  const password = `Probe-${randomUUID()}-Zq9!`;
  const actions = actionManifest();
  const act = (ctx: APIRequestContext, ref: string, params: Record<string, string>, form: Record<string, string | string[]>) => {
    const a = actions.get(ref);
    if (!a) throw new Error(`no action ${ref} in the build`);
    return callAction(ctx, baseURL, actionPage(a.workers, params), a.id, { form: { idempotencyKey: key(), ...form } });
  };
  const demoAdmin = await playwrightRequest.newContext({ baseURL, storageState: storageState("admin") });

  const company = async (name: string) => {
    const out = await expectAction(
      await act(demoAdmin, "app/(admin)/admin/customers/actions.ts#createCompanyAction", {}, { name, paymentTermsDays: "30", creditLimit: "1000000", currency: "EUR", timeZone: "Europe/Berlin" }),
      `company ${name}`,
    );
    return /\/admin\/customers\/([0-9a-f-]{36})/.exec(out.location ?? "")![1]!;
  };
  const ownerCompanyId = await company(`Probe Owner ${tag}`);
  const otherCompanyId = await company(`Probe Other ${tag}`);

  const lower = tag.toLowerCase();
  const specs: Record<Exclude<ActorKey, "anonymous"> | "victim" | "staffVictim", { role: string; companyId: string }> = {
    buyer: { role: "buyer", companyId: ownerCompanyId },
    customerAdmin: { role: "customer_admin", companyId: ownerCompanyId },
    victim: { role: "buyer", companyId: ownerCompanyId },
    globexBuyer: { role: "buyer", companyId: otherCompanyId },
    sales: { role: "sales", companyId: "" },
    finance: { role: "finance", companyId: "" },
    admin: { role: "admin", companyId: "" },
    staffVictim: { role: "sales", companyId: "" },
  };
  const made: Record<string, { id: string; email: string }> = {};
  for (const [who, s] of Object.entries(specs)) {
    const email = `${who.toLowerCase()}.${lower}@probe.test`;
    const out = await expectAction(
      await act(demoAdmin, "app/(admin)/admin/users/actions.ts#createUserAction", {}, { email, name: `Probe ${who} ${tag}`, role: s.role, companyId: s.companyId, password }),
      `user ${who}`,
    );
    made[who] = { id: /\/admin\/users\/([0-9a-f-]{36})/.exec(out.location ?? "")![1]!, email };
  }
  await demoAdmin.dispose();

  const contexts = { anonymous: await playwrightRequest.newContext({ baseURL, storageState: { cookies: [], origins: [] } }) } as Record<ActorKey, APIRequestContext>;
  const loginId = actions.get("app/(auth)/login/actions.ts#loginAction")!.id;
  for (const who of ACTORS.filter((a) => a !== "anonymous")) {
    const ctx = await playwrightRequest.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const out = await callAction(ctx, baseURL, "/login", loginId, { form: { email: made[who]!.email, password } });
    if (!out.location) throw new Error(`login of ${who} failed: ${JSON.stringify(out.result)}`);
    contexts[who] = ctx;
  }

  // A product of its own with stock, ordered twice by the owner company's buyer.
  const sku = `PRB-${tag}`;
  const product = await expectAction(
    await act(contexts.admin, "app/(admin)/admin/products/actions.ts#createProductAction", {}, { sku, name: `Probe ${tag}`, category: "E2E Probes", basePrice: "10.00", taxRate: "19" }),
    "product",
  );
  const productId = /\/admin\/products\/([0-9a-f-]{36})/.exec(product.location ?? "")![1]!;
  await expectAction(await act(contexts.admin, "app/(admin)/admin/products/[id]/actions.ts#receiveStockAction", { id: productId }, { productId, quantity: "1000", reason: "probe" }), "stock");

  const placeOrder = async () => {
    await expectAction(await act(contexts.buyer, "app/(portal)/cart/actions.ts#quickOrderAction", {}, { lines: `${sku}, 2` }), "cart");
    const out = await expectAction(await act(contexts.buyer, "app/(portal)/cart/actions.ts#submitCartAction", {}, {}), "submit");
    return /\/orders\/([0-9a-f-]{36})/.exec(out.location ?? "")![1]!;
  };
  const orderId = await placeOrder();
  await expectAction(await act(contexts.buyer, "app/(portal)/orders/[id]/actions.ts#acceptQuotationAction", { id: orderId }, { orderId }), "accept");
  await expectAction(await act(contexts.sales, "app/(admin)/admin/orders/[id]/actions.ts#approveOrderAction", { id: orderId }, { orderId }), "approve");
  await expectAction(
    await act(contexts.sales, "app/(admin)/admin/orders/[id]/actions.ts#shipOrderAction", { id: orderId }, { orderId, carrier: "Probe Express", trackingNumber: "", lineNo: "1", quantity_1: "1" }),
    "ship part",
  );
  const [shipment] = await sql<{ id: string }[]>`select id from shipments where order_id = ${orderId}`;
  if (!shipment) throw new Error("the partly shipped order has no shipment");
  // The buyer asks to send the shipped unit back: a real return for the staff return actions to be refused on.
  await expectAction(
    await act(contexts.buyer, "app/(portal)/orders/[id]/return-actions.ts#requestReturnAction", { id: orderId }, { orderId, reason: "Probe", lineNo: "1", return_1: "1" }),
    "return",
  );
  const [ret] = await sql<{ id: string }[]>`select id from returns where order_id = ${orderId}`;
  if (!ret) throw new Error("the return request wrote no return");
  const quoteOrderId = await placeOrder();

  const [invoice] = await sql<{ id: string; number: string }[]>`select id, number from invoices where order_id = ${orderId}`;
  if (!invoice) throw new Error("the approved order has no invoice");
  const [quotation] = await sql<{ id: string }[]>`select id from quotations where order_id = ${orderId} order by version desc limit 1`;

  const today = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
  const remittance = await contexts.buyer.post("/api/payments", {
    headers: { "idempotency-key": key() },
    data: { amount: "1.00", paidOn: today, reference: "", note: "probe", allocations: [{ invoiceId: invoice.id, amount: "1.00" }] },
  });
  const paid = (await remittance.json()) as { ok: boolean; data?: { paymentId?: string; id?: string } };
  expect(paid.ok, JSON.stringify(paid)).toBe(true);
  const [payment] = await sql<{ id: string }[]>`select id from payments where company_id = ${ownerCompanyId} order by created_at desc limit 1`;

  const list = await expectAction(
    await act(contexts.admin, "app/(admin)/admin/price-lists/actions.ts#createPriceListAction", {}, { name: `Probe ${tag}`, currency: "EUR", validFrom: "2026-01-01", validTo: "" }),
    "price list",
  );
  const priceListId = /\/admin\/price-lists\/([0-9a-f-]{36})/.exec(list.location ?? "")![1]!;
  await expectAction(await act(contexts.admin, "app/(admin)/admin/price-lists/actions.ts#upsertPriceListEntryAction", { id: priceListId }, { priceListId, sku, unitPrice: "9.00", tiers: "" }), "entry");
  const [entry] = await sql<{ id: string }[]>`select id from price_list_entries where price_list_id = ${priceListId}`;

  // Webhook endpoints (never reachable: example.com has no receiver; deliveries just fail and retry).
  const hook = { url: `https://erp.example.com/hooks/${tag}`, description: `Probe ${tag}`, eventTypes: "invoice.issued" };
  await expectAction(await act(contexts.customerAdmin, "app/(portal)/account/webhooks/actions.ts#createEndpointAction", {}, hook), "webhook endpoint");
  await expectAction(await act(contexts.admin, "app/(admin)/admin/webhooks/actions.ts#createEndpointAction", {}, hook), "staff webhook endpoint");
  const [endpoint] = await sql<{ id: string }[]>`select id from webhook_endpoints where company_id = ${ownerCompanyId} and url = ${hook.url}`;
  const [staffEndpoint] = await sql<{ id: string }[]>`select id from webhook_endpoints where company_id is null and url = ${hook.url}`;

  // A mail about one of the world's events, written as the relay writes them (the relay may or may not
  // have run by now: this row is the world's own, whatever it did).
  const [mail] = await sql<{ id: string }[]>`
    insert into mail_messages (message_id, event_id, kind, recipient, subject, html, text)
    select ${`<probe-${tag.toLowerCase()}@orders.example.test>`}, e.id, 'probe', ${`probe-${tag.toLowerCase()}@example.test`}, ${`Probe ${tag}`}, '<p>Probe</p>', 'Probe'
    from outbox_events e where e.company_id = ${ownerCompanyId} order by e.occurred_at desc limit 1
    returning id`;
  if (!mail) throw new Error("the world's changes emitted no outbox event to hang a mail on");

  // A requisition list of the owner company (its buyer's), holding the world's product.
  const createdList = await expectAction(await act(contexts.buyer, "app/(portal)/lists/actions.ts#createListAction", {}, { name: `Probe ${tag}` }), "requisition list");
  const listId = /\/lists\/([0-9a-f-]{36})/.exec(createdList.location ?? "")![1]!;
  await expectAction(await act(contexts.buyer, "app/(portal)/lists/actions.ts#addToListAction", {}, { listId, productId, quantity: "3" }), "list line");

  const users = Object.fromEntries(ACTORS.filter((a) => a !== "anonymous").map((a) => [a, made[a]!])) as World["users"];
  return {
    tag,
    password,
    ids: {
      ownerCompanyId,
      otherCompanyId,
      productId,
      sku,
      orderId,
      quoteOrderId,
      quotationId: quotation!.id,
      invoiceId: invoice.id,
      shipmentId: shipment.id,
      returnId: ret.id,
      invoiceNumber: invoice.number,
      paymentId: payment!.id,
      priceListId,
      priceListEntryId: entry!.id,
      victimUserId: made.victim!.id,
      staffVictimUserId: made.staffVictim!.id,
      // No statement is imported: line actions reach their lookup with an id no line has.
      statementLineId: randomUUID(),
      webhookEndpointId: endpoint!.id,
      staffWebhookEndpointId: staffEndpoint!.id,
      mailId: mail.id,
      listId,
    },
    users,
    contexts,
    userIds: Object.values(made).map((u) => u.id),
    dispose: async () => {
      await Promise.all(Object.values(contexts).map((c) => c.dispose()));
    },
  };
}

/**
 * A digest of everything this world owns: its companies and their users, orders (and their lines,
 * events, approvals, quotations, invoices, credit notes, returns, cart lines), payments and allocations, its
 * product (stock and movements), its price list, rows whose unique names carry the world's tag
 * (products, companies, users, price lists someone might have created), idempotency keys of its
 * users, and the audit rows its users caused except refusals ("denied" attempts are audited on
 * purpose). Equal digests before and after a request mean the request wrote nothing of this world.
 */
export async function worldDigest(sql: Sql, w: World): Promise<string> {
  const companies = [w.ids.ownerCompanyId, w.ids.otherCompanyId];
  const users = w.userIds;
  const like = `%${w.tag}%`;
  const likeLower = `%${w.tag.toLowerCase()}%`;
  const [row] = await sql<{ digest: string }[]>`
    with
      o as (select id from orders where company_id = any(${companies}::uuid[])),
      parts as (
        select 'companies' t, md5(coalesce(string_agg(c::text, '|' order by c.id), '')) h from companies c where c.id = any(${companies}::uuid[]) or c.name like ${like}
        union all select 'users', md5(coalesce(string_agg(concat_ws(',', u.id, u.email, u.name, u.role, u.company_id, u.active, u.session_version, u.password_hash, u.order_limit_minor, u.monthly_limit_minor), '|' order by u.id), '')) from users u where u.company_id = any(${companies}::uuid[]) or u.id = any(${users}::uuid[]) or u.email like ${likeLower}
        union all select 'orders', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from orders x where x.id in (select id from o)
        union all select 'order_events', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from order_events x where x.order_id in (select id from o)
        union all select 'order_approvals', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from order_approvals x where x.order_id in (select id from o)
        union all select 'cart_lines', md5(coalesce(string_agg(x::text, '|' order by x.order_id, x.product_id), '')) from cart_lines x where x.order_id in (select id from o)
        union all select 'quotations', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from quotations x where x.order_id in (select id from o)
        union all select 'invoices', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from invoices x where x.company_id = any(${companies}::uuid[])
        union all select 'credit_notes', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from credit_notes x where x.company_id = any(${companies}::uuid[])
        union all select 'returns', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from returns x where x.company_id = any(${companies}::uuid[])
        union all select 'return_lines', md5(coalesce(string_agg(x::text, '|' order by x.return_id, x.line_no), '')) from return_lines x where x.return_id in (select id from returns where company_id = any(${companies}::uuid[]))
        union all select 'payments', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from payments x where x.company_id = any(${companies}::uuid[])
        union all select 'allocations', md5(coalesce(string_agg(x::text, '|' order by x.payment_id, x.invoice_id), '')) from payment_allocations x where x.payment_id in (select id from payments where company_id = any(${companies}::uuid[]))
        union all select 'products', md5(coalesce(string_agg(concat_ws(',', x.id, x.sku, x.name, x.base_price_minor, x.tax_rate_bp, x.archived_at, x.updated_at), '|' order by x.id), '')) from products x where x.id = ${w.ids.productId} or x.sku like ${like}
        union all select 'inventory', md5(coalesce(string_agg(x::text, '|' order by x.product_id), '')) from inventory x where x.product_id = ${w.ids.productId}
        union all select 'stock_movements', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from stock_movements x where x.product_id = ${w.ids.productId}
        union all select 'requisition_lists', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from requisition_lists x where x.company_id = any(${companies}::uuid[])
        union all select 'requisition_list_lines', md5(coalesce(string_agg(x::text, '|' order by x.list_id, x.product_id), '')) from requisition_list_lines x where x.list_id in (select id from requisition_lists where company_id = any(${companies}::uuid[]))
        union all select 'price_lists', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from price_lists x where x.id = ${w.ids.priceListId} or x.name like ${like}
        union all select 'price_list_entries', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from price_list_entries x where x.price_list_id = ${w.ids.priceListId} or x.product_id = ${w.ids.productId}
        union all select 'price_list_assignments', md5(coalesce(string_agg(x::text, '|' order by x.company_id, x.price_list_id), '')) from price_list_assignments x where x.company_id = any(${companies}::uuid[]) or x.price_list_id = ${w.ids.priceListId}
        union all select 'bank_statements', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from bank_statements x where x.imported_by = any(${users}::uuid[])
        union all select 'statement_lines', md5(coalesce(string_agg(x::text, '|' order by x.id), '')) from bank_statement_lines x where x.decided_by = any(${users}::uuid[]) or x.suggested_company_id = any(${companies}::uuid[])
        union all select 'idempotency', count(*)::text from idempotency_keys x where x.scope = any(${users.map((u) => `user:${u}`)}::text[])
        union all select 'audit', count(*)::text from audit_events x where x.actor_id = any(${users}::uuid[]) and x.outcome <> 'denied'
      )
    select string_agg(t || '=' || h, ' ' order by t) digest from parts`;
  return row!.digest;
}

/** Which parts of two digests differ (for a readable failure). */
export function digestDiff(before: string, after: string): string[] {
  const a = new Map(before.split(" ").map((p) => p.split("=") as [string, string]));
  return after
    .split(" ")
    .map((p) => p.split("=") as [string, string])
    .filter(([t, h]) => a.get(t) !== h)
    .map(([t]) => t);
}
