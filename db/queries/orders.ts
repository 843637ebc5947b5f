import "server-only";
import { isUuid } from "@/lib/domain/ids";
import { getCompany } from "@/db/queries/companies";
import { and, asc, desc, eq, getTableColumns, inArray, isNull, sql, type SQL } from "drizzle-orm";
import {
  cartLines,
  companies,
  creditNotes,
  invoiceLines,
  invoices,
  orderApprovals,
  orderEvents,
  orders,
  quotationLines,
  quotations,
  users,
  type Order,
  type AddressSnapshot,
} from "@/db/schema";
import { statement, tableRow, type Statement } from "@/db/prepared";
import { pricingInputs } from "@/db/queries/catalog";
import { conversionOn } from "@/db/queries/exchange-rates";
import { getInvoiceStatus } from "@/db/queries/invoices";
import type { DbOrTx } from "@/db/client";
import { quantityProblem } from "@/lib/domain/catalog";
import { dateIn } from "@/lib/domain/dates";
import { closedStates, effectiveStatus, openStates, stateLabels, type OrderEvent, type OrderState } from "@/lib/domain/order-state";
import { resolveUnitPrice } from "@/lib/domain/pricing";
import { isCustomerRole } from "@/lib/domain/roles";
import { documentTotals, lineAmounts } from "@/lib/domain/totals";
import type { Actor } from "@/lib/domain/actor";
import type { Period } from "@/lib/domain/periods";
import { bookedEntries } from "@/db/queries/analytics/ledger";


/** Customers see their company's orders only (in SQL); staff see all. */
function visibleTo(actor: Actor): SQL | undefined {
  return isCustomerRole(actor.role) ? eq(orders.companyId, actor.companyId ?? "00000000-0000-0000-0000-000000000000") : undefined;
}


export type CartView = Awaited<ReturnType<typeof getCart>>;

/** The buyer's cart with live prices and the quantity rules checked, or null when empty. */
export async function getCart(db: DbOrTx, actor: Actor) {
  if (!actor.companyId) return null;
  const [cart] = await db.select().from(orders).where(and(eq(orders.buyerId, actor.id), eq(orders.status, "draft")));
  if (!cart) return null;
  const lines = await db.select().from(cartLines).where(eq(cartLines.orderId, cart.id)).orderBy(asc(cartLines.addedAt), asc(cartLines.productId));
  const company = await getCompany(db, cart.companyId);
  const today = dateIn(company?.timeZone ?? "UTC", new Date());
  const inputs = await pricingInputs(db, cart.companyId, lines.map((l) => l.productId));
  const conversion = await conversionOn(db, cart.currency, [...inputs.values()].map((i) => i.product.currency), today);
  const priced = lines.map((l) => {
    const p = inputs.get(l.productId)!;
    const price = resolveUnitPrice({ product: p.product, lists: p.lists, quantity: l.quantity, date: today, conversion });
    const amounts = lineAmounts({ quantity: l.quantity, unitPriceMinor: price.unitPriceMinor, taxRateBp: p.taxRateBp });
    return {
      productId: l.productId,
      sku: p.sku,
      name: p.name,
      unit: p.unit,
      quantity: l.quantity,
      minOrderQuantity: p.minOrderQuantity,
      orderMultiple: p.orderMultiple,
      taxRateBp: p.taxRateBp,
      price,
      ...amounts,
      imageId: p.inAssortment ? p.imageId : null,
      problem: p.archived
        ? "This product is no longer available."
        : !p.inAssortment
          ? "This product is no longer in your company's assortment: remove it to submit the cart."
          : quantityProblem(l.quantity, { minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, unit: p.unit }),
    };
  });
  return { order: cart, lines: priced, totals: documentTotals(priced), currency: cart.currency };
}

