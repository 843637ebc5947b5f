// Submit + accept throughput: the app's own service path (runMutation → services → drizzle)
// against a baseline doing the same writes with raw postgres.js, both with N concurrent clients
// in this process, against the database at DATABASE_URL. Prints one JSON line.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { eq, sql } from "drizzle-orm";
import postgres from "postgres";
import type { User } from "@/db/schema";

const clients = Number(process.argv[2] ?? 32);
const durationMs = Number(process.argv[3] ?? 8000);
const { closeDb, db, queryRows } = await import("@/lib/db");
const { runMigrations } = await import("@/lib/migrate");
const { runMutation, newRequestContext } = await import("@/lib/mutation");
const { seedDemoData } = await import("@/lib/services/seed");
const { insertUser } = await import("@/lib/services/users");
const { submitCart, acceptQuotation } = await import("@/lib/services/orders/quotations");
const { cartLines, companies, inventory, orders, products } = await import("@/db/schema");
const { orderReference } = await import("@/lib/services/orders/common");

await runMigrations();
await seedDemoData();
const [acme] = await db.select().from(companies).where(eq(companies.name, "Acme Industrial Supply"));
await db.execute(sql`update companies set credit_limit_minor = 1000000000000 where id = ${acme!.id}`);
// Each client orders its own three products: the measurement is the write path, not one hot row.
const stocked = await db.select({ id: products.id, sku: products.sku, multiple: products.orderMultiple }).from(products).innerJoin(inventory, eq(inventory.productId, products.id)).orderBy(products.sku).limit(clients * 3);
await db.execute(sql`update inventory set on_hand = 100000000`);
const buyers: User[] = [];
for (let i = 0; i < clients; i++) {
  buyers.push(await db.transaction((tx) => insertUser(tx, { email: `bench-${i}-${randomUUID().slice(0, 6)}@acme.test`, name: `Bench ${i}`, role: "buyer", companyId: acme!.id, password: "bench-password-long-enough" })));
}

