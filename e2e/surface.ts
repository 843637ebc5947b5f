import { randomUUID } from "node:crypto";
import type { ActorKey, World } from "./probe-kit";

// THE table of the app's surface: every page, every route handler and every server action, with
// the actors that may use it and the real ids of the owner company ("buyer" and "customerAdmin"'s)
// to use, so that "globexBuyer" (the other company's buyer) asking for them shows a missing scope
// check as a leak. e2e/matrix.spec.ts runs every entry × the 7 actors and fails when a page,
// route.ts or action of the build is missing here (so new ones cannot be forgotten);
// e2e/fuzz.spec.ts feeds the JSON routes and actions hostile input starting from the same entries.

type Ids = World["ids"];
const customers: ActorKey[] = ["buyer", "customerAdmin", "globexBuyer"];
const owners: ActorKey[] = ["buyer", "customerAdmin"];
const staff: ActorKey[] = ["sales", "finance", "admin"];
const managers: ActorKey[] = ["sales", "admin"]; // products, stock, pricing, fulfilment, revisions
const moneyStaff: ActorKey[] = ["finance", "admin"]; // payments.manage
const everyone: ActorKey[] = ["anonymous", ...customers, ...staff];

/** yyyy-mm-dd on the seller's calendar (Europe/Berlin in the e2e server). */
export const sellerToday = () =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());

export type PageEntry = {
  /** The page.tsx under app/. */
  file: string;
  path: (ids: Ids) => string;
  allowed: readonly ActorKey[];
};

export type RouteEntry = {
  /** The route.ts under app/api. */
  file: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  path: (ids: Ids) => string;
  body?: (ids: Ids) => Record<string, unknown>;
  /** Extra headers (e.g. a webhook's signature). */
  headers?: Record<string, string>;
  allowed: readonly ActorKey[];
  /** Statuses an allowed actor may get (default [200]): e.g. 409 once an earlier allowed actor decided a payment. */
  allowedStatus?: readonly number[];
  /** Statuses for refused actors (default: 401 anonymous, 403 wrong role, 404 another company's id). */
  refusedStatus?: Partial<Record<ActorKey, number>>;
  /** Refusals are RFC 9457 problem+json (`/api/v1`), not `{ ok: false, code, error }`. */
  problem?: boolean;
  /** Whether the fuzzer feeds it (JSON mutations and GETs with query parameters). */
  fuzz?: boolean;
};

/** An /api/v1 route probed with a browser session: no API key, so 401 problem+json for every actor. */
function v1(file: string, method: RouteEntry["method"], path: (ids: Ids) => string): RouteEntry {
  const noKey = { anonymous: 401, buyer: 401, customerAdmin: 401, globexBuyer: 401, sales: 401, finance: 401, admin: 401 };
  return { file: `app/api/v1/${file}`, method, path, ...(method === "GET" ? {} : { body: () => ({}) }), allowed: [], refusedStatus: noKey, problem: true };
}

export type FormFields = Record<string, string | string[] | File>;

export type ActionEntry = {
  /** `file#export` as in .next/server/server-reference-manifest.json. */
  ref: string;
  /** Values for the dynamic segments of the page the action is posted to. */
  params?: (ids: Ids) => Record<string, string>;
  /** A valid form (so refusals come from authorization, not from parsing); or positional args. */
  form?: (ids: Ids, tag: string) => FormFields;
  args?: (ids: Ids, tag: string) => unknown[];
  allowed: readonly ActorKey[];
  /** Result codes an allowed actor may get besides success (domain refusals after the permission check). */
  allowedCodes?: readonly string[];
  /** A refused actor's documented answer when it is not forbidden/not_found/unauthenticated (it must still write nothing). */
  refusedCodes?: Partial<Record<ActorKey, string>>;
  /** Not invoked, with the reason (still listed, so the coverage check knows it). */
  skip?: string;
};

const productParams = (ids: Ids) => ({ id: ids.productId });
/** An 8×8 PNG (base64), for the image upload action. */
const probePng = "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEUlEQVQImWMwTpuJFTEMLQkAyvtMgR4PNM4AAAAASUVORK5CYII=";
const orderParams = (ids: Ids) => ({ id: ids.orderId });
const listParams = (ids: Ids) => ({ id: ids.priceListId });
const userParams = (ids: Ids) => ({ id: ids.staffVictimUserId });
const portalUserParams = (ids: Ids) => ({ id: ids.victimUserId });
// Domain answers after the permission check: the order or payment is in another state by now
// (an earlier allowed actor moved it), or the input conflicts with existing data.
const stateful = ["conflict", "validation_failed", "quotation_expired"] as const;