export type OrderListFilter = {
  status?: OrderState | "open" | "closed";
  q?: string;
  page?: number;
  awaitingMe?: boolean;
  /** submitted_desc: by submission, which never changes once set (the API's stable cursor pages). */
  sort?: "newest" | "oldest" | "total_desc" | "submitted_desc";
  /** Open quotations whose validity ends before `until` (the dashboard's "expiring in 7 days"). */
  expiring?: { now: Date; until: Date };
  /** Orders booked in the period (the ledger's bookedEntries: accepted then, still standing). */
  booked?: { period: Period; timeZone: string };
  /** The instant quotation expiry is judged at; defaults to now. */
  now?: Date;
  /** Submitted on or between these dates (YYYY-MM-DD, inclusive) of `timeZone`'s calendar (the API's from/to). */
  submitted?: { from?: string; to?: string; timeZone: string };
  /** Rows per page (default 25) and a row offset instead of `page` (the API's cursors). */
  pageSize?: number;
  offset?: number;
};

const latestQuote = sql`lateral (select q.id, q.number, q.version, q.total_minor, q.valid_until from quotations q where q.order_id = "orders"."id" order by q.version desc limit 1)`;

export async function listOrders(db: DbOrTx, actor: Actor, f: OrderListFilter = {}) {
  const now = f.now ?? new Date();
  const filters: (SQL | undefined)[] = [visibleTo(actor), sql`"orders"."status" <> 'draft'`];
  if (f.status === "open") filters.push(inArray(orders.status, [...openStates]));
  else if (f.status === "closed") filters.push(inArray(orders.status, [...closedStates]));
  // A quoted order past its quotation's validity reads as expired (effectiveStatus) before the
  // expiry job moves it: the quoted and expired filters list it where its badge says it is.
  else if (f.status === "quoted") filters.push(sql`("orders"."status" = 'quoted' and not ${quotationExpiredSql(sql`lq.valid_until`, now)})`);
  else if (f.status === "expired") filters.push(sql`("orders"."status" = 'expired' or ("orders"."status" = 'quoted' and ${quotationExpiredSql(sql`lq.valid_until`, now)}))`);
  else if (f.status) filters.push(eq(orders.status, f.status));
  if (f.expiring) filters.push(sql`("orders"."status" = 'quoted' and ${quotationExpiringSql(sql`lq.valid_until`, f.expiring.now, f.expiring.until)})`);
  if (f.booked) filters.push(sql`"orders"."id" in (select b.order_id from (${bookedEntries(f.booked.period, f.booked)}) b)`);
  if (f.q) filters.push(sql`("orders"."reference" ilike ${`%${f.q}%`} or "orders"."po_number" ilike ${`%${f.q}%`} or lq.number ilike ${`%${f.q}%`} or "companies"."name" ilike ${`%${f.q}%`})`);
  if (f.submitted?.from) filters.push(sql`"orders"."submitted_at" >= (${f.submitted.from}::date::timestamp at time zone ${f.submitted.timeZone})`);
  if (f.submitted?.to) filters.push(sql`"orders"."submitted_at" < ((${f.submitted.to}::date + 1)::timestamp at time zone ${f.submitted.timeZone})`);
  const page = Math.max(1, f.page ?? 1);
  const pageSize = f.pageSize ?? 25;
  const offset = f.offset ?? (page - 1) * pageSize;
  const order =
    f.sort === "oldest" ? [asc(orders.updatedAt)] : f.sort === "total_desc" ? [desc(sql`lq.total_minor`)] : f.sort === "submitted_desc" ? [desc(orders.submittedAt)] : [desc(orders.updatedAt)];
  const rows = await db
    .select({
      id: orders.id,
      reference: orders.reference,
      status: orders.status,
      poNumber: orders.poNumber,
      currency: orders.currency,
      companyName: companies.name,
      buyerName: users.name,
      submittedAt: orders.submittedAt,
      updatedAt: orders.updatedAt,
      quotationNumber: sql<string | null>`lq.number`,
      quotationVersion: sql<number | null>`lq.version`,
      totalMinor: sql<string | null>`lq.total_minor::text`,
      validUntil: sql<string | null>`lq.valid_until`,
    })
    .from(orders)
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .innerJoin(users, eq(users.id, orders.buyerId))
    .leftJoin(sql`${latestQuote} lq`, sql`true`)
    .where(and(...filters))
    .orderBy(...order, asc(orders.id))
    .limit(pageSize + 1)
    .offset(offset);
  return {
    page,
    hasNext: rows.length > pageSize,
    rows: rows.slice(0, pageSize).map((r) => {
      const validUntil = r.validUntil ? new Date(r.validUntil) : null;
      const status = effectiveStatus(r.status, validUntil, now);
      return { ...r, validUntil, status, statusLabel: stateLabels[status], totalMinor: r.totalMinor === null ? null : BigInt(r.totalMinor) };
    }),
  };
}

