// Submit + accept throughput: the app's own service path (runMutation → services → drizzle)
// against a baseline doing the same writes with raw postgres.js, both with N concurrent clients
// in this process, against the database at DATABASE_URL. Prints one JSON line.
// argv: clients, measured duration in ms per side (in alternating rounds), database URL, and
// "shared" to put each side's buyers in one company (else each buyer has a company of its own).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import type { User } from "@/db/schema";

const clients = Number(process.argv[2] ?? 32);
const durationMs = Number(process.argv[3] ?? 8000);
const url = new URL(process.argv[4]!);
const sharedCompany = process.argv[5] === "shared";
const { closeDb, db, queryRows } = await import("@/db/client");
const { runMigrations } = await import("@/lib/migrate");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { seedDemoData } = await import("@/lib/services/seed");
const { insertUser } = await import("@/lib/services/users");
const { submitCart, acceptQuotation } = await import("@/lib/services/orders/quotations");
const { companies, inventory, products } = await import("@/db/schema");
const { orderReference } = await import("@/lib/services/orders/common");

await runMigrations();
await seedDemoData();
// Each side has a company of its own: the credit exposure the app reads on acceptance sums the
// company's accepted orders, and must not grow with the baseline's.
const companyNamed = async (name: string) => (await db.select().from(companies).where(eq(companies.name, name)))[0]!;
const acme = await companyNamed("Acme Industrial Supply");
const globex = await companyNamed("Globex Manufacturing");
await db.execute(sql`update companies set credit_limit_minor = 1000000000000 where id in (${acme.id}, ${globex.id})`);
// Each client orders its own three products: the measurement is the write path, not one hot row.
// (Client i of either side uses the same three; the two sides never run at the same time.)
const stocked = await db.select({ id: products.id, multiple: products.orderMultiple }).from(products).innerJoin(inventory, eq(inventory.productId, products.id)).orderBy(products.sku).limit(clients * 3);
await db.execute(sql`update inventory set on_hand = 100000000`);

type Buyer = User & { index: number };
async function makeBuyers(side: string, companyIds: string[]): Promise<Buyer[]> {
  const out: Buyer[] = [];
  for (let i = 0; i < clients; i++) {
    const user = await db.transaction((tx) =>
      insertUser(tx, { email: `bench-${side}-${i}-${randomUUID().slice(0, 6)}@bench.test`, name: `Bench ${side} ${i}`, role: "buyer", companyId: companyIds[i]!, password: "bench-password-long-enough" }),
    );
    out.push({ ...user, index: i });
  }
  return out;
}
// Accepting locks the company row for its credit check. With one company per side, all 32 clients
// queue on that one row (a measure of the credit check under contention); by default each buyer
// has a company of its own, like the products above: the measurement is the write path.
async function ownCompanies(side: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < clients; i++) {
    const [row] = await queryRows<{ id: string }>(db, sql`insert into companies (name, currency, credit_limit_minor) values (${`Bench ${side} ${i} ${randomUUID().slice(0, 6)}`}, ${acme.currency}, 1000000000000) returning id`);
    ids.push(row!.id);
  }
  return ids;
}
const appCompanies = sharedCompany ? Array<string>(clients).fill(acme.id) : await ownCompanies("app");
const baseCompanies = sharedCompany ? Array<string>(clients).fill(globex.id) : await ownCompanies("raw");
const appBuyers = await makeBuyers("app", appCompanies);
const baseBuyers = await makeBuyers("raw", baseCompanies);