export const pages: PageEntry[] = [
  { file: "app/(admin)/admin/account/page.tsx", path: () => "/admin/account", allowed: staff },
  { file: "app/(admin)/admin/api-keys/page.tsx", path: () => "/admin/api-keys", allowed: ["admin"] },
  { file: "app/(admin)/admin/mail/page.tsx", path: () => "/admin/mail", allowed: ["admin"] },
  { file: "app/(admin)/admin/mail/[id]/page.tsx", path: (i) => `/admin/mail/${i.mailId}`, allowed: ["admin"] },
  { file: "app/(admin)/admin/mail/preview/page.tsx", path: () => "/admin/mail/preview", allowed: ["admin"] },
  { file: "app/(admin)/admin/notifications/page.tsx", path: () => "/admin/notifications", allowed: staff },
  { file: "app/(portal)/notifications/page.tsx", path: () => "/notifications", allowed: customers },
  { file: "app/(admin)/admin/audit/page.tsx", path: () => "/admin/audit", allowed: moneyStaff },
  { file: "app/(admin)/admin/audit/verify/page.tsx", path: () => "/admin/audit/verify", allowed: ["admin"] },
  { file: "app/(admin)/admin/catalog-preview/[sku]/page.tsx", path: (i) => `/admin/catalog-preview/${i.sku}`, allowed: staff },
  { file: "app/(admin)/admin/catalog-preview/page.tsx", path: () => "/admin/catalog-preview", allowed: staff },
  { file: "app/(admin)/admin/customers/[id]/page.tsx", path: (i) => `/admin/customers/${i.ownerCompanyId}`, allowed: staff },
  { file: "app/(admin)/admin/customers/new/page.tsx", path: () => "/admin/customers/new", allowed: ["admin"] },
  { file: "app/(admin)/admin/customers/page.tsx", path: () => "/admin/customers", allowed: staff },
  { file: "app/(admin)/admin/orders/[id]/page.tsx", path: (i) => `/admin/orders/${i.orderId}`, allowed: staff },
  { file: "app/(admin)/admin/orders/approvals/page.tsx", path: () => "/admin/orders/approvals", allowed: staff },
  { file: "app/(admin)/admin/orders/page.tsx", path: () => "/admin/orders", allowed: staff },
  { file: "app/(admin)/admin/page.tsx", path: () => "/admin", allowed: staff },
  { file: "app/(admin)/admin/payments/ageing/page.tsx", path: () => "/admin/payments/ageing", allowed: staff },
  { file: "app/(admin)/admin/reports/page.tsx", path: () => "/admin/reports", allowed: staff },
  { file: "app/(admin)/admin/reports/[name]/page.tsx", path: () => "/admin/reports/revenue-by-month", allowed: staff },
  { file: "app/(admin)/admin/payments/page.tsx", path: () => "/admin/payments", allowed: moneyStaff },
  { file: "app/(admin)/admin/payments/reconciliation/page.tsx", path: () => "/admin/payments/reconciliation", allowed: moneyStaff },
  { file: "app/(admin)/admin/price-lists/[id]/page.tsx", path: (i) => `/admin/price-lists/${i.priceListId}`, allowed: staff },
  { file: "app/(admin)/admin/price-lists/new/page.tsx", path: () => "/admin/price-lists/new", allowed: managers },
  { file: "app/(admin)/admin/price-lists/page.tsx", path: () => "/admin/price-lists", allowed: staff },
  { file: "app/(admin)/admin/exchange-rates/page.tsx", path: () => "/admin/exchange-rates", allowed: staff },
  { file: "app/(admin)/admin/products/(list)/page.tsx", path: () => "/admin/products", allowed: staff },
  { file: "app/(admin)/admin/products/[id]/page.tsx", path: (i) => `/admin/products/${i.productId}`, allowed: staff },
  { file: "app/(admin)/admin/products/import/page.tsx", path: () => "/admin/products/import", allowed: managers },
  { file: "app/(admin)/admin/products/new/page.tsx", path: () => "/admin/products/new", allowed: managers },
  { file: "app/(admin)/admin/users/[id]/page.tsx", path: (i) => `/admin/users/${i.victimUserId}`, allowed: ["admin"] },
  { file: "app/(admin)/admin/users/new/page.tsx", path: () => "/admin/users/new", allowed: ["admin"] },
  { file: "app/(admin)/admin/users/page.tsx", path: () => "/admin/users", allowed: ["admin"] },
  { file: "app/(auth)/login/page.tsx", path: () => "/login", allowed: ["anonymous"] },
  { file: "app/(docs)/api-docs/page.tsx", path: () => "/api-docs", allowed: everyone },
  { file: "app/(portal)/account/page.tsx", path: () => "/account", allowed: customers },
  { file: "app/(portal)/account/api-keys/page.tsx", path: () => "/account/api-keys", allowed: ["customerAdmin"] },
  // The owner company's user: its customer admin only; the other company's buyer lacks the permission anyway.
  { file: "app/(portal)/account/webhooks/page.tsx", path: () => "/account/webhooks", allowed: ["customerAdmin"] },
  { file: "app/(portal)/account/webhooks/[id]/page.tsx", path: (i) => `/account/webhooks/${i.webhookEndpointId}`, allowed: ["customerAdmin"] },
  { file: "app/(admin)/admin/webhooks/page.tsx", path: () => "/admin/webhooks", allowed: ["admin"] },
  { file: "app/(admin)/admin/webhooks/[id]/page.tsx", path: (i) => `/admin/webhooks/${i.staffWebhookEndpointId}`, allowed: ["admin"] },
  { file: "app/(portal)/account/users/[id]/page.tsx", path: (i) => `/account/users/${i.victimUserId}`, allowed: ["customerAdmin"] },
  { file: "app/(portal)/cart/page.tsx", path: () => "/cart", allowed: customers },
  { file: "app/(portal)/invoices/page.tsx", path: () => "/invoices", allowed: customers },
  { file: "app/(portal)/orders/[id]/page.tsx", path: (i) => `/orders/${i.orderId}`, allowed: owners },
  { file: "app/(portal)/orders/page.tsx", path: () => "/orders", allowed: customers },
  { file: "app/(portal)/page.tsx", path: () => "/", allowed: customers },
  { file: "app/(portal)/products/[sku]/page.tsx", path: (i) => `/products/${i.sku}`, allowed: customers },
  { file: "app/(portal)/lists/page.tsx", path: () => "/lists", allowed: customers },
  { file: "app/(portal)/lists/[id]/page.tsx", path: (i) => `/lists/${i.listId}`, allowed: owners },
];

