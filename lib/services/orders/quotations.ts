import "server-only";
import { eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { cartLines, orders, quotationLines, quotations, type Company, type Order, type Quotation, type QuotationLine } from "@/db/schema";
import type { PricingInput } from "@/db/queries/catalog";
import { queryRows, type Tx } from "@/db/client";
import { sellerApprovalPlan, spendingLimitCheck } from "@/lib/domain/approval-rules";
import { quantityProblem } from "@/lib/domain/catalog";
import { dateIn, endOfDayAfter, formatInZone } from "@/lib/domain/dates";
import { DomainError, fieldError } from "@/lib/domain/errors";
import { isUuid } from "@/lib/domain/ids";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { resolveUnitPrice } from "@/lib/domain/pricing";
import { documentTotals, lineAmounts, ROUNDING_METHOD } from "@/lib/domain/totals";
import { env } from "@/lib/env";
import { defineMutation } from "@/lib/mutation";
import { applyReservation, lockOrderStock } from "../inventory";
import { jsonParam, statement, tableRow, together } from "@/db/prepared";
import { getOrCreateCart } from "./cart";
import { assertAllowed, loadCompany, lockOrder, money, sellerParty, sellerToday, systemContext, transition, type TransitionContext } from "./common";

type DraftLine = {
  productId: string;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  unitPriceMinor: bigint;
  discountBp: number;
  taxRateBp: number;
  explanation: string;
};

const p = sql.placeholder;
const quotationRow = tableRow(quotations, "q", "q_");
const quotationLineRow = tableRow(quotationLines, "l", "l_");

const latestQuotationStatement = statement<Record<string, unknown>, { orderId: string }>(
  "quotations.latest",
  sql`select ${quotationRow.list}, ${quotationLineRow.list}
      from (select * from quotations where order_id = ${p("orderId")} order by version desc limit 1) q
      left join quotation_lines l on l.quotation_id = q.id
      order by l.line_no`,
);

/** The order's current quotation version with its lines, in one statement. */
export async function latestQuotation(tx: Tx, orderId: string): Promise<{ quotation: Quotation; lines: QuotationLine[] } | null> {
  const rows = await latestQuotationStatement(tx, { orderId });
  if (!rows[0]) return null;
  return { quotation: quotationRow.map(rows[0]), lines: rows.filter((r) => r.l_line_no !== null).map((r) => quotationLineRow.map(r)) };
}

// A quotation, its lines and (for a first version) its number, in one statement: the number's
// sequence row stays locked until commit and every other submit waits for it, so the fewer
// statements after taking it, the more submits per second. The number is formatted as
// nextDocumentNumber formats it (Q-2026-000042; more digits once past 999999).
const quotationColumns = sql`order_id, number, version, issued_at, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, revision_reason, issued_by, seller, customer, terms`;
const quotationValues = sql`${p("version")}::int, ${p("issuedAt")}::text::timestamptz, ${p("validUntil")}::text::timestamptz, ${p("currency")}::text,
  ${p("subtotalMinor")}::text::bigint, ${p("taxMinor")}::text::bigint, ${p("totalMinor")}::text::bigint, ${p("roundingMethod")}::text,
  ${p("revisionReason")}::text, ${p("issuedBy")}::uuid, ${p("seller")}::text::jsonb, ${p("customer")}::text::jsonb, ${p("terms")}::text`;

type IssueParams = {
  orderId: string;
  version: number;
  issuedAt: string;
  validUntil: string;
  currency: string;
  subtotalMinor: string;
  taxMinor: string;
  totalMinor: string;
  roundingMethod: string;
  revisionReason: string | null;
  issuedBy: string;
  seller: string;
  customer: string;
  terms: string;
  /** The lines as jsonParam rows. */
  lines: string;
};

/** `quotation` is the CTE (named q) that inserts the quotation row and returns it. */
function issueStatement<Extra extends Record<string, unknown>>(name: string, quotation: SQL) {
  return statement<Record<string, unknown>, IssueParams & Extra>(
    name,
    sql`with ${quotation}, lines as (
      insert into quotation_lines (quotation_id, line_no, product_id, sku, name, unit, quantity, unit_price_minor, discount_bp, net_minor, tax_rate_bp, tax_minor, total_minor, price_explanation)
      select q.id, r.line_no, r.product_id, r.sku, r.name, r.unit, r.quantity, r.unit_price_minor, r.discount_bp, r.net_minor, r.tax_rate_bp, r.tax_minor, r.total_minor, r.price_explanation
      from q cross join jsonb_to_recordset(${p("lines")}::text::jsonb) as r(line_no int, product_id uuid, sku text, name text, unit text, quantity int,
        unit_price_minor bigint, discount_bp int, net_minor bigint, tax_rate_bp int, tax_minor bigint, total_minor bigint, price_explanation text)
    )
    select ${quotationRow.list} from q`,
  );
}

const issueNumberedQuotation = issueStatement<{ year: number }>(
  "quotations.issue_numbered",
  sql`seq as (
      insert into document_sequences (kind, year, last_value) values ('Q', ${p("year")}::int, 1)
      on conflict (kind, year) do update set last_value = document_sequences.last_value + 1
      returning last_value
    ), q as (
      insert into quotations (${quotationColumns})
      select ${p("orderId")}::uuid, 'Q-' || ${p("year")}::int || '-' || lpad(seq.last_value::text, greatest(6, length(seq.last_value::text)), '0'), ${quotationValues}
      from seq
      returning *
    )`,
);

const issueQuotationVersion = issueStatement<{ number: string }>(
  "quotations.issue_version",
  sql`q as (
      insert into quotations (${quotationColumns})
      values (${p("orderId")}::uuid, ${p("number")}::text, ${quotationValues})
      returning *
    )`,
);

/** Freezes lines, taxes and totals into an immutable quotation version. */
async function issueQuotation(
  tx: Tx,
  order: Order,
  lines: DraftLine[],
  opts: { number?: string; version: number; reason?: string; issuedBy: string; company?: Company },
) {
  const company = opts.company ?? (await loadCompany(tx, order.companyId));
  const now = new Date();
  const amounts = lines.map((l) => ({ ...l, ...lineAmounts(l) }));
  const totals = documentTotals(amounts);
  const params: IssueParams = {
    orderId: order.id,
    version: opts.version,
    issuedAt: now.toISOString(),
    validUntil: endOfDayAfter(now, company.quoteValidityDays, company.timeZone).toISOString(),
    currency: order.currency,
    subtotalMinor: totals.subtotalMinor.toString(),
    taxMinor: totals.taxMinor.toString(),
    totalMinor: totals.totalMinor.toString(),
    roundingMethod: ROUNDING_METHOD,
    revisionReason: opts.reason ?? null,
    issuedBy: opts.issuedBy,
    seller: JSON.stringify(sellerParty()),
    customer: JSON.stringify({ name: company.name, address: company.billingAddress, taxId: company.taxId, timeZone: company.timeZone }),
    terms: env().QUOTATION_TERMS,
    lines: jsonParam(
      amounts.map((l, i) => ({
        line_no: i + 1,
        product_id: l.productId,
        sku: l.sku,
        name: l.name,
        unit: l.unit,
        quantity: l.quantity,
        unit_price_minor: l.unitPriceMinor,
        discount_bp: l.discountBp,
        net_minor: l.netMinor,
        tax_rate_bp: l.taxRateBp,
        tax_minor: l.taxMinor,
        total_minor: l.totalMinor,
        price_explanation: l.explanation,
      })),
    ),
  };
  const [row] = opts.number
    ? await issueQuotationVersion(tx, { ...params, number: opts.number })
    : await issueNumberedQuotation(tx, { ...params, year: Number(sellerToday(now).slice(0, 4)) });
  return quotationRow.map(row!);
}

// Submitting takes the cart lines out (rolled back if anything is refused) together with every
// pricing input of their products for the company, in one statement: the same inputs pricingInputs
// (db/queries/catalog) gathers in four.
const takeCartStatement = statement<TakenLine, { orderId: string; companyId: string }>(
  "cart.take_for_quotation",
  sql`with taken as (delete from cart_lines where order_id = ${p("orderId")} returning product_id, quantity, added_at)
      select t.product_id, t.quantity, pr.sku, pr.name, pr.unit, pr.tax_rate_bp, pr.min_order_quantity, pr.order_multiple,
        pr.archived_at is not null as archived, pr.base_price_minor::text as base_price_minor, pr.currency,
        (select coalesce(json_agg(json_build_array(bt.min_quantity, bt.unit_price_minor::text) order by bt.min_quantity), '[]')
           from product_price_tiers bt where bt.product_id = t.product_id) as base_tiers,
        (select coalesce(json_agg(json_build_object(
             'id', pl.id, 'name', pl.name, 'currency', pl.currency, 'validFrom', pl.valid_from::text, 'validTo', pl.valid_to::text,
             'entry', (select json_build_object('unitPriceMinor', e.unit_price_minor::text, 'tiers',
                  (select coalesce(json_agg(json_build_array(lt.min_quantity, lt.unit_price_minor::text) order by lt.min_quantity), '[]')
                   from price_list_tiers lt where lt.entry_id = e.id))
                from price_list_entries e where e.price_list_id = pl.id and e.product_id = t.product_id)) order by pl.id), '[]')
           from price_lists pl join price_list_assignments a on a.price_list_id = pl.id where a.company_id = ${p("companyId")}) as lists
      from taken t join products pr on pr.id = t.product_id
      order by t.added_at, t.product_id`,
);

type TierJson = [number, string];
type TakenLine = {
  product_id: string;
  quantity: number;
  sku: string;
  name: string;
  unit: string;
  tax_rate_bp: number;
  min_order_quantity: number;
  order_multiple: number;
  archived: boolean;
  base_price_minor: string;
  currency: string;
  base_tiers: TierJson[];
  lists: { id: string; name: string; currency: string; validFrom: string; validTo: string | null; entry: { unitPriceMinor: string; tiers: TierJson[] } | null }[];
};

const tiers = (json: TierJson[]) => json.map(([minQuantity, price]) => ({ minQuantity, unitPriceMinor: BigInt(price) }));

/** Removes the cart's lines and returns them with their pricing inputs, in cart order. */
async function takeCartLines(tx: Tx, cart: Order): Promise<{ quantity: number; input: PricingInput }[]> {
  const rows = await takeCartStatement(tx, { orderId: cart.id, companyId: cart.companyId });
  return rows.map((r) => ({
    quantity: r.quantity,
    input: {
      productId: r.product_id,
      sku: r.sku,
      name: r.name,
      unit: r.unit,
      taxRateBp: r.tax_rate_bp,
      minOrderQuantity: r.min_order_quantity,
      orderMultiple: r.order_multiple,
      archived: r.archived,
      product: { basePriceMinor: BigInt(r.base_price_minor), currency: r.currency, baseTiers: tiers(r.base_tiers) },
      lists: r.lists.map((l) => ({ ...l, entry: l.entry ? { unitPriceMinor: BigInt(l.entry.unitPriceMinor), tiers: tiers(l.entry.tiers) } : null })),
    },
  }));
}

export type QuotationIssued = { orderId: string; quotationId: string; number: string; version: number; totalMinor: string };

export const submitCart = defineMutation({
  name: "order.submit",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({}),
  async run(ctx): Promise<QuotationIssued> {
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    const [lines, company] = await together(takeCartLines(ctx.tx, cart), loadCompany(ctx.tx, cart.companyId));
    if (lines.length === 0) throw new DomainError("validation_failed", "Your cart is empty. Add products before asking for a quotation.");
    const today = dateIn(company.timeZone, new Date());
    const problems: string[] = [];
    const draft: DraftLine[] = [];
    for (const { quantity, input: p } of lines) {
      if (p.archived) {
        problems.push(`${p.sku} is no longer available; remove it from the cart.`);
        continue;
      }
      const problem = quantityProblem(quantity, { minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, unit: p.unit });
      if (problem) problems.push(`${p.sku}: ${problem}`);
      const price = resolveUnitPrice({ product: p.product, lists: p.lists, quantity, date: today });
      if (price.currency !== cart.currency) problems.push(`${p.sku} is priced in ${price.currency}, your account in ${cart.currency}.`);
      draft.push({ productId: p.productId, sku: p.sku, name: p.name, unit: p.unit, quantity, unitPriceMinor: price.unitPriceMinor, discountBp: 0, taxRateBp: p.taxRateBp, explanation: price.explanation });
    }
    if (problems.length) throw new DomainError("validation_failed", problems.join(" "));
    // Numbered last, in the round trip of the order's move: the sequence row stays locked until
    // commit and every other submit waits for it, so the fewer statements after taking the number,
    // the more submits per second.
    const [, quotation] = await together(
      transition(ctx, cart, "submit", { submittedAt: new Date() }),
      issueQuotation(ctx.tx, cart, draft, { version: 1, issuedBy: ctx.actor.id, company }),
    );
    await ctx.audit({ action: "quotation.issue", entityType: "quotation", entityId: quotation.id, companyId: cart.companyId, after: { number: quotation.number, version: 1, totalMinor: quotation.totalMinor } });
    return { orderId: cart.id, quotationId: quotation.id, number: quotation.number, version: 1, totalMinor: quotation.totalMinor.toString() };
  },
});

const revisedLine = z.object({
  lineNo: z.coerce.number().int().min(1),
  quantity: z.coerce.number({ error: "Enter a quantity." }).int("Enter a whole quantity.").min(0, "Enter 0 to remove a line.").max(10_000_000),
  unitPrice: z.string().trim().min(1, "Enter a unit price."),
  discountPercent: z.preprocess((v) => (v === "" || v === undefined ? "0" : v), z.coerce.number().min(0, "A discount cannot be negative.").max(100, "A discount is at most 100%.")),
});

export const reviseQuotation = defineMutation({
  name: "quotation.revise",
  entityType: "order",
  permission: "orders.revise",
  input: z.object({
    orderId: uuidField("order"),
    /** The version the revision starts from; another revision meanwhile makes this one a conflict. */
    version: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(1).optional()),
    reason: requiredText("A reason", 1000),
    lines: z.array(revisedLine).min(1),
  }),
  async run(ctx, input): Promise<QuotationIssued> {
    const order = await lockOrder(ctx, input.orderId);
    const current = await latestQuotation(ctx.tx, order.id);
    if (!current || order.status !== "quoted") throw new DomainError("conflict", "Only a quotation the customer has not yet decided on can be revised.");
    if (input.version !== undefined && input.version !== current.quotation.version) {
      throw new DomainError("conflict", `Version ${current.quotation.version} was issued meanwhile; reload the order and revise that one.`);
    }
    const digits = minorDigits(order.currency);
    const draft: DraftLine[] = [];
    for (const l of current.lines) {
      const change = input.lines.find((c) => c.lineNo === l.lineNo);
      if (!change) {
        draft.push({ ...l, explanation: l.priceExplanation });
        continue;
      }
      if (change.quantity === 0) continue;
      const unitPriceMinor = parseMoneyInput(change.unitPrice, digits);
      if (unitPriceMinor === null || unitPriceMinor < 0n) throw fieldError(`lines.${l.lineNo}.unitPrice`, `Line ${l.lineNo}: enter a price such as 12.50.`);
      const discountBp = Math.round(change.discountPercent * 100);
      const changed = unitPriceMinor !== l.unitPriceMinor || discountBp !== l.discountBp;
      draft.push({ ...l, quantity: change.quantity, unitPriceMinor, discountBp, explanation: changed ? `Revised: ${input.reason}` : l.priceExplanation });
    }
    if (draft.length === 0) throw new DomainError("validation_failed", "A quotation needs at least one line; cancel the order instead.");
    const quotation = await issueQuotation(ctx.tx, order, draft, { number: current.quotation.number, version: current.quotation.version + 1, reason: input.reason, issuedBy: ctx.actor.id });
    await transition(ctx, order, "revise", {}, `Version ${quotation.version}: ${input.reason}`);
    await ctx.audit({
      action: "quotation.revise",
      entityType: "quotation",
      entityId: quotation.id,
      companyId: order.companyId,
      before: { version: current.quotation.version, totalMinor: current.quotation.totalMinor },
      after: { version: quotation.version, totalMinor: quotation.totalMinor },
      reason: input.reason,
    });
    return { orderId: order.id, quotationId: quotation.id, number: quotation.number, version: quotation.version, totalMinor: quotation.totalMinor.toString() };
  },
});

