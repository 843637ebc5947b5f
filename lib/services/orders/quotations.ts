import "server-only";
import { uuidString } from "@/lib/domain/ids";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { type AddressSnapshot, type Company, type Order } from "@/db/schema";
import type { Tx } from "@/db/client";
import { together } from "@/db/prepared";
import { addCartQuantity, insertSubmittedOrder, lockOrderRow, ordersDueForExpiry } from "@/db/queries/orders";
import { pricingInputs, type PricingInput } from "@/db/queries/catalog";
import { productsBySku } from "@/db/queries/products";
import { acceptanceFigures, insertQuotation, latestQuotation, takeCartLines } from "@/db/queries/quotations";
import { sellerApprovalPlan, spendingLimitCheck } from "@/lib/domain/approval-rules";
import { quantityProblem } from "@/lib/domain/catalog";
import { dateIn, endOfDayAfter, formatInZone } from "@/lib/domain/dates";
import { DomainError, fieldError } from "@/lib/domain/errors";
import { FieldProblems } from "@/lib/domain/field-problems";
import { optionalText, requiredText, uuidField } from "@/lib/domain/forms";
import { minorDigits, parseMoneyInput } from "@/lib/domain/money";
import { isExpiryDue, nextState } from "@/lib/domain/order-state";
import { resolveUnitPrice, snapshotRate } from "@/lib/domain/pricing";
import { documentFx, type ExchangeRate } from "@/lib/domain/currency";
import { conversionOn } from "@/db/queries/exchange-rates";
import { documentTotals, lineAmounts, ROUNDING_METHOD } from "@/lib/domain/totals";
import { env } from "@/lib/env";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { applyReservation, lockOrderStock } from "../inventory";
import { getOrCreateCart } from "./cart";
import { assertAllowed, customerActor, loadCompany, lockOrder, money, orderReference, sellerParty, systemContext, transition, type TransitionContext } from "./common";
import { sellerToday } from "@/lib/time-zone";
import { addressText } from "@/lib/domain/addresses";
import { resolveShipTo, shipToField } from "../addresses";

/** What a quotation takes from its order (placeOrder issues it in the round trip that inserts the order). */
type QuotedOrder = Pick<Order, "id" | "reference" | "companyId" | "currency" | "shipTo">;

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