export const routes: RouteEntry[] = [
  { file: "app/api/health/route.ts", method: "GET", path: () => "/api/health", allowed: everyone },
  // The catch-all: an unknown API path is a JSON 404 for everyone.
  {
    file: "app/api/[...path]/route.ts",
    method: "GET",
    path: () => "/api/no-such-endpoint",
    allowed: [],
    refusedStatus: { anonymous: 404, buyer: 404, customerAdmin: 404, globexBuyer: 404, sales: 404, finance: 404, admin: 404 },
  },
  { file: "app/api/auth/[...nextauth]/route.ts", method: "GET", path: () => "/api/auth/session", allowed: everyone },
  // The raw-SQL baseline of `npm run bench -- api`: served only with BENCH_ROUTES=1, otherwise the catch-all's 404 for everyone.
  ...(["app/api/bench/orders/route.ts", "app/api/bench/orders/[id]/accept/route.ts"] as const).map(
    (file): RouteEntry => ({
      file,
      method: "POST",
      path: (i) => (file.includes("accept") ? `/api/bench/orders/${i.orderId}/accept` : "/api/bench/orders"),
      body: (i) => ({ buyerId: i.orderId, companyId: i.ownerCompanyId, quotationVersion: 1, lines: [] }),
      allowed: [],
      refusedStatus: { anonymous: 404, buyer: 404, customerAdmin: 404, globexBuyer: 404, sales: 404, finance: 404, admin: 404 },
    }),
  ),
  {
    file: "app/api/documents/[kind]/[id]/route.ts",
    method: "GET",
    path: (i) => `/api/documents/quotations/${i.quotationId}`,
    allowed: [...owners, ...staff],
  },
  { file: "app/api/documents/[kind]/[id]/route.ts", method: "GET", path: (i) => `/api/documents/invoices/${i.invoiceId}`, allowed: [...owners, ...staff] },
  { file: "app/api/documents/[kind]/[id]/route.ts", method: "GET", path: (i) => `/api/documents/delivery-notes/${i.shipmentId}`, allowed: [...owners, ...staff] },
  // Without ?company a customer gets their own company's statement, so the other company's buyer is allowed too.
  { file: "app/api/statements/account/route.ts", method: "GET", path: () => "/api/statements/account", allowed: customers, refusedStatus: { sales: 404, finance: 404, admin: 404 }, fuzz: true },
  { file: "app/api/statements/account/route.ts", method: "GET", path: (i) => `/api/statements/account?company=${i.ownerCompanyId}`, allowed: [...owners, ...staff] },
  { file: "app/api/admin/products/export/route.ts", method: "GET", path: () => "/api/admin/products/export", allowed: staff },
  // Product images (issue 14): an image no product has is a 404 for everyone, signed in or not (no
  // 401: the route reveals nothing). Who sees an existing image (staff, customers whose assortment
  // holds the product) is walked by e2e/catalog-media.spec.ts and catalog-media.integration.test.ts.
  {
    file: "app/images/products/[file]/route.ts",
    method: "GET",
    path: () => "/images/products/00000000-0000-4000-8000-000000000000-160.webp",
    allowed: [],
    refusedStatus: { anonymous: 404, buyer: 404, customerAdmin: 404, globexBuyer: 404, sales: 404, finance: 404, admin: 404 },
  },
  { file: "app/api/admin/price-lists/[id]/export/route.ts", method: "GET", path: (i) => `/api/admin/price-lists/${i.priceListId}/export`, allowed: staff },
  { file: "app/api/admin/audit/export/route.ts", method: "GET", path: (i) => `/api/admin/audit/export?entityType=company&entityId=${i.ownerCompanyId}`, allowed: moneyStaff },
  { file: "app/api/admin/receivables/ageing/route.ts", method: "GET", path: () => "/api/admin/receivables/ageing", allowed: staff },
  { file: "app/api/admin/reports/[name]/csv/route.ts", method: "GET", path: () => "/api/admin/reports/revenue-by-month/csv?from=2026-01-01&to=2026-12-31", allowed: staff, fuzz: true },
  {
    file: "app/api/payments/route.ts",
    method: "POST",
    path: () => "/api/payments",
    body: (i) => ({ amount: "1.00", paidOn: sellerToday(), reference: "", note: "matrix", allocations: [{ invoiceId: i.invoiceId, amount: "1.00" }] }),
    allowed: owners,
    // Another company's invoice is named in the allocation: the service answers as if there were none.
    refusedStatus: { globexBuyer: 400 },
    fuzz: true,
  },
  {
    file: "app/api/admin/payments/route.ts",
    method: "POST",
    path: () => "/api/admin/payments",
    body: (i) => ({ companyId: i.ownerCompanyId, amount: "1.00", paidOn: sellerToday(), reference: "", note: "matrix" }),
    allowed: moneyStaff,
    fuzz: true,
  },
  {
    file: "app/api/payments/[id]/[decision]/route.ts",
    method: "POST",
    path: (i) => `/api/payments/${i.paymentId}/reject`,
    body: () => ({ reason: "matrix" }),
    allowed: moneyStaff,
    allowedStatus: [200, 409],
    fuzz: true,
  },
  {
    file: "app/api/payments/[id]/[decision]/route.ts",
    method: "POST",
    path: (i) => `/api/payments/${i.paymentId}/verify`,
    body: () => ({}),
    allowed: moneyStaff,
    allowedStatus: [200, 409],
    fuzz: true,
  },
  {
    file: "app/api/admin/bank-statements/route.ts",
    method: "POST",
    path: () => "/api/admin/bank-statements",
    body: (i) => ({
      bankName: "Probe Bank",
      iban: "DE89370400440532013000",
      fileName: "probe.csv",
      content: `date,amount,currency,counterparty,reference,id\n${sellerToday()},1.00,EUR,Probe,${i.invoiceNumber},PRB-${i.invoiceId}\n`,
    }),
    allowed: moneyStaff,
    allowedStatus: [200, 400],
    fuzz: true,
  },
  {
    file: "app/api/admin/bank-statements/confirm/route.ts",
    method: "POST",
    path: () => "/api/admin/bank-statements/confirm",
    body: (i) => ({ lines: [{ id: i.statementLineId, version: 1 }] }),
    allowed: moneyStaff,
    // No line has that id: an allowed actor reaches the lookup and is told so.
    allowedStatus: [404],
    fuzz: true,
  },
  {
    file: "app/api/admin/bank-statements/lines/[id]/undo/route.ts",
    method: "POST",
    path: (i) => `/api/admin/bank-statements/lines/${i.statementLineId}/undo`,
    body: () => ({ version: 1, reason: "matrix" }),
    allowed: moneyStaff,
    allowedStatus: [404],
    fuzz: true,
  },
  // The integration API authenticates with API keys only: a session is no key (401 problem+json for everyone;
  // e2e/api-keys.spec.ts calls them with keys).
  {
    file: "app/api/v1/[...path]/route.ts",
    method: "GET",
    path: () => "/api/v1/no-such-endpoint",
    allowed: [],
    refusedStatus: { anonymous: 404, buyer: 404, customerAdmin: 404, globexBuyer: 404, sales: 404, finance: 404, admin: 404 },
    problem: true,
  },
  // The OpenAPI document is public: no key, no session needed.
  { file: "app/api/v1/openapi.json/route.ts", method: "GET", path: () => "/api/v1/openapi.json", allowed: everyone },
  // Every /api/v1 operation (lib/api-v1/operations.ts): a session is no key, so 401 for everyone.
  v1("me/route.ts", "GET", () => "/api/v1/me"),
  v1("catalog/products/route.ts", "GET", () => "/api/v1/catalog/products?q=bolt"),
  v1("catalog/products/[sku]/route.ts", "GET", (i) => `/api/v1/catalog/products/${i.sku}`),
  v1("catalog/images/[file]/route.ts", "GET", () => "/api/v1/catalog/images/00000000-0000-4000-8000-000000000000-160.webp"),
  v1("cart/route.ts", "GET", () => "/api/v1/cart"),
  v1("cart/lines/route.ts", "POST", () => "/api/v1/cart/lines"),
  v1("cart/lines/[productId]/route.ts", "PUT", (i) => `/api/v1/cart/lines/${i.productId}`),
  v1("cart/quick-order/route.ts", "POST", () => "/api/v1/cart/quick-order"),
  v1("cart/submit/route.ts", "POST", () => "/api/v1/cart/submit"),
  v1("lists/route.ts", "GET", () => "/api/v1/lists"),
  v1("lists/route.ts", "POST", () => "/api/v1/lists"),
  v1("lists/[id]/route.ts", "GET", (i) => `/api/v1/lists/${i.listId}`),
  v1("lists/[id]/lines/route.ts", "POST", (i) => `/api/v1/lists/${i.listId}/lines`),
  v1("lists/[id]/to-cart/route.ts", "POST", (i) => `/api/v1/lists/${i.listId}/to-cart`),
  v1("orders/route.ts", "GET", () => "/api/v1/orders"),
  v1("orders/route.ts", "POST", () => "/api/v1/orders"),
  v1("orders/[id]/route.ts", "GET", (i) => `/api/v1/orders/${i.orderId}`),
  v1("orders/[id]/accept/route.ts", "POST", (i) => `/api/v1/orders/${i.quoteOrderId}/accept`),
  v1("orders/[id]/decline/route.ts", "POST", (i) => `/api/v1/orders/${i.quoteOrderId}/decline`),
  v1("orders/[id]/cancel/route.ts", "POST", (i) => `/api/v1/orders/${i.orderId}/cancel`),
  v1("orders/[id]/quotations/route.ts", "GET", (i) => `/api/v1/orders/${i.orderId}/quotations`),
  v1("orders/[id]/shipments/route.ts", "GET", (i) => `/api/v1/orders/${i.orderId}/shipments`),
  v1("orders/[id]/shipments/route.ts", "POST", (i) => `/api/v1/orders/${i.orderId}/shipments`),
  v1("shipments/[id]/pdf/route.ts", "GET", (i) => `/api/v1/shipments/${i.shipmentId}/pdf`),
  v1("orders/[id]/returns/route.ts", "GET", (i) => `/api/v1/orders/${i.orderId}/returns`),
  v1("orders/[id]/returns/route.ts", "POST", (i) => `/api/v1/orders/${i.orderId}/returns`),
  v1("returns/route.ts", "GET", () => "/api/v1/returns"),
  v1("returns/[id]/route.ts", "GET", (i) => `/api/v1/returns/${i.returnId}`),
  v1("returns/[id]/approve/route.ts", "POST", (i) => `/api/v1/returns/${i.returnId}/approve`),
  v1("returns/[id]/reject/route.ts", "POST", (i) => `/api/v1/returns/${i.returnId}/reject`),
  v1("returns/[id]/receive/route.ts", "POST", (i) => `/api/v1/returns/${i.returnId}/receive`),
  v1("quotations/[id]/route.ts", "GET", (i) => `/api/v1/quotations/${i.quotationId}`),
  v1("quotations/[id]/pdf/route.ts", "GET", (i) => `/api/v1/quotations/${i.quotationId}/pdf`),
  v1("invoices/route.ts", "GET", () => "/api/v1/invoices"),
  v1("invoices/[id]/route.ts", "GET", (i) => `/api/v1/invoices/${i.invoiceId}`),
  v1("invoices/[id]/pdf/route.ts", "GET", (i) => `/api/v1/invoices/${i.invoiceId}/pdf`),
  v1("credit-notes/route.ts", "GET", () => "/api/v1/credit-notes"),
  v1("credit-notes/[id]/route.ts", "GET", (i) => `/api/v1/credit-notes/${i.invoiceId}`),
  v1("credit-notes/[id]/pdf/route.ts", "GET", (i) => `/api/v1/credit-notes/${i.invoiceId}/pdf`),
  v1("payments/route.ts", "GET", () => "/api/v1/payments"),
  v1("payments/route.ts", "POST", () => "/api/v1/payments"),
  v1("payments/[id]/route.ts", "GET", (i) => `/api/v1/payments/${i.paymentId}`),
  v1("payments/[id]/verify/route.ts", "POST", (i) => `/api/v1/payments/${i.paymentId}/verify`),
  v1("payments/[id]/reject/route.ts", "POST", (i) => `/api/v1/payments/${i.paymentId}/reject`),
  v1("payments/[id]/refund/route.ts", "POST", (i) => `/api/v1/payments/${i.paymentId}/refund`),
  v1("webhook-endpoints/route.ts", "GET", () => "/api/v1/webhook-endpoints"),
  v1("webhook-endpoints/route.ts", "POST", () => "/api/v1/webhook-endpoints"),
  v1("webhook-endpoints/[id]/route.ts", "GET", (i) => `/api/v1/webhook-endpoints/${i.webhookEndpointId}`),
  v1("webhook-endpoints/[id]/route.ts", "PATCH", (i) => `/api/v1/webhook-endpoints/${i.webhookEndpointId}`),
  v1("webhook-endpoints/[id]/route.ts", "DELETE", (i) => `/api/v1/webhook-endpoints/${i.webhookEndpointId}`),
  v1("webhook-endpoints/[id]/deliveries/route.ts", "GET", (i) => `/api/v1/webhook-endpoints/${i.webhookEndpointId}/deliveries`),
  v1("webhook-endpoints/[id]/deliveries/[deliveryId]/replay/route.ts", "POST", (i) => `/api/v1/webhook-endpoints/${i.webhookEndpointId}/deliveries/${i.webhookEndpointId}/replay`),
  {
    // Public, authenticated by the provider's signature: nobody's session counts.
    file: "app/api/webhooks/payments/[provider]/route.ts",
    method: "POST",
    path: () => "/api/webhooks/payments/signed-test",
    body: (i) => ({ id: "evt-probe", invoice: i.invoiceNumber, amount: "1.00" }),
    allowed: [],
    refusedStatus: { anonymous: 401, buyer: 401, customerAdmin: 401, globexBuyer: 401, sales: 401, finance: 401, admin: 401 },
    fuzz: true,
  },
];