// Read after the company row is locked (a statement of its own, so that this one's snapshot sees
// every acceptance that committed before the lock was granted):
// - exposure: open invoices plus accepted orders not yet invoiced, what the company owes or will
//   (orders.total_minor is the latest quotation's total, kept by a trigger);
// - the limits of the buyer who placed the order, and what that buyer has committed this month
//   (accepted orders, latest quotation totals), only computed when there is a monthly limit.
const acceptanceFigures = statement<
  { exposure: string; buyer_role: string | null; order_limit: string | null; monthly_limit: string | null; spent: string | null },
  { companyId: string; orderId: string; buyerId: string; now: string }
>(
  "quotations.acceptance_figures",
  sql`select
      (coalesce((select sum(total_minor) from invoices where company_id = ${p("companyId")} and status = 'open'), 0)
       + coalesce((select sum(o.total_minor) from orders o
           where o.company_id = ${p("companyId")} and o.id <> ${p("orderId")}
             and o.status in ('awaiting_customer_approval', 'awaiting_seller_approval')), 0))::text as exposure,
      u.role as buyer_role, u.order_limit_minor::text as order_limit, u.monthly_limit_minor::text as monthly_limit,
      case when u.monthly_limit_minor is not null then
        (select coalesce(sum(o.total_minor), 0) from orders o
          where o.buyer_id = u.id and o.id <> ${p("orderId")}
            and o.status in ('awaiting_customer_approval', 'awaiting_seller_approval', 'approved', 'shipped', 'delivered')
            and to_char(o.accepted_at at time zone c.time_zone, 'YYYY-MM') = to_char(${p("now")}::text::timestamptz at time zone c.time_zone, 'YYYY-MM'))::text
      end as spent
    from companies c left join users u on u.id = ${p("buyerId")}
    where c.id = ${p("companyId")}`,
);

