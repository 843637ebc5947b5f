import "server-only";
import { desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { cartLines, companies, orders, quotationLines, quotations, users, type Company, type Order, type Quotation, type QuotationLine } from "@/db/schema";
import { pricingInputs } from "@/db/queries/catalog";
import { queryRows, type Tx } from "@/lib/db";
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
import { reserveOrderStock } from "../inventory";
import { nextDocumentNumber } from "../document-numbers";
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

export async function latestQuotation(tx: Tx, orderId: string): Promise<{ quotation: Quotation; lines: QuotationLine[] } | null> {
  const [quotation] = await tx.select().from(quotations).where(eq(quotations.orderId, orderId)).orderBy(desc(quotations.version)).limit(1);
  if (!quotation) return null;
  const lines = await tx.select().from(quotationLines).where(eq(quotationLines.quotationId, quotation.id)).orderBy(quotationLines.lineNo);
  return { quotation, lines };
}

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
  const number = opts.number ?? (await nextDocumentNumber(tx, "Q", Number(sellerToday(now).slice(0, 4))));
  const [quotation] = await tx
    .insert(quotations)
    .values({
      orderId: order.id,
      number,
      version: opts.version,
      issuedAt: now,
      validUntil: endOfDayAfter(now, company.quoteValidityDays, company.timeZone),
      currency: order.currency,
      subtotalMinor: totals.subtotalMinor,
      taxMinor: totals.taxMinor,
      totalMinor: totals.totalMinor,
      roundingMethod: ROUNDING_METHOD,
      revisionReason: opts.reason ?? null,
      issuedBy: opts.issuedBy,
      seller: sellerParty(),
      customer: { name: company.name, address: company.billingAddress, taxId: company.taxId, timeZone: company.timeZone },
      terms: env().QUOTATION_TERMS,
    })
    .returning();
  await tx.insert(quotationLines).values(
    amounts.map((l, i) => ({
      quotationId: quotation!.id,
      lineNo: i + 1,
      productId: l.productId,
      sku: l.sku,
      name: l.name,
      unit: l.unit,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
      discountBp: l.discountBp,
      netMinor: l.netMinor,
      taxRateBp: l.taxRateBp,
      taxMinor: l.taxMinor,
      totalMinor: l.totalMinor,
      priceExplanation: l.explanation,
    })),
  );
  return quotation!;
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
    const lines = await ctx.tx.select().from(cartLines).where(eq(cartLines.orderId, cart.id)).orderBy(cartLines.addedAt, cartLines.productId);
    if (lines.length === 0) throw new DomainError("validation_failed", "Your cart is empty. Add products before asking for a quotation.");
    const company = await loadCompany(ctx.tx, cart.companyId);
    const today = dateIn(company.timeZone, new Date());
    const inputs = await pricingInputs(ctx.tx, cart.companyId, lines.map((l) => l.productId));
    const problems: string[] = [];
    const draft: DraftLine[] = [];
    for (const l of lines) {
      const p = inputs.get(l.productId);
      if (!p || p.archived) {
        problems.push(`${p?.sku ?? "A product"} is no longer available; remove it from the cart.`);
        continue;
      }
      const problem = quantityProblem(l.quantity, { minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, unit: p.unit });
      if (problem) problems.push(`${p.sku}: ${problem}`);
      const price = resolveUnitPrice({ product: p.product, lists: p.lists, quantity: l.quantity, date: today });
      if (price.currency !== cart.currency) problems.push(`${p.sku} is priced in ${price.currency}, your account in ${cart.currency}.`);
      draft.push({ productId: p.productId, sku: p.sku, name: p.name, unit: p.unit, quantity: l.quantity, unitPriceMinor: price.unitPriceMinor, discountBp: 0, taxRateBp: p.taxRateBp, explanation: price.explanation });
    }
    if (problems.length) throw new DomainError("validation_failed", problems.join(" "));
    await ctx.tx.delete(cartLines).where(eq(cartLines.orderId, cart.id));
    await transition(ctx, cart, "submit", { submittedAt: new Date() });
    // Numbered last: the sequence row stays locked until commit and every other submit waits for it,
    // so the fewer statements after taking the number, the more submits per second.
    const quotation = await issueQuotation(ctx.tx, cart, draft, { version: 1, issuedBy: ctx.actor.id, company });
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

/** Open invoices plus accepted orders not yet invoiced: what the company already owes or will. */
async function creditExposure(tx: Tx, companyId: string, exceptOrderId: string): Promise<bigint> {
  const [row] = await queryRows<{ exposure: string | null }>(
    tx,
    sql`select
      coalesce((select sum(total_minor) from invoices where company_id = ${companyId} and status = 'open'), 0)
      + coalesce((select sum(q.total_minor) from orders o
          join lateral (select total_minor from quotations where order_id = o.id order by version desc limit 1) q on true
          where o.company_id = ${companyId} and o.id <> ${exceptOrderId}
            and o.status in ('awaiting_customer_approval', 'awaiting_seller_approval')), 0) as exposure`,
  );
  return BigInt(row?.exposure ?? 0);
}

/** What a buyer has committed this month (accepted orders, latest quotation totals). */
async function buyerSpentThisMonth(tx: Tx, buyerId: string, timeZone: string, exceptOrderId: string): Promise<bigint> {
  const month = dateIn(timeZone, new Date()).slice(0, 7);
  const [row] = await queryRows<{ spent: string | null }>(
    tx,
    sql`select coalesce(sum(q.total_minor), 0) as spent from orders o
        join lateral (select total_minor from quotations where order_id = o.id order by version desc limit 1) q on true
        where o.buyer_id = ${buyerId} and o.id <> ${exceptOrderId}
          and o.status in ('awaiting_customer_approval', 'awaiting_seller_approval', 'approved', 'shipped', 'delivered')
          and to_char(o.accepted_at at time zone ${timeZone}, 'YYYY-MM') = ${month}`,
  );
  return BigInt(row?.spent ?? 0);
}

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
    // The company row is locked so that concurrent acceptances see each other's credit exposure
    // and monthly spending instead of both slipping under the limits.
    const [company] = await ctx.tx.select().from(companies).where(eq(companies.id, order.companyId)).for("update");
    if (!company) throw new DomainError("not_found", "Company not found.");
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
    const [buyer] = await ctx.tx.select().from(users).where(eq(users.id, order.buyerId));
    const limit =
      ctx.actor.role !== "customer_admin" && buyer && buyer.role === "buyer"
        ? spendingLimitCheck({
            totalMinor: total,
            orderLimitMinor: buyer.orderLimitMinor,
            monthlyLimitMinor: buyer.monthlyLimitMinor,
            spentThisMonthMinor: buyer.monthlyLimitMinor === null ? 0n : await buyerSpentThisMonth(ctx.tx, buyer.id, company.timeZone, order.id),
            format,
          })
        : { overLimit: false, reason: null };
    const plan = sellerApprovalPlan({
      totalMinor: total,
      financeThresholdMinor: env().FINANCE_APPROVAL_THRESHOLD_MINOR,
      creditLimitMinor: company.creditLimitMinor,
      exposureMinor: await creditExposure(ctx.tx, company.id, order.id),
      format,
    });
    await reserveOrderStock(ctx.tx, order.id, current.lines, ctx.actor.id);
    const reasons = [...(limit.reason ? [`Customer approval: ${limit.reason}`] : []), ...plan.reasons];
    const updated = await transition(
      ctx,
      order,
      limit.overLimit ? "accept_over_limit" : "accept",
      { acceptedAt: new Date(), poNumber, needsFinanceApproval: plan.steps.includes("finance"), approvalReasons: reasons },
      `Quotation ${current.quotation.number} v${current.quotation.version} accepted`,
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

