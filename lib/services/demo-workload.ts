import type { Db } from "@/db/client";
import { db } from "@/db/client";
import { rewriteOrderTimelines, type TimelineAnchor } from "@/db/queries/order-history";
import { invoiceBalances } from "@/db/queries/invoice-balances";
import { latestQuotation } from "@/db/queries/quotations";
import { userByEmail } from "@/db/queries/users";
import type { Actor } from "@/lib/domain/actor";
import { env } from "@/lib/env";
import { runMutation, newRequestContext, type Mutation } from "@/lib/mutation";
import { createCompany } from "@/lib/services/companies";
import { receiveStock } from "@/lib/services/inventory";
import { approveOrder, customerApproveOrder, customerRejectOrder, rejectOrder } from "@/lib/services/orders/approvals";
import { quickOrder } from "@/lib/services/orders/cart";
import { cancelOrderByCustomer, cancelOrderByStaff, deliverOrder, shipOrder } from "@/lib/services/orders/fulfilment";
import { approveReturn, receiveReturn, rejectReturn, requestReturn } from "@/lib/services/returns";
import { acceptQuotation, declineQuotation, expireDueQuotations, reviseQuotation, submitCart } from "@/lib/services/orders/quotations";
import { recordManualPayment, refundPayment, rejectPayment, submitRemittance, verifyPayment } from "@/lib/services/payments";
import { createPriceList, setPriceListAssignment, upsertPriceListEntry } from "@/lib/services/price-lists";
import { createProduct } from "@/lib/services/products";
import { createUser, setSpendingLimits } from "@/lib/services/users";
import { sellerToday } from "@/lib/time-zone";
import type { z } from "zod";

// A seeded random workload driven through the real services (the functions the server actions
// call), then spread over the past year by rewriting each order's timestamps as the owner
// (db/queries/order-history.ts): the analytics brute-force test runs it, and the seed's demo history
// (npm run db:seed -- --history) is the same generator with plausible companies and the catalogue.
//
// Per order the scenario is drawn from the seed: quotation (revised or not), then declined, expired,
// cancelled, left open or accepted; accepted orders may need the customer admin (buyers with spending
// limits), sales and finance (large totals, exposure beyond the credit limit) and each stage may
// approve, reject or stay pending; invoiced orders may be cancelled (credit note), shipped and
// delivered, and paid in full or in part, by verified manual payments or remittances that stay
// pending, are verified, rejected, or verified and later refunded. Every payment is allocated to
// the order's one invoice, so it moves with that order in time.
//
// While an order runs, each step records a checkpoint (the real instant before it) with the time
// the step should appear to take (hours to weeks); afterwards the order is placed at a random age
// in the spread (recent for open quotations and pending approvals, so their ages are plausible) and
// the checkpoints become the anchors of its rewrite. Same seed, same scenarios and shifts (amounts
// and dates then differ only by the day the run happens on).

export type WorkloadProduct = {
  id: string; sku: string; minOrderQuantity: number; orderMultiple: number; category: string;
  /** Sold to customers in another currency, at this price (minor units; random when not given). */
  foreign: boolean; foreignPriceMinor?: bigint;
};

export type WorkloadCompany = {
  name: string;
  currency: "EUR" | "USD";
  creditLimit: string;
  paymentTermsDays: number;
  quoteValidityDays: number;
  timeZone: string;
  buyers: { name: string; email?: string; orderLimit?: string; monthlyLimit?: string }[];
  /** How often this company orders, relative to the others. */
  weight: number;
  /** Its customer admin (else one named after the first buyer). */
  approver?: { name: string; email: string };
  /** A company that exists already, with its users (no customer approvals without an approver). */
  existing?: { id: string; buyers: Actor[]; approver: Actor | null };
};

export type WorkloadOptions = {
  seed: number;
  orders: number;
  /** Runs `fn` as the schema owner (tests: withOwner; the seed: its owner connection). */
  asOwner: <T>(fn: (owner: Db) => Promise<T>) => Promise<T>;
  /** Makes names and e-mail addresses unique when several workloads share a database. */
  label: string;
  /** The e-mail domain of the customer users created. */
  emailDomain?: string;
  companies?: WorkloadCompany[];
  /** Products to order (else the workload creates its own, in four categories, with ample stock). */
  products?: WorkloadProduct[];
  /** "test": every path often; "demo": what a healthy business looks like (mostly accepted, approved and paid). */
  profile?: "test" | "demo";
  spreadDays?: number;
  password?: string;
  now?: Date;
  log?: (line: string) => void;
};