const bigintOrNull = (v: string | null) => (v === null ? null : BigInt(v));

export const acceptQuotation = defineMutation({
  name: "quotation.accept",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({
    orderId: uuidField("order"),
    /** The version the customer was looking at: accepting never applies to a revision they have not seen. */
    quotationId: uuidField("quotation").optional(),
    poNumber: optionalText(100),
  }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    const current = await latestQuotation(ctx.tx, order.id);
    if (!current) throw new DomainError("conflict", "This order has no quotation to accept.");
    if (input.quotationId && input.quotationId !== current.quotation.id) {
      throw new DomainError("conflict", `This quotation was revised meanwhile: review version ${current.quotation.version} and accept that one.`);
    }
    // Three statements sent together (see together()): the company row is locked so that
    // concurrent acceptances see each other's credit exposure and monthly spending instead of both
    // slipping under the limits; the figures are read by the next statement, whose snapshot is taken
    // once that lock is granted; then the stock rows are locked.
    const [company, [figures], stock] = await together(
      loadCompany(ctx.tx, order.companyId, { lock: true }),
      acceptanceFigures(ctx.tx, { companyId: order.companyId, orderId: order.id, buyerId: order.buyerId, now: new Date().toISOString() }),
      lockOrderStock(ctx.tx, current.lines),
    );
    if (order.status === "quoted" && current.quotation.validUntil < new Date()) {
      throw new DomainError(
        "quotation_expired",
        `Quotation ${current.quotation.number} expired on ${formatInZone(current.quotation.validUntil, company.timeZone)}. Request a new quotation at current prices.`,
      );
    }
    const poNumber = input.poNumber || order.poNumber;
    if (company.requiresPoNumber && !poNumber) throw fieldError("poNumber", "Your company requires a purchase order number to accept a quotation.");
    assertAllowed(order, "accept");

    const total = current.quotation.totalMinor;
    const format = money(order.currency);
    // The limits of the buyer who placed the order apply, whoever of the company clicks accept;
    // only a customer admin's own acceptance needs no further customer approval.
    const limit =
      ctx.actor.role !== "customer_admin" && figures!.buyer_role === "buyer"
        ? spendingLimitCheck({
            totalMinor: total,
            orderLimitMinor: bigintOrNull(figures!.order_limit),
            monthlyLimitMinor: bigintOrNull(figures!.monthly_limit),
            spentThisMonthMinor: bigintOrNull(figures!.spent) ?? 0n,
            format,
          })
        : { overLimit: false, reason: null };
    const plan = sellerApprovalPlan({
      totalMinor: total,
      financeThresholdMinor: env().FINANCE_APPROVAL_THRESHOLD_MINOR,
      creditLimitMinor: company.creditLimitMinor,
      exposureMinor: BigInt(figures!.exposure),
      format,
    });
    const reasons = [...(limit.reason ? [`Customer approval: ${limit.reason}`] : []), ...plan.reasons];
    const [, updated] = await together(
      applyReservation(ctx.tx, order.id, stock, ctx.actor.id),
      transition(
        ctx,
        order,
        limit.overLimit ? "accept_over_limit" : "accept",
        { acceptedAt: new Date(), poNumber, needsFinanceApproval: plan.steps.includes("finance"), approvalReasons: reasons },
        `Quotation ${current.quotation.number} v${current.quotation.version} accepted`,
      ),
    );
    return { orderId: order.id, status: updated.status, approvalReasons: reasons };
  },
});