/** Staff queue: orders waiting for a seller approval this actor's role can give, oldest first by default. */
export async function approvalQueue(db: DbOrTx, actor: Actor, f: { sort?: "oldest" | "newest" | "total_desc"; q?: string } = {}) {
  const stepFilter =
    actor.role === "finance"
      ? sql`"orders"."needs_finance_approval" and not exists (select 1 from order_approvals a where a.order_id = "orders"."id" and a.step = 'finance')`
      : actor.role === "sales"
        ? sql`not exists (select 1 from order_approvals a where a.order_id = "orders"."id" and a.step = 'sales')`
        : sql`true`;
  const notMine = sql`not exists (select 1 from order_approvals a where a.order_id = "orders"."id" and a.approver_id = ${actor.id})`;
  const order = f.sort === "newest" ? [desc(orders.acceptedAt)] : f.sort === "total_desc" ? [desc(sql`lq.total_minor`)] : [asc(orders.acceptedAt)];
  const rows = await db
    .select({
      id: orders.id,
      reference: orders.reference,
      companyName: companies.name,
      acceptedAt: orders.acceptedAt,
      currency: orders.currency,
      needsFinanceApproval: orders.needsFinanceApproval,
      approvalReasons: orders.approvalReasons,
      quotationNumber: sql<string>`lq.number`,
      totalMinor: sql<string>`lq.total_minor::text`,
      approvals: sql<string[]>`(select coalesce(array_agg(a.step::text order by a.decided_at), '{}') from order_approvals a where a.order_id = "orders"."id")`,
    })
    .from(orders)
    .innerJoin(companies, eq(companies.id, orders.companyId))
    .leftJoin(sql`${latestQuote} lq`, sql`true`)
    .where(and(eq(orders.status, "awaiting_seller_approval"), stepFilter, notMine, f.q ? sql`("companies"."name" ilike ${`%${f.q}%`} or "orders"."reference" ilike ${`%${f.q}%`})` : undefined))
    .orderBy(...order, asc(orders.id))
    .limit(200);
  const now = Date.now();
  return rows.map((r) => ({ ...r, totalMinor: BigInt(r.totalMinor), ageHours: r.acceptedAt ? Math.floor((now - new Date(r.acceptedAt).getTime()) / 3_600_000) : 0 }));
}

/**
 * Everything the order page shows; null when the actor may not see the order (a 404).
 *
 * One snapshot (a read-only repeatable-read transaction, when not already given one): the parts
 * cannot disagree with each other, as reads on separate connections could when a change commits
 * between them. Every statement is sent at once on the transaction's one connection (postgres.js
 * pipelines them), so the read costs one pool connection and about three round trips whatever its
 * parts; the parts are read before the order's visibility is known and thrown away when it is not
 * the actor's (they are never returned).
 */
export async function getOrderDetail(db: DbOrTx, actor: Actor, id: string) {
  if (!isUuid(id)) return null;
  // A transaction handle has rollback(); the root handle opens the snapshot.
  if (!("rollback" in db)) return db.transaction((tx) => orderDetailIn(tx, actor, id), { isolationLevel: "repeatable read", accessMode: "read only" });
  return orderDetailIn(db, actor, id);
}