/** Webhook endpoint actions: each owner (customer admin, admin) on its own endpoint; anyone else is refused or finds nothing. */
function webhookActions(dir: string, owner: ActorKey, endpointId: (i: Ids) => string): ActionEntry[] {
  const hook = (tag: string) => ({ url: `https://erp.example.com/hooks/${tag}`, description: "probe", eventTypes: "invoice.issued" });
  return [
    { ref: `${dir}/actions.ts#createEndpointAction`, form: (_i, tag) => hook(tag), allowed: [owner] },
    { ref: `${dir}/actions.ts#updateEndpointAction`, params: (i) => ({ id: endpointId(i) }), form: (i, tag) => ({ endpointId: endpointId(i), ...hook(tag), enabled: "on" }), allowed: [owner] },
    // A random event: the endpoint is found, the event is not (replay answers not_found for an allowed actor too).
    { ref: `${dir}/actions.ts#replayDeliveryAction`, params: (i) => ({ id: endpointId(i) }), form: (i) => ({ endpointId: endpointId(i), eventId: randomUUID() }), allowed: [owner], allowedCodes: ["not_found"] },
    // A random id: deleting the world's endpoint would turn its pages into 404s for the rest of the matrix.
    { ref: `${dir}/actions.ts#deleteEndpointAction`, params: (i) => ({ id: endpointId(i) }), form: () => ({ endpointId: randomUUID() }), allowed: [owner], allowedCodes: ["not_found"] },
  ];
}