export const declineQuotation = defineMutation({
  name: "quotation.decline",
  entityType: "order",
  permission: "orders.place",
  input: z.object({ orderId: uuidField("order"), reason: requiredText("A reason", 1000) }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    const updated = await transition(ctx, order, "decline", { closedAt: new Date(), closeReason: input.reason }, input.reason);
    return { orderId: order.id, status: updated.status };
  },
});

/** Copies an order's latest quotation lines into the buyer's cart, to be priced afresh. */
export const requoteOrder = defineMutation({
  name: "order.requote",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({ orderId: uuidField("order") }),
  async run(ctx, input) {
    const order = await lockOrder(ctx, input.orderId);
    await expireIfDue({ ...ctx }, order);
    const current = await latestQuotation(ctx.tx, order.id);
    if (!current) throw new DomainError("conflict", "This order has no quotation to copy.");
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    for (const l of current.lines) {
      await ctx.tx
        .insert(cartLines)
        .values({ orderId: cart.id, productId: l.productId, quantity: l.quantity })
        .onConflictDoUpdate({ target: [cartLines.orderId, cartLines.productId], set: { quantity: sql`${cartLines.quantity} + ${l.quantity}` } });
    }
    await ctx.audit({ action: "order.requote", entityType: "order", entityId: order.id, after: { cartId: cart.id, lines: current.lines.length } });
    return { cartId: cart.id };
  },
});