async function orderDetailIn(db: DbOrTx, actor: Actor, id: string) {
  const staff = !isCustomerRole(actor.role);
  const ofOrder = (table: typeof invoices | typeof quotations) => sql`(select id from ${table} where order_id = ${id})`;
  const [[row], versions, lines, approvals, timeline, [invoice], [creditNote], invoiceLineRows, customerAdmins] = await Promise.all([
    db
      .select({ order: orders, company: companies, buyerName: users.name, buyerEmail: users.email })
      .from(orders)
      .innerJoin(companies, eq(companies.id, orders.companyId))
      .innerJoin(users, eq(users.id, orders.buyerId))
      .where(and(eq(orders.id, id), visibleTo(actor))),
    db.select().from(quotations).where(eq(quotations.orderId, id)).orderBy(asc(quotations.version)),
    db.select().from(quotationLines).where(inArray(quotationLines.quotationId, ofOrder(quotations))).orderBy(asc(quotationLines.lineNo)),
    db
      .select({ step: orderApprovals.step, decision: orderApprovals.decision, comment: orderApprovals.comment, decidedAt: orderApprovals.decidedAt, approverName: users.name, approverId: orderApprovals.approverId })
      .from(orderApprovals)
      .innerJoin(users, eq(users.id, orderApprovals.approverId))
      .where(eq(orderApprovals.orderId, id))
      .orderBy(asc(orderApprovals.decidedAt)),
    db
      .select({ id: orderEvents.id, occurredAt: orderEvents.occurredAt, event: orderEvents.event, fromStatus: orderEvents.fromStatus, toStatus: orderEvents.toStatus, note: orderEvents.note, internal: orderEvents.internal, actorRole: orderEvents.actorRole, actorName: users.name })
      .from(orderEvents)
      .leftJoin(users, eq(users.id, orderEvents.actorId))
      .where(and(eq(orderEvents.orderId, id), staff ? undefined : eq(orderEvents.internal, false)))
      .orderBy(asc(orderEvents.id)),
    db.select().from(invoices).where(eq(invoices.orderId, id)),
    db.select().from(creditNotes).where(and(eq(creditNotes.orderId, id), isNull(creditNotes.returnId))), // a return's credit notes show with the returns
    db.select().from(invoiceLines).where(inArray(invoiceLines.invoiceId, ofOrder(invoices))).orderBy(asc(invoiceLines.lineNo)),
    // Who may act next, for the customer's "waiting for whom" message (only while the order waits for them).
    db
      .select({ name: users.name, email: users.email })
      .from(users)
      .innerJoin(orders, and(eq(orders.id, id), eq(orders.companyId, users.companyId), eq(orders.status, "awaiting_customer_approval")))
      .where(and(eq(users.role, "customer_admin"), eq(users.active, true))),
  ]);
  if (!row || row.order.status === "draft") return null;
  const latest = versions.at(-1) ?? null;
  return {
    order: row.order as Order,
    status: effectiveStatus(row.order.status, latest?.validUntil ?? null),
    company: row.company,
    buyer: { name: row.buyerName, email: row.buyerEmail },
    versions: versions.map((v) => ({ ...v, lines: lines.filter((l) => l.quotationId === v.id) })),
    latest: latest ? { ...latest, lines: lines.filter((l) => l.quotationId === latest.id) } : null,
    approvals,
    timeline,
    invoice: invoice ?? null,
    // The invoice's status as /invoices shows it (paid, partially paid, overdue…), not the stored open/cancelled.
    invoiceStatus: invoice ? await getInvoiceStatus(db, invoice.id) : null,
    invoiceLines: invoiceLineRows,
    creditNote: creditNote ?? null,
    customerAdmins,
  };
}

/** An order's current quotation as getOrderForApi reads it (amounts and instants in JSON, converted below). */
type JsonQuotation = {
  id: string;
  orderId: string;
  number: string;
  version: number;
  issuedAt: string;
  validUntil: string;
  revisionReason: string | null;
  currency: string;
  subtotalMinor: string;
  taxMinor: string;
  totalMinor: string;
  roundingMethod: string;
  terms: string;
  lines: { lineNo: number; productId: string; sku: string; name: string; unit: string; quantity: number; unitPriceMinor: string; discountBp: number; netMinor: string; taxRateBp: number; taxMinor: string; totalMinor: string; priceExplanation: string }[];
};

/**
 * What the API's Order shows, in ONE statement (the order with its company and buyer, and as JSON
 * its current quotation with lines, approvals, timeline, invoices and credit notes): every /api/v1
 * write answers with it, so it is on the hot path of an integration placing and accepting orders
 * (getOrderDetail, the page's read, takes a dozen statements). Amounts travel as text and are
 * BigInt again here; instants as ISO strings, Dates again here. Null when the actor may not see it.
 */