export type WorkloadResult = {
  seed: number;
  companyIds: string[];
  orderIds: string[];
  /** How many orders ended in each status, and how many payments of each kind were made. */
  counts: Record<string, number>;
  seconds: number;
};

export function defaultWorkloadCompanies(label: string): WorkloadCompany[] {
  return [
    { name: `${label} Northwind Traders`, currency: "EUR", creditLimit: "30000.00", paymentTermsDays: 30, quoteValidityDays: 14, timeZone: "Europe/Berlin", weight: 4, buyers: [{ name: "Nora North", orderLimit: "900.00", monthlyLimit: "4000.00" }, { name: "Ned North" }] },
    { name: `${label} Contoso Tools`, currency: "EUR", creditLimit: "6000.00", paymentTermsDays: 14, quoteValidityDays: 5, timeZone: "Europe/Vienna", weight: 3, buyers: [{ name: "Carl Contoso", orderLimit: "500.00" }] },
    { name: `${label} Fabrikam Inc`, currency: "USD", creditLimit: "25000.00", paymentTermsDays: 45, quoteValidityDays: 10, timeZone: "America/New_York", weight: 2, buyers: [{ name: "Fay Fabrikam" }] },
    { name: `${label} Tailspin Works`, currency: "EUR", creditLimit: "0", paymentTermsDays: 60, quoteValidityDays: 21, timeZone: "Europe/Berlin", weight: 1, buyers: [{ name: "Tom Tailspin", monthlyLimit: "2500.00" }] },
  ];
}

/** mulberry32: small, fast, good enough for test data, and the same on every machine. */
export function seededRandom(seed: number) {
  let s = seed | 0;
  const next = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    weighted: <T>(items: readonly { weight: number; value: T }[]): T => {
      let r = next() * items.reduce((s, i) => s + i.weight, 0);
      for (const i of items) if ((r -= i.weight) < 0) return i.value;
      return items.at(-1)!.value;
    },
  };
}