/** Moves a quoted order whose quotation has passed its validity to "expired" (nothing is reserved yet). */
export async function expireIfDue(ctx: TransitionContext, order: Order, now = new Date()): Promise<Order> {
  if (order.status !== "quoted") return order;
  const current = await latestQuotation(ctx.tx, order.id);
  if (!current || current.quotation.validUntil >= now) return order;
  return transition(ctx, order, "expire", { closedAt: now, closeReason: "Quotation validity passed" }, `Valid until ${current.quotation.validUntil.toISOString()}`);
}

/**
 * Expires every quotation past its validity (npm run jobs, and lazily when an order is read).
 * Each order in its own short transaction; returns how many moved.
 */
export async function expireDueQuotations(db: { transaction: Tx["transaction"] }, now = new Date(), onlyOrderId?: string): Promise<number> {
  if (onlyOrderId !== undefined && !isUuid(onlyOrderId)) return 0;
  const due = await db.transaction(async (tx) =>
    queryRows<{ id: string }>(
      tx,
      sql`select o.id from orders o
          join lateral (select valid_until from quotations where order_id = o.id order by version desc limit 1) q on true
          where o.status = 'quoted' and q.valid_until < ${now.toISOString()}::timestamptz ${onlyOrderId ? sql`and o.id = ${onlyOrderId}` : sql``}`,
    ),
  );
  let moved = 0;
  for (const { id } of due) {
    moved += await db.transaction(async (tx) => {
      const [order] = await tx.select().from(orders).where(eq(orders.id, id)).for("update");
      if (!order) return 0;
      const after = await expireIfDue(systemContext(tx), order, now);
      return after.status === "expired" ? 1 : 0;
    });
  }
  return moved;
}