export async function getOrderForApi(db: DbOrTx, actor: Actor, id: string) {
  if (!isUuid(id)) return null;
  const customer = isCustomerRole(actor.role);
  // A customer sees their company's orders only (another's is "not found") and no internal events.
  const [row] = await orderForApiStatement(db, { id, companyId: customer ? (actor.companyId ?? "00000000-0000-0000-0000-000000000000") : null, staff: !customer });
  if (!row) return null;
  const order = orderRow.map(row);
  if (order.status === "draft") return null;
  const q = row.x_quotation;
  const latest = q
    ? {
        ...q,
        issuedAt: new Date(q.issuedAt),
        validUntil: new Date(q.validUntil),
        subtotalMinor: BigInt(q.subtotalMinor),
        taxMinor: BigInt(q.taxMinor),
        totalMinor: BigInt(q.totalMinor),
        lines: q.lines.map((l) => ({ ...l, unitPriceMinor: BigInt(l.unitPriceMinor), netMinor: BigInt(l.netMinor), taxMinor: BigInt(l.taxMinor), totalMinor: BigInt(l.totalMinor) })),
      }
    : null;
  return {
    order,
    status: effectiveStatus(order.status, latest?.validUntil ?? null),
    company: { id: order.companyId, name: row.x_company_name },
    buyer: { name: row.x_buyer_name, email: row.x_buyer_email },
    latest,
    approvals: row.x_approvals.map((a) => ({ ...a, decidedAt: new Date(a.decidedAt) })),
    timeline: row.x_timeline.map((e) => ({ ...e, occurredAt: new Date(e.occurredAt) })),
    invoices: row.x_invoices,
    creditNotes: row.x_credit_notes,
  };
}

export type ApiOrder = NonNullable<Awaited<ReturnType<typeof getOrderForApi>>>;

export type OrderDetail = NonNullable<Awaited<ReturnType<typeof getOrderDetail>>>;

// ---------------------------------------------------------------------------------------------
// Writes and locks of the order use cases (lib/services/orders). The statements of the hot paths
// (submit, accept) are prepared once (db/prepared.ts) and return whole rows like select() would.

const p = sql.placeholder;
const orderRow = tableRow(orders, "orders");

type OrderForApiRow = {
  x_company_name: string;
  x_buyer_name: string;
  x_buyer_email: string;
  x_quotation: JsonQuotation | null;
  x_approvals: { step: "customer" | "sales" | "finance"; decision: "approved" | "rejected"; comment: string; decidedAt: string; approverName: string }[];
  x_timeline: { occurredAt: string; event: string; fromStatus: OrderState | null; toStatus: OrderState | null; note: string; actorName: string | null; actorRole: string | null }[];
  x_invoices: { id: string; number: string }[];
  x_credit_notes: { id: string; number: string }[];
};