export const actions: ActionEntry[] = [
  // ---- staff: companies
  {
    ref: "app/(admin)/admin/customers/actions.ts#createCompanyAction",
    form: (_i, tag) => ({ name: `Probe Made ${tag}`, paymentTermsDays: "30", creditLimit: "100", currency: "EUR", timeZone: "UTC" }),
    allowed: ["admin"],
    allowedCodes: ["validation_failed"], // the second allowed call meets the first one's name
  },
  {
    ref: "app/(admin)/admin/customers/actions.ts#updateCompanyAction",
    params: (i) => ({ id: i.ownerCompanyId }),
    form: (i, tag) => ({ id: i.ownerCompanyId, name: `Probe Owner ${tag}`, paymentTermsDays: "30", creditLimit: "1000000", currency: "EUR", timeZone: "Europe/Berlin", active: "on" }),
    allowed: ["admin"],
  },
  // ---- address books (issue 14). One service behind both adapters decides: staff any company's, a
  // customer admin their own company's ship-to addresses. Update and delete name a random address:
  // found by nobody (not_found after the permission check).
  ...[
    // Each action sits in its own area: the proxy sends customers away from /admin and staff away from the portal (307).
    { dir: "app/(admin)/admin/customers", names: ["createCompanyAddressAction", "updateCompanyAddressAction", "deleteCompanyAddressAction"], params: (i: Ids) => ({ id: i.ownerCompanyId }), allowed: managers },
    { dir: "app/(portal)/account", names: ["createShipToAddressAction", "updateShipToAddressAction", "deleteShipToAddressAction"], params: undefined, allowed: ["customerAdmin"] as ActorKey[] },
  ].flatMap(({ dir, names, params, allowed }): ActionEntry[] => {
    const address = (tag: string) => ({ label: `Probe ${tag}`, name: "Probe Owner", line1: "Probe Street 1", postalCode: "10115", city: "Berlin", country: "DE" });
    return [
      { ref: `${dir}/actions.ts#${names[0]}`, params, form: (i, tag) => ({ companyId: i.ownerCompanyId, kind: "shipping", ...address(tag) }), allowed },
      { ref: `${dir}/actions.ts#${names[1]}`, params, form: (i, tag) => ({ companyId: i.ownerCompanyId, addressId: randomUUID(), ...address(tag) }), allowed, allowedCodes: ["not_found"] },
      { ref: `${dir}/actions.ts#${names[2]}`, params, form: (i) => ({ companyId: i.ownerCompanyId, addressId: randomUUID() }), allowed, allowedCodes: ["not_found"] },
    ];
  }),
  // ---- staff: orders
  { ref: "app/(admin)/admin/orders/[id]/actions.ts#addOrderNoteAction", params: orderParams, form: (i) => ({ orderId: i.orderId, note: "matrix" }), allowed: staff },
  { ref: "app/(admin)/admin/orders/[id]/actions.ts#approveOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, comment: "" }), allowed: staff, allowedCodes: stateful },
  { ref: "app/(admin)/admin/orders/[id]/actions.ts#rejectOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, reason: "matrix" }), allowed: staff, allowedCodes: stateful },
  {
    ref: "app/(admin)/admin/orders/[id]/actions.ts#reviseQuotationAction",
    params: orderParams,
    form: (i) => ({ orderId: i.quoteOrderId, version: "", reason: "matrix", quantity_1: "2", unitPrice_1: "10.00", discountPercent_1: "0" }),
    allowed: managers,
    allowedCodes: stateful,
  },
  { ref: "app/(admin)/admin/orders/[id]/actions.ts#shipOrderAction", params: orderParams, form: (i) => ({ orderId: i.orderId, carrier: "Probe Express", trackingNumber: "" }), allowed: managers, allowedCodes: stateful },
  { ref: "app/(admin)/admin/orders/[id]/actions.ts#deliverOrderAction", params: orderParams, form: (i) => ({ orderId: i.orderId }), allowed: managers, allowedCodes: stateful },
  { ref: "app/(admin)/admin/orders/[id]/actions.ts#cancelOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, reason: "matrix" }), allowed: managers, allowedCodes: stateful },
  // Returns: the world's real return (requested by its buyer), so a refused actor (the buyer, the other company's
  // buyer, finance) is refused on a return that exists and could move, and nothing of it changes. In this order:
  // sales approves, then receives (stock back, a credit note), then rejecting finds it received; the second
  // allowed actor of each step finds it moved on (conflict).
  { ref: "app/(admin)/admin/orders/[id]/return-actions.ts#approveReturnAction", params: orderParams, form: (i) => ({ returnId: i.returnId }), allowed: managers, allowedCodes: stateful },
  { ref: "app/(admin)/admin/orders/[id]/return-actions.ts#receiveReturnAction", params: orderParams, form: (i) => ({ returnId: i.returnId, idempotencyKey: `matrix-receive-${randomUUID()}` }), allowed: managers, allowedCodes: stateful },
  { ref: "app/(admin)/admin/orders/[id]/return-actions.ts#rejectReturnAction", params: orderParams, form: (i) => ({ returnId: i.returnId, reason: "matrix" }), allowed: managers, allowedCodes: stateful },
  // ---- staff: payments
  { ref: "app/(admin)/admin/payments/actions.ts#verifyPaymentAction", form: (i) => ({ paymentId: i.paymentId }), allowed: moneyStaff, allowedCodes: stateful },
  { ref: "app/(admin)/admin/payments/actions.ts#rejectPaymentAction", form: (i) => ({ paymentId: i.paymentId, reason: "matrix" }), allowed: moneyStaff, allowedCodes: stateful },
  { ref: "app/(admin)/admin/payments/actions.ts#refundPaymentAction", form: (i) => ({ paymentId: i.paymentId, reason: "matrix" }), allowed: moneyStaff, allowedCodes: stateful },
  {
    ref: "app/(admin)/admin/payments/actions.ts#recordManualPaymentAction",
    form: (i) => ({ companyId: i.ownerCompanyId, amount: "1.00", paidOn: sellerToday(), reference: "", note: "matrix" }),
    allowed: moneyStaff,
  },
  // ---- staff: reconciliation (no statement is imported: the line actions reach the lookup and find nothing)
  { ref: "app/(admin)/admin/payments/reconciliation/actions.ts#previewStatementAction", args: () => ["Probe Bank", "date,amount\n2026-01-02,1.00\n"], allowed: moneyStaff },
  {
    ref: "app/(admin)/admin/payments/reconciliation/actions.ts#importStatementAction",
    form: () => ({ bankName: "Probe Bank", fileName: "probe.csv", content: "not a statement" }),
    allowed: moneyStaff,
    allowedCodes: ["validation_failed"],
  },
  { ref: "app/(admin)/admin/payments/reconciliation/actions.ts#confirmMatchesAction", form: (i) => ({ line: `${i.statementLineId}:1` }), allowed: moneyStaff, allowedCodes: ["not_found"] },
  { ref: "app/(admin)/admin/payments/reconciliation/actions.ts#undoMatchAction", form: (i) => ({ id: i.statementLineId, version: "1", reason: "matrix" }), allowed: moneyStaff, allowedCodes: ["not_found"] },
  { ref: "app/(admin)/admin/payments/reconciliation/actions.ts#assignLineAction", form: (i) => ({ id: i.statementLineId, version: "1", invoices: i.invoiceNumber }), allowed: moneyStaff, allowedCodes: ["not_found"] },
  { ref: "app/(admin)/admin/payments/reconciliation/actions.ts#ignoreLineAction", form: (i) => ({ id: i.statementLineId, version: "1", reason: "matrix" }), allowed: moneyStaff, allowedCodes: ["not_found"] },
  { ref: "app/(admin)/admin/payments/reconciliation/actions.ts#rematchAction", form: () => ({}), allowed: moneyStaff },
  // ---- staff: price lists
  {
    ref: "app/(admin)/admin/price-lists/actions.ts#createPriceListAction",
    form: (_i, tag) => ({ name: `Probe Made ${tag}`, currency: "EUR", validFrom: "2026-01-01", validTo: "" }),
    allowed: managers,
    allowedCodes: ["validation_failed"],
  },
  {
    ref: "app/(admin)/admin/price-lists/actions.ts#updatePriceListAction",
    params: listParams,
    form: (i, tag) => ({ id: i.priceListId, name: `Probe ${tag}`, currency: "EUR", validFrom: "2026-01-01", validTo: "" }),
    allowed: managers,
  },
  { ref: "app/(admin)/admin/price-lists/actions.ts#upsertPriceListEntryAction", params: listParams, form: (i) => ({ priceListId: i.priceListId, sku: i.sku, unitPrice: "8.00", tiers: "" }), allowed: managers },
  {
    ref: "app/(admin)/admin/price-lists/actions.ts#setPriceListAssignmentAction",
    params: listParams,
    form: (i) => ({ priceListId: i.priceListId, companyId: i.ownerCompanyId, assigned: "true" }),
    allowed: managers,
  },
  {
    ref: "app/(admin)/admin/price-lists/actions.ts#removePriceListEntryAction",
    params: listParams,
    form: (i) => ({ priceListId: i.priceListId, entryId: i.priceListEntryId }),
    allowed: managers,
    allowedCodes: ["not_found"], // the first allowed call removed it
  },
  // ---- staff: products and stock
  {
    ref: "app/(admin)/admin/products/actions.ts#createProductAction",
    form: (_i, tag) => ({ sku: `PRB-NEW-${tag}`, name: `Probe made ${tag}`, category: "E2E Probes", basePrice: "1.00", taxRate: "19" }),
    allowed: managers,
    allowedCodes: ["validation_failed"],
  },
  // Exchange rates (issue 15): finance and administrators; rates dated 2001 so probes never touch today's prices.
  { ref: "app/(admin)/admin/exchange-rates/actions.ts#recordExchangeRateAction", form: () => ({ quote: "NOK", rate: "8.5", rateDate: "2001-01-02" }), allowed: moneyStaff },
  {
    ref: "app/(admin)/admin/exchange-rates/actions.ts#importExchangeRatesAction",
    form: () => ({ file: new File(["Date, SEK, \n03 January 2001, 8.9, \n"], "eurofxref.csv", { type: "text/csv" }) }),
    allowed: moneyStaff,
  },
  {
    ref: "app/(admin)/admin/products/actions.ts#importProductsAction",
    form: (_i, tag) => ({ file: new File([`sku,name,category,base_price,tax_rate\nPRB-IMP-${tag},Probe import ${tag},E2E Probes,1.00,19\n`], "probe.csv", { type: "text/csv" }) }),
    allowed: managers,
    allowedCodes: ["validation_failed"],
  },
  {
    ref: "app/(admin)/admin/products/[id]/actions.ts#updateProductAction",
    params: productParams,
    form: (i, tag) => ({ id: i.productId, sku: i.sku, name: `Probe ${tag}`, category: "E2E Probes", basePrice: "10.00", taxRate: "19" }),
    allowed: managers,
  },
  // Product images (issue 14): an 8×8 PNG; each allowed call replaces the previous image.
  {
    ref: "app/(admin)/admin/products/[id]/actions.ts#uploadProductImageAction",
    params: productParams,
    form: (i) => ({ productId: i.productId, image: new File([Buffer.from(probePng, "base64")], "probe.png", { type: "image/png" }) }),
    allowed: managers,
  },
  { ref: "app/(admin)/admin/products/[id]/actions.ts#deleteProductImageAction", params: productParams, form: (i) => ({ productId: i.productId }), allowed: managers },
  { ref: "app/(admin)/admin/products/[id]/actions.ts#setProductArchivedAction", params: productParams, form: (i) => ({ id: i.productId, archived: "false" }), allowed: managers },
  { ref: "app/(admin)/admin/products/[id]/actions.ts#receiveStockAction", params: productParams, form: (i) => ({ productId: i.productId, quantity: "1", reason: "matrix" }), allowed: managers },
  {
    ref: "app/(admin)/admin/products/[id]/actions.ts#adjustStockAction",
    params: productParams,
    form: (i) => ({ productId: i.productId, countedOnHand: "2000", reason: "matrix" }),
    allowed: managers,
    allowedCodes: ["validation_failed"], // the second allowed call finds on hand already at 2000
  },
  // ---- staff: users
  {
    ref: "app/(admin)/admin/users/actions.ts#createUserAction",
    params: userParams,
    form: (_i, tag) => ({ email: `made.${tag.toLowerCase()}@probe.test`, name: "Probe made", role: "sales", companyId: "", password: `Probe-made-${tag}-Zq9!` }),
    allowed: ["admin"],
  },
  {
    ref: "app/(admin)/admin/users/actions.ts#updateUserAction",
    params: userParams,
    form: (i, tag) => ({ id: i.staffVictimUserId, email: `staffvictim.${tag.toLowerCase()}@probe.test`, name: `Probe staffVictim ${tag}`, role: "sales", companyId: "" }),
    allowed: ["admin"],
  },
  { ref: "app/(admin)/admin/users/actions.ts#setUserActiveAction", params: userParams, form: (i) => ({ id: i.staffVictimUserId, active: "false" }), allowed: ["admin"] },
  { ref: "app/(admin)/admin/users/actions.ts#resetUserPasswordAction", params: userParams, form: (i, tag) => ({ id: i.staffVictimUserId, password: `Probe-reset-${tag}-Zq9!` }), allowed: ["admin"] },
  { ref: "app/(admin)/admin/users/actions.ts#setSpendingLimitsAction", params: userParams, form: (i) => ({ id: i.victimUserId, orderLimit: "100.00", monthlyLimit: "" }), allowed: ["admin"] },
  // No session has this id: the admin reaches the lookup and is told so.
  { ref: "app/(admin)/admin/users/actions.ts#revokeUserSessionAction", params: userParams, form: (i) => ({ userId: i.staffVictimUserId, sessionId: "0".repeat(64) }), allowed: ["admin"], allowedCodes: ["not_found"] },
  { ref: "app/(admin)/admin/users/actions.ts#revokeAllUserSessionsAction", params: userParams, form: (i) => ({ userId: i.staffVictimUserId }), allowed: ["admin"] },
  // ---- staff: API keys
  // At most 25 keys may be live at once: after the fuzzer's calls an allowed caller may meet that cap (validation_failed, after the permission check).
  { ref: "app/(admin)/admin/api-keys/actions.ts#createApiKeyAction", form: (_i, tag) => ({ name: `Probe ${tag}`, scopes: "catalog:read", lifetimeDays: "30", role: "sales" }), allowed: ["admin"], allowedCodes: ["validation_failed"] },
  { ref: "app/(admin)/admin/api-keys/actions.ts#setApiKeyLimitsAction", form: () => ({ id: "00000000-0000-4000-8000-000000000000", rateLimitPerMinute: "100", rateLimitBurst: "10" }), allowed: ["admin"], allowedCodes: ["not_found"] },
  { ref: "app/(admin)/admin/api-keys/actions.ts#revokeApiKeyAction", form: () => ({ id: "00000000-0000-4000-8000-000000000000" }), allowed: ["admin"], allowedCodes: ["not_found"] },
  // ---- staff: own account
  {
    ref: "app/(admin)/admin/account/actions.ts#changePasswordAction",
    form: () => ({ currentPassword: "not-the-password", newPassword: "Another-Probe-pass-2026!" }),
    allowed: staff,
    allowedCodes: ["validation_failed"],
  },
  {
    ref: "app/(admin)/admin/account/actions.ts#signOutEverywhereAction",
    allowed: staff,
    skip: "ends every session of the caller: it would sign the probe actors out halfway through the matrix (e2e/sessions.spec.ts covers it)",
  },
  // ---- everyone: sign-in (an empty form: refused by the schema before any attempt is counted)
  { ref: "app/(auth)/login/actions.ts#loginAction", form: () => ({ email: "", password: "" }), allowed: everyone },
  // ---- the shell's sign-out button (an inline action)
  {
    ref: "components/shell/app-shell.tsx#$$RSC_SERVER_ACTION_0",
    allowed: everyone,
    skip: "signs the caller out: it would end the probe actors' sessions halfway through the matrix",
  },
  // ---- customers: account
  {
    ref: "app/(portal)/account/actions.ts#changePasswordAction",
    // A wrong current password: the permission is checked first, then the password, so nothing changes.
    form: () => ({ currentPassword: "not-the-password", newPassword: "Another-Probe-pass-2026!" }),
    allowed: customers,
    allowedCodes: ["validation_failed", "forbidden"],
  },
  {
    ref: "app/(portal)/account/actions.ts#signOutEverywhereAction",
    allowed: customers,
    skip: "ends every session of the caller: it would sign the probe actors out halfway through the matrix (e2e/sessions.spec.ts covers it)",
  },
  {
    ref: "app/(portal)/account/actions.ts#inviteUserAction",
    form: (_i, tag) => ({ email: `invited.${tag.toLowerCase()}@probe.test`, name: "Probe invited", role: "buyer", password: `Probe-invite-${tag}-Zq9!` }),
    allowed: ["customerAdmin"],
  },
  ...webhookActions("app/(portal)/account/webhooks", "customerAdmin", (i) => i.webhookEndpointId),
  ...webhookActions("app/(admin)/admin/webhooks", "admin", (i) => i.staffWebhookEndpointId),
  // Notifications: preferences are the signed-in user's own; the AP address is the company's (its customer
  // admin, or an administrator for any company).
  { ref: "app/(admin)/admin/account/actions.ts#setNotificationPreferencesAction", form: () => ({ "email.payment_recorded": "on" }), allowed: staff },
  { ref: "app/(portal)/account/actions.ts#setNotificationPreferencesAction", form: () => ({ "email.invoice_issued": "on" }), allowed: customers },
  {
    ref: "app/(portal)/account/actions.ts#setAccountsPayableEmailAction",
    form: (i, tag) => ({ companyId: i.ownerCompanyId, accountsPayableEmail: `ap-${tag.toLowerCase()}@example.test` }),
    allowed: ["customerAdmin"],
  },
  // Assortments (issue 14), pricing.manage: both fields empty is the whole catalogue (the owner company stays unlimited).
  { ref: "app/(admin)/admin/customers/actions.ts#setCompanyAssortmentAction", params: (i) => ({ id: i.ownerCompanyId }), form: (i) => ({ companyId: i.ownerCompanyId, skus: "" }), allowed: managers },
  {
    ref: "app/(admin)/admin/customers/actions.ts#setAccountsPayableEmailAction",
    params: (i) => ({ id: i.ownerCompanyId }),
    form: (i, tag) => ({ companyId: i.ownerCompanyId, accountsPayableEmail: `ap-${tag.toLowerCase()}@example.test` }),
    allowed: ["admin"],
  },
  // Sending a failed mail again: the world's probe mail is queued, so the administrator is told only failed mail can be.
  { ref: "app/(admin)/admin/mail/actions.ts#resendMailAction", form: (i) => ({ mailId: i.mailId }), allowed: ["admin"], allowedCodes: ["conflict"] },
  // Plain form actions (they return nothing, so the matrix cannot read a refusal); the service scopes to
  // the signed-in user: lib/notifications/service.integration.test.ts.
  ...["app/(admin)/admin/notifications", "app/(portal)/notifications"].flatMap((dir) =>
    ["markNotificationReadAction", "markAllNotificationsReadAction"].map((name) => ({ ref: `${dir}/actions.ts#${name}`, allowed: [] as ActorKey[], skip: "returns nothing: scoped to the signed-in user by the service (service.integration.test.ts)" })),
  ),
  { ref: "app/(portal)/account/actions.ts#setCompanyUserActiveAction", params: portalUserParams, form: (i) => ({ id: i.victimUserId, active: "false" }), allowed: ["customerAdmin"] },
  { ref: "app/(portal)/account/actions.ts#setSpendingLimitsAction", params: portalUserParams, form: (i) => ({ id: i.victimUserId, orderLimit: "100.00", monthlyLimit: "" }), allowed: ["customerAdmin"] },
  // ---- API keys (a revoke of a key nobody has: the allowed actor reaches the lookup and is told so)
  { ref: "app/(portal)/account/api-keys/actions.ts#createApiKeyAction", form: (_i, tag) => ({ name: `Probe ${tag}`, scopes: "catalog:read", lifetimeDays: "30" }), allowed: ["customerAdmin"], allowedCodes: ["validation_failed"] },
  { ref: "app/(portal)/account/api-keys/actions.ts#revokeApiKeyAction", form: () => ({ id: "00000000-0000-4000-8000-000000000000" }), allowed: ["customerAdmin"], allowedCodes: ["not_found"] },
  // ---- customers: own cart (the other company's buyer has one too)
  { ref: "app/(portal)/products/[sku]/actions.ts#addToCartAction", params: (i) => ({ sku: i.sku }), form: (i) => ({ productId: i.productId, quantity: "2" }), allowed: customers },
  { ref: "app/(portal)/cart/actions.ts#setCartLineAction", form: (i) => ({ productId: i.productId, quantity: "4" }), allowed: customers },
  { ref: "app/(portal)/cart/actions.ts#quickOrderAction", form: (i) => ({ lines: `${i.sku}, 2` }), allowed: customers },
  { ref: "app/(portal)/cart/actions.ts#updateCartDetailsAction", form: () => ({ poNumber: "PO-PROBE", notes: "matrix" }), allowed: customers },
  { ref: "app/(portal)/cart/actions.ts#submitCartAction", form: () => ({}), allowed: customers, allowedCodes: stateful },
  // ---- customers: the owner company's orders and invoices (the other company's buyer must get not_found)
  {
    ref: "app/(portal)/invoices/actions.ts#recordRemittanceAction",
    form: (i) => ({ amount: "1.00", paidOn: sellerToday(), reference: "", note: "matrix", [`allocation_${i.invoiceId}`]: "1.00" }),
    allowed: owners,
    // Another company's invoice is answered like one that does not exist: "not open for payment".
    refusedCodes: { globexBuyer: "validation_failed" },
  },
  { ref: "app/(portal)/orders/[id]/actions.ts#customerApproveOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, comment: "" }), allowed: ["customerAdmin"], allowedCodes: stateful },
  { ref: "app/(portal)/orders/[id]/actions.ts#customerRejectOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, reason: "matrix" }), allowed: ["customerAdmin"], allowedCodes: stateful },
  { ref: "app/(portal)/orders/[id]/actions.ts#declineQuotationAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, reason: "matrix" }), allowed: owners, allowedCodes: stateful },
  { ref: "app/(portal)/orders/[id]/actions.ts#acceptQuotationAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId }), allowed: owners, allowedCodes: stateful },
  { ref: "app/(portal)/orders/[id]/actions.ts#requoteOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId }), allowed: owners, allowedCodes: stateful },
  { ref: "app/(portal)/orders/[id]/actions.ts#cancelOrderAction", params: orderParams, form: (i) => ({ orderId: i.quoteOrderId, reason: "matrix" }), allowed: owners, allowedCodes: stateful },
  // ---- customers: order again (any past order of their company) and the company's requisition lists
  { ref: "app/(portal)/orders/[id]/reorder-actions.ts#reorderAction", params: orderParams, form: (i) => ({ orderId: i.orderId }), allowed: owners },
  // Each customer creates in their own company; a second owner's list of the same name is refused by name.
  { ref: "app/(portal)/lists/actions.ts#createListAction", form: (_i, tag) => ({ name: `Probe list ${tag}` }), allowed: customers, allowedCodes: ["validation_failed"] },
  { ref: "app/(portal)/lists/actions.ts#renameListAction", params: (i) => ({ id: i.listId }), form: (_i, tag) => ({ listId: _i.listId, name: `Probe renamed ${tag}` }), allowed: owners },
  { ref: "app/(portal)/lists/actions.ts#addToListAction", form: (i) => ({ listId: i.listId, productId: i.productId, quantity: "2" }), allowed: owners },
  { ref: "app/(portal)/lists/actions.ts#setListLineAction", params: (i) => ({ id: i.listId }), form: (i) => ({ listId: i.listId, productId: i.productId, quantity: "5" }), allowed: owners },
  { ref: "app/(portal)/lists/actions.ts#listToCartAction", params: (i) => ({ id: i.listId }), form: (i) => ({ listId: i.listId }), allowed: owners },
  // A list nobody has: the allowed actor reaches the company-scoped lookup and is told so (the world's list stays).
  { ref: "app/(portal)/lists/actions.ts#deleteListAction", params: (i) => ({ id: i.listId }), form: () => ({ listId: randomUUID() }), allowed: owners, allowedCodes: ["not_found"] },
  // A return of 0 units of the partly shipped order: the owners reach the rule (validation_failed), nothing is written.
  { ref: "app/(portal)/orders/[id]/return-actions.ts#requestReturnAction", params: orderParams, form: (i) => ({ orderId: i.orderId, reason: "matrix", lineNo: "1", return_1: "0", idempotencyKey: `matrix-return-${Date.now()}` }), allowed: owners, allowedCodes: stateful },
];