/** A seed for this run: ANALYTICS_SEED when set (replay), else a random one (printed by the caller). */
export function workloadSeed(fromEnv: string | undefined): number {
  const n = Number(fromEnv);
  return fromEnv && Number.isInteger(n) ? n : Math.floor(Math.random() * 2 ** 31);
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Checkpoint = { real: Date; gapMs: number };
type OrderRun = { orderId: string; checkpoints: Checkpoint[]; age: "any" | "open_quote" | "pending" | "recent"; termsDays: number };

const decimal = (minor: bigint) => `${minor / 100n}.${String(minor % 100n).padStart(2, "0")}`;

export async function runAnalyticsWorkload(opts: WorkloadOptions): Promise<WorkloadResult> {
  const started = Date.now();
  const rnd = seededRandom(opts.seed);
  const log = opts.log ?? (() => {});
  const label = opts.label;
  const domain = opts.emailDomain ?? `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.test`;
  const password = opts.password ?? env().DEMO_PASSWORD;
  const counts: Record<string, number> = {};
  const count = (key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  let keyNo = 0;
  const demo = opts.profile === "demo";
  /** A scenario's weight (or probability) in the test and the demo profile. */
  const w = (test: number, demoWeight: number) => (demo ? demoWeight : test);

  const staff = async (email: string): Promise<Actor> => {
    const u = await userByEmail(db, email);
    if (!u) throw new Error(`the workload needs the demo user ${email} (run the seed first)`);
    return { id: u.id, email, name: email, role: u.role, companyId: null };
  };
  const [admin, sales, finance] = await Promise.all([staff("admin@demo.test"), staff("sales@demo.test"), staff("finance@demo.test")]);

  /** Runs a mutation as `actor`; a refusal is a bug in the workload (or the services), never ignored. */
  async function run<S extends z.ZodType, T>(def: Mutation<S, T>, actor: Actor, input: Record<string, unknown>): Promise<T> {
    const result = await runMutation(def, { actor, request: newRequestContext({ ip: "192.0.2.1", userAgent: "analytics-workload" }), idempotencyKey: `wl-${label.replace(/[^A-Za-z0-9]/g, "")}-${opts.seed}-${keyNo++}` }, input);
    if (!result.ok) throw new Error(`workload (seed ${opts.seed}): ${def.name} refused: ${result.error} ${JSON.stringify(result.fieldErrors ?? {})}`);
    return result.data;
  }

  // Companies, their buyers (some with spending limits) and a customer admin each.
  const specs = opts.companies ?? defaultWorkloadCompanies(label);
  type Customer = { spec: WorkloadCompany; id: string; buyers: Actor[]; approver: Actor | null };
  const customers: Customer[] = [];
  const emailOf = (name: string) => `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@${domain}`;
  for (const spec of specs) {
    if (spec.existing) {
      customers.push({ spec, ...spec.existing });
      continue;
    }
    const company = await run(createCompany, admin, {
      name: spec.name,
      billingAddress: `${spec.name}\nDemo Street 1`,
      taxId: "",
      paymentTermsDays: spec.paymentTermsDays,
      creditLimit: spec.creditLimit,
      currency: spec.currency,
      timeZone: spec.timeZone,
      active: true,
      quoteValidityDays: spec.quoteValidityDays,
      requiresPoNumber: false,
    });
    const user = async (name: string, role: "buyer" | "customer_admin", given?: string): Promise<Actor> => {
      const email = given ?? emailOf(name);
      const u = await run(createUser, admin, { email, name, role, companyId: company.id, password });
      return { id: u.id, email, name, role, companyId: company.id };
    };
    const buyers: Actor[] = [];
    for (const b of spec.buyers) {
      const buyer = await user(b.name, "buyer", b.email);
      if (b.orderLimit || b.monthlyLimit) await run(setSpendingLimits, admin, { id: buyer.id, orderLimit: b.orderLimit ?? "", monthlyLimit: b.monthlyLimit ?? "" });
      buyers.push(buyer);
    }
    const approver = spec.approver ? await user(spec.approver.name, "customer_admin", spec.approver.email) : await user(`${spec.buyers[0]!.name.split(" ")[1]} Admin ${spec.name.split(" ").at(-1)}`, "customer_admin");
    customers.push({ spec, id: company.id, buyers, approver });
  }

  // Products: given, or four categories of our own with ample stock.
  let products = opts.products;
  if (!products) {
    const made: WorkloadProduct[] = [];
    const catalogue: [string, string, string, string][] = [
      ["Bearings", "Ball bearing 6204", "12.50", "19"],
      ["Bearings", "Roller bearing 32008", "48.90", "19"],
      ["Hydraulics", "Hydraulic hose 1m", "23.40", "19"],
      ["Hydraulics", "Gear pump 8cc", "289.00", "19"],
      ["Safety", "Hard hat", "18.75", "19"],
      ["Safety", "Fall arrest harness", "134.00", "19"],
      ["Paper", "Label rolls", "7.10", "7"],
      ["Paper", "Printer paper A3", "31.20", "7"],
    ];
    for (const [i, [category, name, price, tax]] of catalogue.entries()) {
      const sku = `WL-${opts.seed}-${label.replace(/[^A-Za-z0-9]/g, "").slice(0, 10)}-${i}`;
      const p = await run(createProduct, admin, { sku, name, category, basePrice: price, taxRate: tax });
      await run(receiveStock, admin, { productId: p.id, quantity: 1_000_000 });
      made.push({ id: p.id, sku, minOrderQuantity: 1, orderMultiple: 1, category, foreign: i % 4 !== 3 });
    }
    products = made;
  }
  // Customers in another currency than the products' buy from a price list in theirs.
  const base = env().DEFAULT_CURRENCY;
  const year = Number(sellerToday().slice(0, 4));
  for (const c of customers.filter((c) => c.spec.currency !== base)) {
    const list = await run(createPriceList, admin, { name: `${c.spec.name} ${c.spec.currency}`, currency: c.spec.currency, validFrom: `${year - 1}-01-01`, validTo: `${year + 1}-12-31` });
    for (const p of products.filter((p) => p.foreign)) {
      const unitPrice = p.foreignPriceMinor !== undefined ? decimal(p.foreignPriceMinor) : `${rnd.int(5, 300)}.${rnd.int(10, 99)}`;
      await run(upsertPriceListEntry, admin, { priceListId: list.id, sku: p.sku, unitPrice, tiers: "" });
    }
    await run(setPriceListAssignment, admin, { priceListId: list.id, companyId: c.id, assigned: "true" });
  }

  const runs: OrderRun[] = [];
  let returnsShown = 0;
  const today = () => sellerToday();
  const pickCustomer = () => rnd.weighted(customers.map((c) => ({ weight: c.spec.weight, value: c })));

  for (let n = 0; n < opts.orders; n++) {
    const customer = pickCustomer();
    const buyer = customer.approver && rnd.chance(0.1) ? customer.approver : rnd.pick(customer.buyers);
    const checkpoints: Checkpoint[] = [];
    const step = (gapMs: number) => checkpoints.push({ real: new Date(), gapMs });
    const hours = (a: number, b: number) => rnd.int(a, b) * HOUR;
    const days = (a: number, b: number) => rnd.int(a * 24, b * 24) * HOUR;

    // The cart and the quotation.
    const choices = products.filter((p) => customer.spec.currency === base || p.foreign);
    const lines = rnd.int(1, Math.min(4, choices.length));
    const chosen = new Set<WorkloadProduct>();
    while (chosen.size < lines) chosen.add(rnd.pick(choices));
    // One quick-order paste per cart (the buyer's one-statement path; cheaper than a call per line).
    const paste: string[] = [];
    for (const p of chosen) {
      // The demo orders from the catalogue's stock: a few packs, or up to 25 single units.
      const packs = demo ? (p.orderMultiple > 1 ? rnd.int(1, 3) : rnd.chance(0.15) ? rnd.int(8, 25) : rnd.int(1, 8)) : rnd.chance(0.15) ? rnd.int(10, 40) : rnd.int(1, 8);
      paste.push(`${p.sku}, ${Math.max(p.minOrderQuantity, packs * p.orderMultiple)}`);
    }
    await run(quickOrder, buyer, { lines: paste.join("\n") });
    step(0);
    const quote = await run(submitCart, buyer, {});
    const orderId = quote.orderId;
    const order: OrderRun = { orderId, checkpoints, age: "any", termsDays: customer.spec.paymentTermsDays };
    runs.push(order);
    let version = 1;
    for (let r = rnd.chance(0.25) ? rnd.int(1, 2) : 0; r > 0; r--) {
      const current = (await latestQuotation(db, orderId))!;
      const discount = rnd.pick([2, 5, 7.5, 10]);
      step(hours(2, 72));
      await run(reviseQuotation, sales, {
        orderId,
        version,
        reason: `Volume discount ${discount}%`,
        lines: current.lines.map((l) => ({ lineNo: l.lineNo, quantity: String(l.quantity), unitPrice: decimal(l.unitPriceMinor), discountPercent: String(discount) })),
      });
      version++;
      count("revisions");
    }

    // The customer's answer.
    const answer = rnd.weighted([
      { weight: w(10, 4), value: "open" as const },
      { weight: w(8, 7), value: "decline" as const },
      { weight: w(8, 5), value: "expire" as const },
      { weight: w(4, 1), value: "cancel" as const },
      { weight: w(70, 83), value: "accept" as const },
    ]);
    if (answer === "open") {
      // Mostly recent (some expiring within days), a few left long past their validity.
      order.age = rnd.chance(0.7) ? "open_quote" : "any";
      count("quoted");
      continue;
    }
    if (answer === "decline") {
      step(days(0.1, Math.min(5, customer.spec.quoteValidityDays - 0.5)));
      await run(declineQuotation, buyer, { orderId, reason: "Found a cheaper offer" });
      count("declined");
      continue;
    }
    if (answer === "cancel") {
      step(hours(1, 48));
      await run(cancelOrderByCustomer, buyer, { orderId, reason: "No longer needed" });
      count("cancelled_quoted");
      continue;
    }
    if (answer === "expire") {
      const current = (await latestQuotation(db, orderId))!;
      step(current.quotation.validUntil.getTime() - current.quotation.issuedAt.getTime() + hours(1, 48));
      const moved = await expireDueQuotations(db, new Date(current.quotation.validUntil.getTime() + 1), orderId);
      if (moved !== 1) throw new Error(`workload (seed ${opts.seed}): the quotation of ${orderId} did not expire`);
      count("expired");
      continue;
    }

    step(hours(1, Math.min(10 * 24, customer.spec.quoteValidityDays * 24 - 2)));
    const accepted = await run(acceptQuotation, buyer, { orderId });
    let status: string = accepted.status;
    if (status === "awaiting_customer_approval") {
      count("needed_customer_approval");
      const decision = rnd.weighted([{ weight: w(12, 3), value: "pending" }, { weight: w(10, 4), value: "reject" }, { weight: w(78, 93), value: "approve" }]);
      const approver = customer.approver;
      if (decision === "pending" || !approver) {
        order.age = "pending";
        count("awaiting_customer_approval");
        continue;
      }
      step(hours(1, 96));
      if (decision === "reject") {
        await run(customerRejectOrder, approver, { orderId, reason: "Over budget this month" });
        count("rejected_by_customer");
        continue;
      }
      status = (await run(customerApproveOrder, approver, { orderId, comment: "" })).status;
    }
    // Seller approvals: sales, then finance when the order needs it.
    const seller = rnd.weighted([{ weight: w(10, 3), value: "pending" }, { weight: w(6, 3), value: "reject" }, { weight: w(4, 1), value: "cancel" }, { weight: w(80, 93), value: "approve" }]);
    if (seller === "pending") {
      order.age = "pending";
      count("awaiting_sales_approval");
      continue;
    }
    step(hours(1, 120));
    if (seller === "reject") {
      await run(rejectOrder, sales, { orderId, reason: "Cannot deliver in time" });
      count("rejected_by_sales");
      continue;
    }
    if (seller === "cancel") {
      await run(cancelOrderByCustomer, buyer, { orderId, reason: "Ordered by mistake" });
      count("cancelled_awaiting_approval");
      continue;
    }
    // Finance may decide before sales (the stages then overlap); the test profile does so now and then.
    const needsFinance = accepted.approvalReasons.some((r) => r.startsWith("Finance approval"));
    if (needsFinance && !demo && rnd.chance(0.3)) {
      await run(approveOrder, finance, { orderId, comment: "" });
      count("finance_before_sales");
      if (rnd.chance(0.15)) {
        order.age = "pending";
        count("awaiting_sales_approval");
        continue;
      }
      step(hours(1, 72));
      await run(approveOrder, sales, { orderId, comment: "" });
    } else {
      const approved = await run(approveOrder, sales, { orderId, comment: "" });
      if (approved.status !== "approved") {
        count("needed_finance_approval");
        const fin = rnd.weighted([{ weight: w(12, 3), value: "pending" }, { weight: w(10, 3), value: "reject" }, { weight: w(78, 94), value: "approve" }]);
        if (fin === "pending") {
          order.age = "pending";
          count("awaiting_finance_approval");
          continue;
        }
        step(hours(1, 120));
        if (fin === "reject") {
          await run(rejectOrder, finance, { orderId, reason: "Credit limit exceeded" });
          count("rejected_by_finance");
          continue;
        }
        await run(approveOrder, finance, { orderId, comment: "" });
      }
    }
    count("invoiced");

    // The invoice: paid or not, in full or in part, maybe cancelled with a credit note.
    const invoice = (await latestQuotation(db, orderId))!.quotation;
    const total = invoice.totalMinor;
    const companyId = customer.id;
    const invoiceId = await invoiceOf(companyId, orderId);
    const pay = async (kind: "manual" | "remittance", amount: bigint, gap: number) => {
      step(gap);
      const input = { amount: decimal(amount), paidOn: today(), reference: "", note: "", allocations: [{ invoiceId, amount: decimal(amount) }] };
      if (kind === "manual") return (await run(recordManualPayment, finance, { ...input, companyId })).paymentId;
      return (await run(submitRemittance, buyer, input)).paymentId;
    };
    const part = (total * BigInt(rnd.int(25, 70))) / 100n || 1n;

    if (rnd.chance(w(0.08, 0.03))) {
      // Cancelled after invoicing: a credit note; sometimes after a partial payment was verified.
      if (rnd.chance(0.3)) {
        await pay("manual", part, days(1, 20));
        count("payment_verified");
      }
      step(days(1, 20));
      await run(cancelOrderByStaff, sales, { orderId, reason: "Customer cancelled by phone" });
      count("cancelled_after_invoice");
      continue;
    }
    let shippedInFull = false;
    if (rnd.chance(w(0.65, 0.95))) {
      step(days(1, 6));
      await run(shipOrder, sales, { orderId, carrier: rnd.pick(["DHL", "UPS", "DB Schenker"]), trackingNumber: `TRK${rnd.int(100000, 999999)}` });
      count("shipped");
      shippedInFull = true;
      if (rnd.chance(w(0.7, 0.9))) {
        step(days(1, 5));
        await run(deliverOrder, sales, { orderId });
        count("delivered");
      }
    } else if (demo) {
      // Partial shipments (issue 14): the demo shows approved orders with half of their first line
      // shipped under a delivery note and the rest backordered. No random draw, so the rest of the
      // history stays what the seed made it before.
      const line = (await latestQuotation(db, orderId))!.lines[0];
      if (line && line.quantity >= 2) {
        await run(shipOrder, sales, { orderId, carrier: "DHL", trackingNumber: "", lines: [{ lineNo: line.lineNo, quantity: String(Math.floor(line.quantity / 2)) }] });
        count("partly_shipped");
      }
    }
    const paymentGap = () => days(0, customer.spec.paymentTermsDays + 25);
    const plan = rnd.weighted([
      { weight: w(22, 12), value: "unpaid" },
      { weight: w(23, 40), value: "manual_full" },
      { weight: w(15, 8), value: "partial" },
      { weight: w(10, 4), value: "remittance_pending" },
      { weight: w(12, 30), value: "remittance_verified" },
      { weight: w(6, 2), value: "remittance_rejected" },
      { weight: w(7, 2), value: "refunded" },
      { weight: w(5, 2), value: "partial_pending" },
    ]);
    count(`plan_${plan}`);
    // A healthy business: most of what is still owed is recent; a few invoices are long overdue.
    if (demo && ["unpaid", "partial", "remittance_pending", "partial_pending"].includes(plan) && rnd.chance(0.8)) order.age = "recent";
    if (plan === "manual_full") {
      await pay("manual", total, paymentGap());
    } else if (plan === "partial") {
      await pay("manual", part, paymentGap());
      if (rnd.chance(0.5)) {
        const id = await pay("remittance", total - part, days(5, 30));
        step(hours(2, 96));
        await run(verifyPayment, finance, { paymentId: id });
      }
    } else if (plan === "remittance_pending") {
      await pay("remittance", rnd.chance(0.5) ? total : part, paymentGap());
    } else if (plan === "remittance_verified") {
      const id = await pay("remittance", total, paymentGap());
      step(hours(2, 96));
      await run(verifyPayment, finance, { paymentId: id });
    } else if (plan === "remittance_rejected") {
      const id = await pay("remittance", total, paymentGap());
      step(hours(2, 96));
      await run(rejectPayment, finance, { paymentId: id, reason: "Not found on the bank statement" });
      if (rnd.chance(0.5)) await pay("manual", total, days(3, 20));
    } else if (plan === "refunded") {
      const id = await pay("manual", total, paymentGap());
      step(days(2, 20));
      await run(refundPayment, finance, { paymentId: id, reason: "Paid twice by mistake" });
      if (rnd.chance(0.5)) await pay("manual", total, days(3, 20));
    } else if (plan === "partial_pending") {
      await pay("manual", part, paymentGap());
      await pay("remittance", total - part, days(5, 30));
    }
    if (demo && shippedInFull && plan === "unpaid" && returnsShown < 4) {
      // Returns (issue 14): four unpaid, shipped demo orders have one unit of their first line coming
      // back, one at each step (requested, approved, received with its credit note, rejected). No
      // random draw, so the rest of the history stays what the seed made it before.
      const line = (await latestQuotation(db, orderId))!.lines[0]!;
      const asked = await run(requestReturn, buyer, { orderId, reason: ["Damaged in transit", "Wrong size delivered", "Ordered too many", "Changed our mind"][returnsShown], lines: [{ lineNo: line.lineNo, quantity: "1" }] });
      if (returnsShown === 1 || returnsShown === 2) await run(approveReturn, sales, { returnId: asked.returnId });
      if (returnsShown === 2) await run(receiveReturn, sales, { returnId: asked.returnId });
      if (returnsShown === 3) await run(rejectReturn, sales, { returnId: asked.returnId, reason: "Opened goods cannot be returned" });
      returnsShown++;
      count("returns");
    }
  }
  counts.orders = runs.length;
  // Denied attempts (the admin dashboard counts them): a buyer recording a payment, a buyer approving an order.
  if (!demo) {
    const buyer = customers[0]!.buyers[0]!;
    const request = newRequestContext({ ip: "192.0.2.1", userAgent: "analytics-workload" });
    const tries = [
      await runMutation(recordManualPayment, { actor: buyer, request, idempotencyKey: `wl-denied-${opts.seed}-1` }, { companyId: customers[0]!.id, amount: "1.00", paidOn: today(), allocations: [] }),
      await runMutation(approveOrder, { actor: buyer, request }, { orderId: runs[0]!.orderId, comment: "" }),
    ];
    if (tries.some((t) => t.ok || t.code !== "forbidden")) throw new Error(`workload (seed ${opts.seed}): a forbidden attempt was not refused`);
    counts.denied = tries.length;
  }

  // Spread over the past year: each order at a random age, its steps at the planned gaps.
  const now = opts.now ?? new Date();
  const spread = (opts.spreadDays ?? 365) * DAY;
  const anchors: TimelineAnchor[] = [];
  for (const r of runs) {
    const shifted: Date[] = [];
    let at = 0;
    r.checkpoints.forEach((c, i) => {
      const realGap = i === 0 ? 0 : c.real.getTime() - r.checkpoints[i - 1]!.real.getTime();
      at += i === 0 ? 0 : Math.max(c.gapMs, realGap + 1);
      shifted.push(new Date(at));
    });
    const span = at + (Date.now() - r.checkpoints.at(-1)!.real.getTime());
    const age = r.age === "open_quote" ? rnd.int(0, 13 * 24) * HOUR : r.age === "pending" ? rnd.int(2, 20 * 24) * HOUR : r.age === "recent" ? rnd.int(0, r.termsDays * 24) * HOUR : rnd.next() * Math.max(0, spread - span);
    const start = now.getTime() - span - age - HOUR;
    r.checkpoints.forEach((c, i) => anchors.push({ orderId: r.orderId, real: c.real, shifted: new Date(start + shifted[i]!.getTime()) }));
  }
  const ran = Date.now();
  await opts.asOwner((owner) => rewriteOrderTimelines(owner, anchors, env().SELLER_TIME_ZONE));
  log(`[analytics-workload] services ${((ran - started) / 1000).toFixed(1)} s, timeline rewrite ${((Date.now() - ran) / 1000).toFixed(1)} s`);
  const seconds = (Date.now() - started) / 1000;
  log(`[analytics-workload] seed ${opts.seed}: ${runs.length} orders in ${seconds.toFixed(1)} s ${JSON.stringify(counts)}`);
  return { seed: opts.seed, companyIds: customers.map((c) => c.id), orderIds: runs.map((r) => r.orderId), counts, seconds };
}

async function invoiceOf(companyId: string, orderId: string): Promise<string> {
  const invoice = (await invoiceBalances(db, { companyId, counting: "verified" })).find((b) => b.orderId === orderId);
  if (!invoice) throw new Error(`order ${orderId} has no invoice`);
  return invoice.invoiceId;
}