// getOrderForApi's statement, prepared (db/prepared.ts): each API write answers with it.
const orderForApiStatement = statement<Record<string, unknown> & OrderForApiRow, { id: string; companyId: string | null; staff: boolean }>(
  "orders.for_api",
  sql`select ${orderRow.list}, c.name as x_company_name, u.name as x_buyer_name, u.email as x_buyer_email,
      (select json_build_object('id', q.id, 'orderId', q.order_id, 'number', q.number, 'version', q.version, 'issuedAt', q.issued_at, 'validUntil', q.valid_until,
          'revisionReason', q.revision_reason, 'currency', q.currency, 'subtotalMinor', q.subtotal_minor::text, 'taxMinor', q.tax_minor::text, 'totalMinor', q.total_minor::text,
          'roundingMethod', q.rounding_method, 'terms', q.terms,
          'lines', (select coalesce(json_agg(json_build_object('lineNo', l.line_no, 'productId', l.product_id, 'sku', l.sku, 'name', l.name, 'unit', l.unit, 'quantity', l.quantity,
              'unitPriceMinor', l.unit_price_minor::text, 'discountBp', l.discount_bp, 'netMinor', l.net_minor::text, 'taxRateBp', l.tax_rate_bp, 'taxMinor', l.tax_minor::text,
              'totalMinor', l.total_minor::text, 'priceExplanation', l.price_explanation) order by l.line_no), '[]'::json)
            from quotation_lines l where l.quotation_id = q.id))
        from quotations q where q.order_id = orders.id order by q.version desc limit 1) as x_quotation,
      (select coalesce(json_agg(json_build_object('step', a.step, 'decision', a.decision, 'comment', a.comment, 'decidedAt', a.decided_at, 'approverName', au.name) order by a.decided_at), '[]'::json)
        from order_approvals a join users au on au.id = a.approver_id where a.order_id = orders.id) as x_approvals,
      (select coalesce(json_agg(json_build_object('occurredAt', e.occurred_at, 'event', e.event, 'fromStatus', e.from_status, 'toStatus', e.to_status, 'note', e.note,
          'actorName', eu.name, 'actorRole', e.actor_role) order by e.id), '[]'::json)
        from order_events e left join users eu on eu.id = e.actor_id where e.order_id = orders.id and (${p("staff")}::boolean or not e.internal)) as x_timeline,
      (select coalesce(json_agg(json_build_object('id', i.id, 'number', i.number) order by i.issued_at), '[]'::json) from invoices i where i.order_id = orders.id) as x_invoices,
      (select coalesce(json_agg(json_build_object('id', n.id, 'number', n.number) order by n.issued_at), '[]'::json) from credit_notes n where n.order_id = orders.id) as x_credit_notes
    from orders join companies c on c.id = orders.company_id join users u on u.id = orders.buyer_id
    where orders.id = ${p("id")}::uuid and (${p("companyId")}::uuid is null or orders.company_id = ${p("companyId")}::uuid)`,
);

const lockOrderStatement = statement<Record<string, unknown>, { id: string }>("orders.lock", sql`select ${orderRow.list} from orders where id = ${p("id")} for update`);
const lockCompanyOrderStatement = statement<Record<string, unknown>, { id: string; companyId: string }>(
  "orders.lock_for_company",
  sql`select ${orderRow.list} from orders where id = ${p("id")} and company_id = ${p("companyId")} for update`,
);

/** Locks an order row (for update); with `companyId`, only if it is that company's. */
export async function lockOrderRow(tx: DbOrTx, id: string, scope: { companyId?: string } = {}): Promise<Order | null> {
  const [row] = scope.companyId === undefined ? await lockOrderStatement(tx, { id }) : await lockCompanyOrderStatement(tx, { id, companyId: scope.companyId });
  return row ? orderRow.map(row) : null;
}

export type OrderPatch = Partial<typeof orders.$inferInsert>;
const orderColumns = getTableColumns(orders);
// Set by moveOrder itself, whatever the patch says.
const moveOwned = new Set<string>(["status", "version", "updatedAt"]);
const moveStatements = new Map<string, Statement<Record<string, unknown>, Record<string, unknown>>>();

/**
 * The conditional update and its timeline event in one statement, one per set of patched columns
 * (a handful: each event patches the same ones every time), so each is prepared once.
 */
function moveStatement(keys: readonly (keyof typeof orderColumns)[]) {
  const id = keys.join(",");
  let s = moveStatements.get(id);
  if (!s) {
    const sets = keys.map((k) => sql`${sql.identifier(orderColumns[k].name)} = ${p(`set_${k}`)}`);
    s = statement(
      `orders.transition(${id})`,
      sql`with moved as (
          update orders set ${sql.join([...sets, sql`status = ${p("to")}::order_status, version = ${p("version")}::int + 1, updated_at = ${p("now")}::text::timestamptz`], sql`, `)}
          where id = ${p("id")} and status = ${p("from")}::order_status and version = ${p("version")}::int
          returning *
        ), event as (
          insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status, note)
          select id, ${p("actorId")}::uuid, ${p("actorRole")}::text, ${p("event")}::text, ${p("from")}::order_status, ${p("to")}::order_status, ${p("note")}::text from moved
        )
        select ${orderRow.list} from moved orders`,
    );
    moveStatements.set(id, s);
  }
  return s;
}

/**
 * Moves an order from the status and version that were read to `to`, applying `patch` and
 * recording the timeline event, in one statement. Null when the order changed meanwhile (another
 * status or version): nothing was written.
 */