// Cart filling is setup, not measured, and has connections of its own: on the app's pool it would
// hold connections the app's operations then wait for, which the baseline's pool never does.
const setup = postgres(url.toString(), { max: 8, onnotice: () => {} });
async function fillCart(buyer: Buyer) {
  const companyId = buyer.companyId!;
  await setup.begin(async (tx) => {
    const [cart] = await tx<{ id: string }[]>`select id from orders where buyer_id = ${buyer.id} and status = 'draft'`;
    const orderId =
      cart?.id ??
      (await tx<{ id: string }[]>`insert into orders (reference, company_id, buyer_id, currency) values (${orderReference()}, ${companyId}, ${buyer.id}, ${acme.currency}) returning id`)[0]!.id;
    for (const p of stocked.slice(buyer.index * 3, buyer.index * 3 + 3)) {
      await tx`insert into cart_lines (order_id, product_id, quantity) values (${orderId}, ${p.id}, ${p.multiple * 2}) on conflict do nothing`;
    }
  });
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

type Round = { latencies: number[]; busy: number };
async function round(buyers: Buyer[], ms: number, one: (buyer: Buyer) => Promise<void>): Promise<Round> {
  const latencies: number[] = [];
  const end = performance.now() + ms;
  let busy = 0;
  await Promise.all(
    buyers.map(async (buyer) => {
      while (performance.now() < end) {
        await fillCart(buyer);
        const t = performance.now();
        await one(buyer);
        latencies.push(performance.now() - t);
        busy += performance.now() - t;
      }
    }),
  );
  return { latencies, busy };
}

function summary(name: string, rounds: Round[]) {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b);
  // Throughput over the time clients spent in submit+accept (cart filling between them is setup).
  const seconds = rounds.reduce((s, r) => s + r.busy, 0) / 1000 / clients;
  return { name, ops: latencies.length, opsPerSec: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

// The app: two mutations, as a buyer's two form posts would run them.
async function appOne(buyer: Buyer) {
  const actor = { id: buyer.id, email: buyer.email, name: buyer.name, role: buyer.role, companyId: buyer.companyId };
  const submitted = await runMutation(submitCart, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, {});
  if (!submitted.ok) throw new Error(JSON.stringify(submitted));
  const accepted = await runMutation(acceptQuotation, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, { orderId: submitted.data.orderId });
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
}

// The baseline: the same rows written with raw postgres.js, hand-ordered, no ORM, no validation,
// no pricing and no credit or limit checks. Like the app it completes both idempotency keys with
// their results and writes the app's three audit rows (order.submit, quotation.issue, order.accept).
const raw = postgres(url.toString(), { max: 10, onnotice: () => {} });
const seller = JSON.stringify({ name: "Orderly Demo Supplies GmbH", address: "Industriestraße 5\n70565 Stuttgart\nGermany", taxId: "DE123456789" });
let qn = 0;
async function baselineOne(buyer: Buyer) {
  const scope = `user:${buyer.id}`;
  const companyId = buyer.companyId!;
  const submitKey = randomUUID();
  const orderId = await raw.begin(async (tx) => {
    await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${scope}, ${submitKey}, 'order.submit', 'x')`;
    const [order] = await tx<{ id: string; version: number }[]>`select id, version from orders where buyer_id = ${buyer.id} and status = 'draft' for update`;
    const lines = await tx`select c.product_id, c.quantity, p.sku, p.name, p.unit, p.base_price_minor, p.tax_rate_bp from cart_lines c join products p on p.id = c.product_id where c.order_id = ${order!.id}`;
    const [seqRow] = await tx`insert into document_sequences (kind, year, last_value) values ('QB', 2026, 1) on conflict (kind, year) do update set last_value = document_sequences.last_value + 1 returning last_value`;
    const number = `QB-2026-${seqRow!.last_value}-${qn++}`;
    const [q] = await tx`insert into quotations (order_id, number, version, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, seller, customer, terms)
      values (${order!.id}, ${number}, 1, now() + interval '14 days', 'EUR', 0, 0, 0, 'line_half_up', ${seller}::jsonb, '{}', '') returning id`;
    let lineNo = 1;
    for (const l of lines) {
      await tx`insert into quotation_lines (quotation_id, line_no, product_id, sku, name, unit, quantity, unit_price_minor, net_minor, tax_rate_bp, tax_minor, total_minor)
        values (${q!.id}, ${lineNo++}, ${l.product_id}, ${l.sku}, ${l.name}, ${l.unit}, ${l.quantity}, ${l.base_price_minor}, 0, ${l.tax_rate_bp}, 0, 0)`;
    }
    await tx`delete from cart_lines where order_id = ${order!.id}`;
    await tx`update orders set status = 'quoted', version = version + 1, submitted_at = now(), updated_at = now() where id = ${order!.id}`;
    await tx`insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status) values (${order!.id}, ${buyer.id}, 'buyer', 'submit', 'draft', 'quoted')`;
    const diff = JSON.stringify({ before: { status: "draft", version: order!.version }, after: { status: "quoted", version: order!.version + 1 } });
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome)
      values ('user', ${buyer.id}, 'buyer', 'order.submit', 'order', ${order!.id}, ${companyId}, ${diff}::jsonb, ${randomUUID()}, 'success')`;
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome)
      values ('user', ${buyer.id}, 'buyer', 'quotation.issue', 'quotation', ${q!.id}, ${companyId}, ${JSON.stringify({ after: { number, version: 1, totalMinor: "0" } })}::jsonb, ${randomUUID()}, 'success')`;
    const result = JSON.stringify({ orderId: order!.id, quotationId: q!.id, number, version: 1, totalMinor: "0" });
    await tx`update idempotency_keys set status = 'completed', result = ${result}::jsonb, completed_at = now() where scope = ${scope} and key = ${submitKey}`;
    return order!.id;
  });
  const acceptKey = randomUUID();
  await raw.begin(async (tx) => {
    await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${scope}, ${acceptKey}, 'quotation.accept', 'x')`;
    await tx`select id from orders where id = ${orderId} for update`;
    const lines = await tx`select product_id, quantity from quotation_lines ql join quotations q on q.id = ql.quotation_id where q.order_id = ${orderId} order by product_id`;
    for (const l of lines) {
      await tx`select on_hand, reserved from inventory where product_id = ${l.product_id} for update`;
      await tx`update inventory set reserved = reserved + ${l.quantity} where product_id = ${l.product_id}`;
      await tx`insert into stock_movements (product_id, kind, reserved_delta, reason, actor_id) values (${l.product_id}, 'reservation', ${l.quantity}, 'Quotation accepted', ${buyer.id})`;
    }
    await tx`update orders set status = 'awaiting_seller_approval', version = version + 1, accepted_at = now(), updated_at = now() where id = ${orderId}`;
    await tx`insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status) values (${orderId}, ${buyer.id}, 'buyer', 'accept', 'quoted', 'awaiting_seller_approval')`;
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome)
      values ('user', ${buyer.id}, 'buyer', 'order.accept', 'order', ${orderId}, ${companyId}, ${JSON.stringify({ before: { status: "quoted" }, after: { status: "awaiting_seller_approval" } })}::jsonb, ${randomUUID()}, 'success')`;
    const result = JSON.stringify({ orderId, status: "awaiting_seller_approval", approvalReasons: ["Every order needs a sales approval."] });
    await tx`update idempotency_keys set status = 'completed', result = ${result}::jsonb, completed_at = now() where scope = ${scope} and key = ${acceptKey}`;
  });
}

// Warm both sides (JIT, pool connections, prepared statements), then alternate short rounds
// (app, baseline, baseline, app, twice) so that load from other processes on the machine and the
// growth of the tables weigh on both sides alike; rounds never overlap.
await round(appBuyers, 1000, appOne);
await round(baseBuyers, 1000, baselineOne);
const cycles = 2;
const slice = durationMs / (2 * cycles);
const rounds: Record<"app" | "baseline", Round[]> = { app: [], baseline: [] };
for (let i = 0; i < cycles; i++) {
  rounds.app.push(await round(appBuyers, slice, appOne));
  rounds.baseline.push(await round(baseBuyers, slice, baselineOne));
  rounds.baseline.push(await round(baseBuyers, slice, baselineOne));
  rounds.app.push(await round(appBuyers, slice, appOne));
}
const app = summary("app", rounds.app);
const baseline = summary("raw postgres.js", rounds.baseline);
await raw.end();
await setup.end();
const [inv] = await queryRows<{ bad: number }>(db, sql`select count(*)::int as bad from inventory where on_hand < reserved`);
console.log(JSON.stringify({ clients, app, baseline, ratio: app.opsPerSec / baseline.opsPerSec, invariantViolations: inv?.bad ?? -1 }));
await closeDb();