/** Puts the same three lines in a buyer's cart (setup, not measured). */
async function fillCart(buyerId: string, index: number) {
  const [cart] = await db.select().from(orders).where(sql`${orders.buyerId} = ${buyerId} and ${orders.status} = 'draft'`);
  const orderId = cart?.id ?? (await db.insert(orders).values({ reference: orderReference(), companyId: acme!.id, buyerId, currency: acme!.currency }).returning())[0]!.id;
  for (const p of stocked.slice(index * 3, index * 3 + 3)) await db.insert(cartLines).values({ orderId, productId: p.id, quantity: p.multiple * 2 }).onConflictDoNothing();
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function run(name: string, one: (buyer: (typeof buyers)[number]) => Promise<void>) {
  const latencies: number[] = [];
  const start = performance.now();
  const end = start + durationMs;
  let busy = 0;
  await Promise.all(
    buyers.map(async (buyer, index) => {
      while (performance.now() < end) {
        await fillCart(buyer.id, index);
        const t = performance.now();
        await one(buyer);
        latencies.push(performance.now() - t);
        busy += performance.now() - t;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  // Throughput over the time clients spent in submit+accept (cart filling between them is setup).
  const seconds = busy / 1000 / clients;
  return { name, ops: latencies.length, opsPerSec: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

// The app: two mutations, as a buyer's two form posts would run them.
const app = await run("app", async (buyer) => {
  const actor = { id: buyer.id, email: buyer.email, name: buyer.name, role: buyer.role, companyId: buyer.companyId };
  const submitted = await runMutation(submitCart, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, {});
  if (!submitted.ok) throw new Error(JSON.stringify(submitted));
  const accepted = await runMutation(acceptQuotation, { actor, request: newRequestContext(), idempotencyKey: randomUUID() }, { orderId: submitted.data.orderId });
  if (!accepted.ok) throw new Error(JSON.stringify(accepted));
});

// The baseline: the same rows written with raw postgres.js, hand-ordered, no ORM, no validation.
const url = new URL(process.argv[4]!);
const raw = postgres(url.toString(), { max: 10, onnotice: () => {} });
let qn = 0;
const baseline = await run("raw postgres.js", async (buyer) => {
  await raw.begin(async (tx) => {
    await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${`user:${buyer.id}`}, ${randomUUID()}, 'order.submit', 'x')`;
    const [order] = await tx`select * from orders where buyer_id = ${buyer.id} and status = 'draft' for update`;
    const lines = await tx`select c.product_id, c.quantity, p.sku, p.name, p.unit, p.base_price_minor, p.tax_rate_bp from cart_lines c join products p on p.id = c.product_id where c.order_id = ${order!.id}`;
    const [seqRow] = await tx`insert into document_sequences (kind, year, last_value) values ('QB', 2026, 1) on conflict (kind, year) do update set last_value = document_sequences.last_value + 1 returning last_value`;
    const [q] = await tx`insert into quotations (order_id, number, version, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, seller, customer, terms)
      values (${order!.id}, ${`QB-2026-${seqRow!.last_value}-${qn++}`}, 1, now() + interval '14 days', 'EUR', 0, 0, 0, 'line_half_up', '{}', '{}', '') returning id`;
    let lineNo = 1;
    for (const l of lines) {
      await tx`insert into quotation_lines (quotation_id, line_no, product_id, sku, name, unit, quantity, unit_price_minor, net_minor, tax_rate_bp, tax_minor, total_minor)
        values (${q!.id}, ${lineNo++}, ${l.product_id}, ${l.sku}, ${l.name}, ${l.unit}, ${l.quantity}, ${l.base_price_minor}, 0, ${l.tax_rate_bp}, 0, 0)`;
    }
    await tx`delete from cart_lines where order_id = ${order!.id}`;
    await tx`update orders set status = 'quoted', version = version + 1, submitted_at = now() where id = ${order!.id}`;
    await tx`insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status) values (${order!.id}, ${buyer.id}, 'buyer', 'submit', 'draft', 'quoted')`;
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, outcome) values ('user', ${buyer.id}, 'buyer', 'order.submit', 'order', ${order!.id}, 'success')`;
    (buyer as { lastOrder?: string }).lastOrder = order!.id;
  });
  const orderId = (buyer as { lastOrder?: string }).lastOrder!;
  await raw.begin(async (tx) => {
    await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${`user:${buyer.id}`}, ${randomUUID()}, 'quotation.accept', 'x')`;
    await tx`select id from orders where id = ${orderId} for update`;
    const lines = await tx`select product_id, quantity from quotation_lines ql join quotations q on q.id = ql.quotation_id where q.order_id = ${orderId} order by product_id`;
    for (const l of lines) {
      await tx`select on_hand, reserved from inventory where product_id = ${l.product_id} for update`;
      await tx`update inventory set reserved = reserved + ${l.quantity} where product_id = ${l.product_id}`;
      await tx`insert into stock_movements (product_id, kind, reserved_delta, reason, actor_id) values (${l.product_id}, 'reservation', ${l.quantity}, 'Quotation accepted', ${buyer.id})`;
    }
    await tx`update orders set status = 'awaiting_seller_approval', version = version + 1, accepted_at = now() where id = ${orderId}`;
    await tx`insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status) values (${orderId}, ${buyer.id}, 'buyer', 'accept', 'quoted', 'awaiting_seller_approval')`;
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, outcome) values ('user', ${buyer.id}, 'buyer', 'order.accept', 'order', ${orderId}, 'success')`;
  });
});
await raw.end();
const [inv] = await queryRows<{ bad: number }>(db, sql`select count(*)::int as bad from inventory where on_hand < reserved`);
console.log(JSON.stringify({ clients, app, baseline, ratio: app.opsPerSec / baseline.opsPerSec, invariantViolations: inv?.bad ?? -1 }));
await closeDb();