export async function moveOrder(
  tx: DbOrTx,
  m: { order: Pick<Order, "id" | "status" | "version">; to: OrderState; event: OrderEvent; patch: OrderPatch; note: string; actorId: string | null; actorRole: string; now: Date },
): Promise<Order | null> {
  const keys = (Object.keys(m.patch) as (keyof OrderPatch)[]).filter((k) => m.patch[k] !== undefined && !moveOwned.has(k)).sort();
  const params: Record<string, unknown> = {
    id: m.order.id,
    from: m.order.status,
    to: m.to,
    version: m.order.version,
    now: m.now.toISOString(),
    actorId: m.actorId,
    actorRole: m.actorRole,
    event: m.event,
    note: m.note,
  };
  for (const k of keys) {
    const value = m.patch[k];
    params[`set_${k}`] = value === null ? null : orderColumns[k].mapToDriverValue(value);
  }
  const [row] = await moveStatement(keys)(tx, params);
  return row ? orderRow.map(row) : null;
}

const lockCartStatement = statement<Record<string, unknown>, { buyerId: string }>(
  "orders.lock_cart",
  sql`select ${orderRow.list} from orders where buyer_id = ${p("buyerId")} and status = 'draft' for update`,
);

/** Locks the buyer's cart (their one draft order), if they have one. */
export async function lockCart(tx: DbOrTx, buyerId: string): Promise<Order | null> {
  const [row] = await lockCartStatement(tx, { buyerId });
  return row ? orderRow.map(row) : null;
}

/** Creates a buyer's cart; does nothing if one was created meanwhile (one draft per buyer, a unique index). */
export async function insertCart(tx: DbOrTx, cart: { reference: string; companyId: string; buyerId: string; currency: string }): Promise<void> {
  await tx.insert(orders).values(cart).onConflictDoNothing();
}

export async function deleteOrder(tx: DbOrTx, orderId: string): Promise<void> {
  await tx.delete(orders).where(eq(orders.id, orderId));
}

/** The quantities in a cart, by product. */
export async function cartQuantities(tx: DbOrTx, orderId: string): Promise<Map<string, number>> {
  const rows = await tx.select({ productId: cartLines.productId, quantity: cartLines.quantity }).from(cartLines).where(eq(cartLines.orderId, orderId));
  return new Map(rows.map((r) => [r.productId, r.quantity]));
}

/** Sets a cart line's quantity; 0 removes the line. */
export async function setCartQuantity(tx: DbOrTx, line: { orderId: string; productId: string; quantity: number }): Promise<void> {
  if (line.quantity === 0) {
    await tx.delete(cartLines).where(and(eq(cartLines.orderId, line.orderId), eq(cartLines.productId, line.productId)));
  } else {
    await tx
      .insert(cartLines)
      .values(line)
      .onConflictDoUpdate({ target: [cartLines.orderId, cartLines.productId], set: { quantity: line.quantity } });
  }
}

/** Adds to a cart line's quantity (a new line if the product is not in the cart yet). */
export async function addCartQuantity(tx: DbOrTx, line: { orderId: string; productId: string; quantity: number }): Promise<void> {
  await tx
    .insert(cartLines)
    .values(line)
    .onConflictDoUpdate({ target: [cartLines.orderId, cartLines.productId], set: { quantity: sql`${cartLines.quantity} + ${line.quantity}` } });
}

/** Updates an order's own fields outside the state machine (a cart's PO number and notes, its last change). */
export async function updateOrderFields(tx: DbOrTx, orderId: string, fields: Pick<OrderPatch, "poNumber" | "notes">, now = new Date()): Promise<void> {
  await tx.update(orders).set({ ...fields, updatedAt: now }).where(eq(orders.id, orderId));
}

export async function insertOrderApproval(
  tx: DbOrTx,
  a: { orderId: string; step: "customer" | "sales" | "finance"; decision: "approved" | "rejected"; approverId: string; comment: string },
): Promise<void> {
  await tx.insert(orderApprovals).values(a);
}

/** The approval decisions given on an order. */
export async function orderApprovalsOf(tx: DbOrTx, orderId: string) {
  return tx.select().from(orderApprovals).where(eq(orderApprovals.orderId, orderId));
}