/** Freezes lines, taxes and totals into an immutable quotation version. */
async function issueQuotation(
  tx: Tx,
  order: QuotedOrder,
  lines: DraftLine[],
  opts: { number?: string; version: number; reason?: string; issuedBy: string; company?: Company; shipTo?: AddressSnapshot | null; fx: ExchangeRate | null },
) {
  const company = opts.company ?? (await loadCompany(tx, order.companyId));
  // The ship-to printed is the order's copy (issue 14); a revision prints the same one.
  const shipTo = opts.shipTo !== undefined ? opts.shipTo : order.shipTo;
  const now = new Date();
  const amounts = lines.map((l) => ({ ...l, ...lineAmounts(l) }));
  const totals = documentTotals(amounts);
  return insertQuotation(tx, {
    orderId: order.id,
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
    customer: { name: company.name, address: company.billingAddress, taxId: company.taxId, timeZone: company.timeZone, ...(shipTo ? { shipTo: addressText(shipTo) } : {}) },
    terms: env().QUOTATION_TERMS,
    fx: opts.fx,
    lines: amounts.map((l) => ({
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
    numbering: opts.number ? { number: opts.number } : { year: Number(sellerToday(now).slice(0, 4)) },
  });
}

/** What issuing a quotation answers (stored with the idempotency key; the API's `return=minimal` receipt). */
export type QuotationIssued = { orderId: string; reference: string; status: "quoted"; quotationId: string; number: string; version: number; totalMinor: string; currency: string };

type LineToPrice = { quantity: number; input: PricingInput };

/**
 * Prices lines for a submission at the company's prices of today (resolveUnitPrice: the cart page's
 * pricing) after checking each product's ordering rules; every problem is reported at once.
 */
async function priceForSubmission(tx: Tx, lines: LineToPrice[], o: { currency: string; timeZone: string; unavailable: (sku: string) => string; notInAssortment: (sku: string) => string }): Promise<{ draft: DraftLine[]; fx: ExchangeRate | null }> {
  const today = dateIn(o.timeZone, new Date());
  // In the company's currency (issue 15): a price kept in another currency (the base price) is
  // converted at the latest rate on or before today, and the quotation keeps that rate.
  const seller = env().DEFAULT_CURRENCY;
  const conversion = await conversionOn(tx, o.currency, [seller, ...lines.map((l) => l.input.product.currency)], today);
  const problems: string[] = [];
  const missing = new Set<string>();
  const draft: DraftLine[] = [];
  for (const { quantity, input: p } of lines) {
    if (p.archived) {
      problems.push(o.unavailable(p.sku));
      continue;
    }
    if (!p.inAssortment) {
      problems.push(o.notInAssortment(p.sku));
      continue;
    }
    const problem = quantityProblem(quantity, { minOrderQuantity: p.minOrderQuantity, orderMultiple: p.orderMultiple, unit: p.unit });
    if (problem) problems.push(`${p.sku}: ${problem}`);
    const price = resolveUnitPrice({ product: p.product, lists: p.lists, quantity, date: today, conversion });
    if (price.rateMissing) missing.add(price.rateMissing.from);
    else if (price.currency !== o.currency) problems.push(`${p.sku} is priced in ${price.currency}, your account in ${o.currency}.`);
    draft.push({ productId: p.productId, sku: p.sku, name: p.name, unit: p.unit, quantity, unitPriceMinor: price.unitPriceMinor, discountBp: 0, taxRateBp: p.taxRateBp, explanation: price.explanation });
  }
  for (const from of missing) {
    problems.push(`No exchange rate from ${from} to ${o.currency} is recorded on or before ${today}, so prices in ${from} cannot be converted to your currency. Please contact the seller; nothing was submitted.`);
  }
  if (problems.length) throw new DomainError("validation_failed", problems.join(" "));
  return { draft, fx: snapshotRate(conversion, seller) };
}

/**
 * The first quotation of a submitted order, sent together with the statement that moves the order
 * (`move`, when the order existed before): numbered last, in the move's round trip, since the
 * sequence row stays locked until commit and every other submit waits for it (the fewer statements
 * after taking the number, the more submits per second). Audited and announced.
 */
async function issueFirstQuotation(ctx: MutationContext, order: QuotedOrder, draft: DraftLine[], company: Company, shipTo: AddressSnapshot | null, fx: ExchangeRate | null, move: () => Promise<unknown> = async () => undefined): Promise<QuotationIssued> {
  const [, quotation] = await together(move(), issueQuotation(ctx.tx, order, draft, { version: 1, issuedBy: ctx.actor.id, company, shipTo, fx }));
  await ctx.audit({ action: "quotation.issue", entityType: "quotation", entityId: quotation.id, companyId: order.companyId, after: { number: quotation.number, version: 1, totalMinor: quotation.totalMinor } });
  await ctx.emit({ type: "quotation.issued", companyId: order.companyId, data: { orderId: order.id, reference: order.reference, quotationId: quotation.id, number: quotation.number, version: 1, totalMinor: quotation.totalMinor, currency: order.currency } });
  return { orderId: order.id, reference: order.reference, status: "quoted", quotationId: quotation.id, number: quotation.number, version: 1, totalMinor: quotation.totalMinor.toString(), currency: order.currency };
}

export const submitCart = defineMutation({
  name: "order.submit",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  // The ship-to the buyer picked (default: the company's default ship-to), copied onto the order.
  input: z.object({ shipToAddressId: shipToField }),
  async run(ctx, input): Promise<QuotationIssued> {
    const cart = await getOrCreateCart(ctx.tx, ctx.actor);
    customerActor(ctx.actor);
    const ship = await resolveShipTo(ctx.tx, ctx.actor, input.shipToAddressId);
    const [lines, company] = await together(takeCartLines(ctx.tx, cart), loadCompany(ctx.tx, cart.companyId));
    if (lines.length === 0) throw new DomainError("validation_failed", "Your cart is empty. Add products before asking for a quotation.");
    const { draft, fx } = await priceForSubmission(ctx.tx, lines, { currency: cart.currency, timeZone: company.timeZone, unavailable: (sku) => `${sku} is no longer available; remove it from the cart.`, notInAssortment: (sku) => `${sku} is no longer in your company's assortment; remove it from the cart.` });
    return issueFirstQuotation(ctx, cart, draft, company, ship.shipTo, fx, () => transition(ctx, cart, "submit", { submittedAt: new Date(), shipTo: ship.shipTo, shipToAddressId: ship.shipToAddressId }));
  },
});

export const MAX_ORDER_LINES = 500;

const placedLine = z.union([
  z.strictObject({ sku: z.string().trim().min(1, "Give a SKU.").max(100), quantity: z.int("Give a whole quantity.").min(1, "The quantity is at least 1.").max(10_000_000) }),
  z.strictObject({ productId: uuidString("Give a product id (a UUID)."), quantity: z.int("Give a whole quantity.").min(1, "The quantity is at least 1.").max(10_000_000) }),
], { error: "Each line is { sku, quantity } or { productId, quantity }." });

/** The lines of an order placed from lines (the API's POST /orders body validates with it too). */
export const placedLinesSchema = z.array(placedLine).min(1, "An order needs at least one line.").max(MAX_ORDER_LINES, `At most ${MAX_ORDER_LINES} lines.`);

export const placeOrderInput = z.object({
  lines: placedLinesSchema,
  poNumber: optionalText(100),
  notes: optionalText(2000),
  shipToAddressId: shipToField,
});

/**
 * An order placed from lines, submitted for quotation in the same transaction: priced and checked
 * exactly as a submitted cart (priceForSubmission, issueFirstQuotation), without touching the
 * buyer's cart. A product given twice is one line of the summed quantity, as in the cart.
 */
export const placeOrder = defineMutation({
  name: "order.place",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: placeOrderInput,
  async run(ctx, input): Promise<QuotationIssued> {
    customerActor(ctx.actor);
    const companyId = ctx.actor.companyId;
    const skus = input.lines.flatMap((l) => ("sku" in l ? [l.sku] : []));
    const bySku = skus.length ? await productsBySku(ctx.tx, skus) : new Map<string, { id: string }>();
    const problems = new FieldProblems();
    const quantities = new Map<string, number>();
    input.lines.forEach((l, i) => {
      const productId = "sku" in l ? bySku.get(l.sku.toLowerCase())?.id : l.productId;
      if (!productId) problems.add(`lines.${i}.sku`, `Line ${i + 1}: no product has SKU ${"sku" in l ? l.sku : ""}.`);
      else quantities.set(productId, (quantities.get(productId) ?? 0) + l.quantity);
    });
    const [ship, inputs, company] = await together(resolveShipTo(ctx.tx, ctx.actor, input.shipToAddressId), pricingInputs(ctx.tx, companyId, [...quantities.keys()]), loadCompany(ctx.tx, companyId));
    input.lines.forEach((l, i) => {
      // Outside the company's assortment a product answers like one that does not exist.
      const id = "productId" in l ? l.productId : bySku.get(l.sku.toLowerCase())?.id;
      const visible = id !== undefined && inputs.get(id)?.inAssortment === true;
      if ("productId" in l && !visible) problems.add(`lines.${i}.productId`, `Line ${i + 1}: no product has id ${l.productId}.`);
      else if ("sku" in l && id !== undefined && !visible) problems.add(`lines.${i}.sku`, `Line ${i + 1}: no product has SKU ${l.sku}.`);
    });
    problems.throwIfAny();
    const lines = [...quantities].map(([productId, quantity]) => ({ quantity, input: inputs.get(productId)! }));
    const { draft, fx } = await priceForSubmission(ctx.tx, lines, { currency: company.currency, timeZone: company.timeZone, unavailable: (sku) => `${sku} is no longer available.`, notInAssortment: (sku) => `${sku} is no longer available.` });
    const to = nextState("draft", "submit")!;
    const now = new Date();
    const order = { id: randomUUID(), reference: orderReference(), companyId, buyerId: ctx.actor.id, currency: company.currency, poNumber: input.poNumber, notes: input.notes, status: to, submittedAt: now, ...ship };
    // The order is inserted by the statement sent just before the quotation's, in its round trip
    // (the server runs them in order: the quotation's reference to the order holds).
    const placed = await issueFirstQuotation(ctx, order, draft, company, ship.shipTo, fx, () => insertSubmittedOrder(ctx.tx, { ...order, actorRole: ctx.actor.role }));
    await ctx.audit({ action: "order.place", entityType: "order", entityId: order.id, companyId, after: { reference: order.reference, status: to, version: 1, lines: draft.length, poNumber: input.poNumber } });
    await ctx.emit({ type: "order.status_changed", companyId, data: { orderId: order.id, reference: order.reference, event: "submit", previousStatus: null, status: to, version: 1 } });
    return placed;
  },
});

// Each line's problems are named by its line number and reported together, with the other fields'
// (a per-field schema would report "Enter a whole quantity." without saying for which line).
const revisedLine = z.object({
  lineNo: z.coerce.number().int().min(1),
  quantity: z.coerce.string().trim(),
  unitPrice: z.coerce.string().trim(),
  discountPercent: z.preprocess((v) => (v === undefined || v === null ? "" : v), z.coerce.string().trim()),
});

const revisedLines = z
  .array(revisedLine)
  .min(1)
  .transform((lines, ctx) =>
    lines.map((l) => {
      const problem = (message: string) => ctx.addIssue({ code: "custom", message: `Line ${l.lineNo}: ${message}` });
      const quantity = Number(l.quantity);
      if (l.quantity === "") problem("enter a quantity (0 removes the line).");
      else if (!Number.isInteger(quantity)) problem("enter a whole quantity.");
      else if (quantity < 0) problem("enter 0 to remove a line, not a negative quantity.");
      else if (quantity > 10_000_000) problem("enter a quantity of at most 10,000,000.");
      if (l.unitPrice === "") problem("enter a unit price.");
      const discountPercent = l.discountPercent === "" ? 0 : Number(l.discountPercent);
      if (!Number.isFinite(discountPercent)) problem("enter the discount as a number, such as 5.");
      else if (discountPercent < 0) problem("a discount cannot be negative.");
      else if (discountPercent > 100) problem("a discount is at most 100%.");
      return { lineNo: l.lineNo, quantity, unitPrice: l.unitPrice, discountPercent };
    }),
  );

export const reviseQuotation = defineMutation({
  name: "quotation.revise",
  entityType: "order",
  permission: "orders.revise",
  input: z.object({
    orderId: uuidField("order"),
    /** The version the revision starts from; another revision meanwhile makes this one a conflict. */
    version: z.preprocess((v) => (v === "" || v === null ? undefined : v), z.coerce.number().int().min(1).optional()),
    reason: requiredText("A reason", 1000),
    lines: revisedLines,
  }),
  async run(ctx, input): Promise<QuotationIssued> {
    const order = await lockOrder(ctx, input.orderId);
    const current = await latestQuotation(ctx.tx, order.id);
    if (!current || order.status !== "quoted") throw new DomainError("conflict", "Only a quotation the customer has not yet decided on can be revised.");
    if (input.version !== undefined && input.version !== current.quotation.version) {
      throw new DomainError("conflict", `Version ${current.quotation.version} was issued meanwhile; reload the order and revise that one.`);
    }
    const digits = minorDigits(order.currency);
    const problems = new FieldProblems();
    const draft: DraftLine[] = [];
    for (const l of current.lines) {
      const change = input.lines.find((c) => c.lineNo === l.lineNo);
      if (!change) {
        draft.push({ ...l, explanation: l.priceExplanation });
        continue;
      }
      if (change.quantity === 0) continue;
      const unitPriceMinor = parseMoneyInput(change.unitPrice, digits);
      if (unitPriceMinor === null || unitPriceMinor < 0n) {
        problems.add(`lines.${l.lineNo}.unitPrice`, `Line ${l.lineNo}: enter a price such as 12.50.`);
        continue;
      }
      const discountBp = Math.round(change.discountPercent * 100);
      const changed = unitPriceMinor !== l.unitPriceMinor || discountBp !== l.discountBp;
      draft.push({ ...l, quantity: change.quantity, unitPriceMinor, discountBp, explanation: changed ? `Revised: ${input.reason}` : l.priceExplanation });
    }
    problems.throwIfAny();
    if (draft.length === 0) throw new DomainError("validation_failed", "A quotation needs at least one line; cancel the order instead.");
    const quotation = await issueQuotation(ctx.tx, order, draft, { number: current.quotation.number, version: current.quotation.version + 1, reason: input.reason, issuedBy: ctx.actor.id, fx: documentFx(current.quotation) });
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
    await ctx.emit({ type: "quotation.issued", companyId: order.companyId, data: { orderId: order.id, reference: order.reference, quotationId: quotation.id, number: quotation.number, version: quotation.version, totalMinor: quotation.totalMinor, currency: order.currency } });
    return { orderId: order.id, reference: order.reference, status: "quoted", quotationId: quotation.id, number: quotation.number, version: quotation.version, totalMinor: quotation.totalMinor.toString(), currency: order.currency };
  },
});

export const acceptQuotation = defineMutation({
  name: "quotation.accept",
  entityType: "order",
  permission: "orders.place",
  idempotent: true,
  input: z.object({
    orderId: uuidField("order"),
    /** The version the customer was looking at: accepting never applies to a revision they have not seen. */
    quotationId: uuidField("quotation").optional(),
    /** The same by version number (the API's accept names the version it accepts). */
    quotationVersion: z.int().min(1).optional(),
    poNumber: optionalText(100),
  }),
  async run(ctx, input) {
    // The quotation is read by the statement sent behind the order's lock, in its round trip: its
    // snapshot is taken once the lock is granted (see together()). Another company's order answers
    // not found (lockOrder) and its quotation, read for nothing, is never looked at.
    const [order, current] = await together(lockOrder(ctx, input.orderId), latestQuotation(ctx.tx, input.orderId));
    if (!current) throw new DomainError("conflict", "This order has no quotation to accept.");
    if (input.quotationId && input.quotationId !== current.quotation.id) {
      throw new DomainError("conflict", `This quotation was revised meanwhile: review version ${current.quotation.version} and accept that one.`);
    }
    if (input.quotationVersion !== undefined && input.quotationVersion !== current.quotation.version) {
      throw new DomainError("conflict", `Version ${input.quotationVersion} is not the current quotation: review version ${current.quotation.version} and accept that one.`);
    }
    // Three statements sent together (see together()): the company row is locked so that
    // concurrent acceptances see each other's credit exposure and monthly spending instead of both
    // slipping under the limits; the figures are read by the next statement, whose snapshot is taken
    // once that lock is granted; then the stock rows are locked.
    const [company, figures, stock] = await together(
      loadCompany(ctx.tx, order.companyId, { lock: true }),
      acceptanceFigures(ctx.tx, { companyId: order.companyId, orderId: order.id, buyerId: order.buyerId, now: new Date() }),
      lockOrderStock(ctx.tx, current.lines),
    );
    if (isExpiryDue(order.status, current.quotation.validUntil)) {
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
      ctx.actor.role !== "customer_admin" && figures.buyerRole === "buyer"
        ? spendingLimitCheck({
            totalMinor: total,
            orderLimitMinor: figures.orderLimitMinor,
            monthlyLimitMinor: figures.monthlyLimitMinor,
            spentThisMonthMinor: figures.spentThisMonthMinor ?? 0n,
            format,
          })
        : { overLimit: false, reason: null };
    const plan = sellerApprovalPlan({
      totalMinor: total,
      financeThresholdMinor: env().FINANCE_APPROVAL_THRESHOLD_MINOR,
      creditLimitMinor: company.creditLimitMinor,
      exposureMinor: figures.exposureMinor,
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
    const q = current.quotation;
    return {
      orderId: order.id,
      reference: order.reference,
      status: updated.status,
      approvalReasons: reasons,
      quotation: { id: q.id, number: q.number, version: q.version, totalMinor: q.totalMinor.toString() },
      currency: order.currency,
    };
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
    for (const l of current.lines) await addCartQuantity(ctx.tx, { orderId: cart.id, productId: l.productId, quantity: l.quantity });
    await ctx.audit({ action: "order.requote", entityType: "order", entityId: order.id, after: { cartId: cart.id, lines: current.lines.length } });
    return { cartId: cart.id };
  },
});

/** Moves a quoted order whose quotation has passed its validity to "expired" (nothing is reserved yet). */
export async function expireIfDue(ctx: TransitionContext, order: Order, now = new Date()): Promise<Order> {
  if (order.status !== "quoted") return order;
  const current = await latestQuotation(ctx.tx, order.id);
  if (!current || !isExpiryDue(order.status, current.quotation.validUntil, now)) return order;
  return transition(ctx, order, "expire", { closedAt: now, closeReason: "Quotation validity passed" }, `Valid until ${current.quotation.validUntil.toISOString()}`);
}

/**
 * Expires every quotation past its validity (npm run jobs, and lazily when an order is read).
 * Each order in its own short transaction; returns how many moved.
 */
export async function expireDueQuotations(db: { transaction: Tx["transaction"] }, now = new Date(), onlyOrderId?: string): Promise<number> {
  const due = await db.transaction((tx) => ordersDueForExpiry(tx, now, onlyOrderId));
  let moved = 0;
  for (const id of due) {
    moved += await db.transaction(async (tx) => {
      const order = await lockOrderRow(tx, id);
      if (!order) return 0;
      const after = await expireIfDue(systemContext(tx), order, now);
      return after.status === "expired" ? 1 : 0;
    });
  }
  return moved;
}