/** An entry on the order's timeline outside the state machine's transitions: a staff note (internal), an invoice paid or unpaid. */
export async function insertOrderEvent(
  tx: DbOrTx,
  e: { orderId: string; actorId: string | null; actorRole: string; event: "note" | "invoice_paid" | "invoice_unpaid" | "shipment" | "return"; note: string; internal?: boolean },
): Promise<void> {
  await tx.insert(orderEvents).values(e);
}

/**
 * The quotation-expiry rule of lib/domain/order-state.ts (isQuotationExpired: expired once
 * validUntil < now), as SQL.
 */
export function quotationExpiredSql(validUntil: SQL, now: Date): SQL {
  return sql`${validUntil} < ${now.toISOString()}::timestamptz`;
}

/**
 * Quotations still valid at `now` whose validity ends before `until` (exclusive): the complement of
 * quotationExpiredSql up to a horizon, for "expiring soon".
 */
export function quotationExpiringSql(validUntil: SQL, now: Date, until: Date): SQL {
  return sql`(not ${quotationExpiredSql(validUntil, now)} and ${validUntil} < ${until.toISOString()}::timestamptz)`;
}

/** Quoted orders whose latest quotation has expired by `now` (isExpiryDue), optionally only one. */
export async function ordersDueForExpiry(tx: DbOrTx, now: Date, onlyOrderId?: string): Promise<string[]> {
  if (onlyOrderId !== undefined && !isUuid(onlyOrderId)) return [];
  const rows = await tx
    .select({ id: orders.id })
    .from(orders)
    .innerJoin(sql`lateral (select valid_until from quotations where order_id = ${orders.id} order by version desc limit 1) q`, sql`true`)
    .where(and(eq(orders.status, "quoted"), quotationExpiredSql(sql`q.valid_until`, now), onlyOrderId ? eq(orders.id, onlyOrderId) : undefined));
  return rows.map((r) => r.id);
}

// The order and its timeline's first event in one statement (prepared: every order placed from lines).
const insertSubmittedStatement = statement<Record<string, unknown>, Record<string, unknown>>(
  "orders.insert_submitted",
  sql`with created as (
      insert into orders (id, reference, company_id, buyer_id, currency, po_number, notes, status, submitted_at, updated_at, ship_to, ship_to_address_id)
      values (${p("id")}::uuid, ${p("reference")}::text, ${p("companyId")}::uuid, ${p("buyerId")}::uuid, ${p("currency")}::text, ${p("poNumber")}::text, ${p("notes")}::text,
              ${p("status")}::order_status, ${p("at")}::text::timestamptz, ${p("at")}::text::timestamptz, ${p("shipTo")}::text::jsonb, ${p("shipToAddressId")}::uuid)
      returning *
    ), event as (
      insert into order_events (order_id, occurred_at, actor_id, actor_role, event, from_status, to_status)
      select id, submitted_at, buyer_id, ${p("actorRole")}::text, 'submit', null, status from created
    )
    select ${orderRow.list} from created orders`,
);

/**
 * An order placed from lines (the API's POST /orders), born submitted: it never was a draft, since
 * a buyer has one draft (their cart, a unique index) and placing must leave the cart alone. Inserts
 * the order in `status` with its timeline's "submit" event (from no status), in one statement.
 */
export async function insertSubmittedOrder(
  tx: DbOrTx,
  o: { id: string; reference: string; companyId: string; buyerId: string; currency: string; poNumber: string; notes: string; status: OrderState; submittedAt: Date; actorRole: string; shipTo?: AddressSnapshot | null; shipToAddressId?: string | null },
): Promise<Order> {
  const [row] = await insertSubmittedStatement(tx, {
    id: o.id,
    reference: o.reference,
    companyId: o.companyId,
    buyerId: o.buyerId,
    currency: o.currency,
    poNumber: o.poNumber,
    notes: o.notes,
    status: o.status,
    at: o.submittedAt.toISOString(),
    shipTo: o.shipTo ? JSON.stringify(o.shipTo) : null,
    shipToAddressId: o.shipToAddressId ?? null,
    actorRole: o.actorRole,
  });
  return orderRow.map(row!);
}
