import "server-only";
import { randomUUID } from "node:crypto";
import postgres from "postgres";
import { env } from "@/lib/env";
import { apiError } from "@/lib/http/json";

// The baseline of `npm run bench -- api` (lib/bench/api-worker.ts): a bare route handler doing the
// writes of POST /api/v1/orders and POST /api/v1/orders/{id}/accept with raw postgres.js, in the same
// production build. Same rows as the service path (lib/services/orders/quotations.ts): the
// idempotency key taken and completed with its result; the order (created quoted), its quotation
// numbered from document_sequences with its lines (an order's lines are its quotation's lines), the
// submit timeline event, the order.submit and quotation.issue audit rows, the quotation.issued and
// order.status_changed outbox rows; on accept the order and company rows locked, the stock rows locked
// and reserved with their stock movements, the order moved, its timeline event, the order.accept audit
// row and the outbox row. What it leaves out is what makes the app the app: no API key, no rate limit,
// no zod, no price lists or quantity rules, no credit or spending-limit figures, no problem+json.
// Served only when BENCH_ROUTES is set (404 otherwise).

const g = globalThis as unknown as { __benchSql?: postgres.Sql };

function db(): postgres.Sql {
  const e = env();
  if (!e.DATABASE_URL) throw new Error("the bench routes need DATABASE_URL (PostgreSQL)");
  g.__benchSql ??= postgres(e.DATABASE_URL, { max: e.DATABASE_POOL_SIZE, onnotice: () => {} });
  return g.__benchSql;
}

/** Without BENCH_ROUTES the bench routes answer exactly as an unknown endpoint does (app/api/[...path]/route.ts). */
export const notFound = () => apiError("not_found", "There is no such API endpoint.", 404);

export function benchRoutesEnabled(): boolean {
  return env().BENCH_ROUTES;
}

export type RawSubmit = { buyerId: string; companyId: string; lines: { productId: string; quantity: number }[] };

const SELLER = () => {
  const e = env();
  return { name: e.SELLER_NAME, address: e.SELLER_ADDRESS, taxId: e.SELLER_TAX_ID, email: e.SELLER_EMAIL, bank: e.SELLER_BANK_NAME, iban: e.SELLER_IBAN, bic: e.SELLER_BIC };
};

function reference(): string {
  const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  return "ORD-" + [...crypto.getRandomValues(new Uint8Array(8))].map((b) => alphabet[b % alphabet.length]).join("");
}

type Conflict = { conflict: string };

/** Submit: an order from lines, quoted in the same transaction. */
export async function rawSubmit(input: RawSubmit, idempotencyKey: string): Promise<{ orderId: string; quotationId: string; number: string; version: number; totalMinor: string }> {
  const scope = `bench:${input.buyerId}`;
  return db().begin(async (tx) => {
    await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${scope}, ${idempotencyKey}, 'order.place', 'x')`;
    const [company] = await tx<{ name: string; currency: string; billing_address: string | null; tax_id: string | null; time_zone: string; quote_validity_days: number }[]>`
      select name, currency, billing_address, tax_id, time_zone, quote_validity_days from companies where id = ${input.companyId}`;
    const products = await tx<{ id: string; sku: string; name: string; unit: string; base_price_minor: string; tax_rate_bp: number }[]>`
      select id, sku, name, unit, base_price_minor::text, tax_rate_bp from products where id = any(${input.lines.map((l) => l.productId)}::uuid[])`;
    const lines = input.lines.map((l, i) => {
      const p = products.find((x) => x.id === l.productId)!;
      const net = BigInt(p.base_price_minor) * BigInt(l.quantity);
      const tax = (net * BigInt(p.tax_rate_bp) + 5000n) / 10000n;
      return { line_no: i + 1, product_id: p.id, sku: p.sku, name: p.name, unit: p.unit, quantity: l.quantity, unit_price_minor: p.base_price_minor, discount_bp: 0, net_minor: net.toString(), tax_rate_bp: p.tax_rate_bp, tax_minor: tax.toString(), total_minor: (net + tax).toString(), price_explanation: "Base price" };
    });
    const subtotal = lines.reduce((s, l) => s + BigInt(l.net_minor), 0n);
    const tax = lines.reduce((s, l) => s + BigInt(l.tax_minor), 0n);
    const [order] = await tx<{ id: string; reference: string; version: number }[]>`
      insert into orders (reference, company_id, buyer_id, currency, status, submitted_at)
      values (${reference()}, ${input.companyId}, ${input.buyerId}, ${company!.currency}, 'quoted', now()) returning id, reference, version`;
    const requestId = randomUUID();
    const total = (subtotal + tax).toString();
    await tx`insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status) values (${order!.id}, ${input.buyerId}, 'buyer', 'submit', 'draft', 'quoted')`;
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome) values
      ('user', ${input.buyerId}, 'buyer', 'order.submit', 'order', ${order!.id}, ${input.companyId}, ${tx.json({ before: { status: "draft", version: order!.version }, after: { status: "quoted", version: order!.version } })}::jsonb, ${requestId}, 'success')`;
    await tx`insert into outbox_events (type, company_id, payload) values
      ('order.status_changed', ${input.companyId}, ${tx.json({ orderId: order!.id, reference: order!.reference, event: "submit", previousStatus: "draft", status: "quoted", version: order!.version })}::jsonb)`;
    // Numbered last, in one statement with everything that needs the number (quotation, its lines,
    // its audit row, its event, the idempotency result): the sequence row stays locked until commit
    // and every other submit waits for it, as in the service (which takes the number last too).
    const customer = { name: company!.name, address: company!.billing_address, taxId: company!.tax_id, timeZone: company!.time_zone };
    const [q] = await tx<{ id: string; number: string }[]>`
      with seq as (
        insert into document_sequences (kind, year, last_value) values ('Q', extract(year from now())::int, 1)
        on conflict (kind, year) do update set last_value = document_sequences.last_value + 1 returning last_value
      ), q as (
        insert into quotations (order_id, number, version, issued_at, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, issued_by, seller, customer, terms)
        select ${order!.id}, 'Q-' || extract(year from now())::int || '-' || lpad(seq.last_value::text, greatest(6, length(seq.last_value::text)), '0'), 1, now(),
               now() + make_interval(days => ${company!.quote_validity_days}), ${company!.currency}, ${subtotal.toString()}, ${tax.toString()}, ${total},
               'line_half_up', ${input.buyerId}, ${tx.json(SELLER())}::jsonb, ${tx.json(customer)}::jsonb, ${env().QUOTATION_TERMS}
        from seq returning id, number
      ), lines as (
        insert into quotation_lines (quotation_id, line_no, product_id, sku, name, unit, quantity, unit_price_minor, discount_bp, net_minor, tax_rate_bp, tax_minor, total_minor, price_explanation)
        select q.id, l.line_no, l.product_id, l.sku, l.name, l.unit, l.quantity, l.unit_price_minor, l.discount_bp, l.net_minor, l.tax_rate_bp, l.tax_minor, l.total_minor, l.price_explanation
        from q, jsonb_to_recordset(${tx.json(lines)}::jsonb) as l(line_no int, product_id uuid, sku text, name text, unit text, quantity int, unit_price_minor bigint,
             discount_bp int, net_minor bigint, tax_rate_bp int, tax_minor bigint, total_minor bigint, price_explanation text)
      ), audit as (
        insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome)
        select 'user', ${input.buyerId}, 'buyer', 'quotation.issue', 'quotation', q.id, ${input.companyId},
               jsonb_build_object('after', jsonb_build_object('number', q.number, 'version', 1, 'totalMinor', ${total}::text)), ${requestId}, 'success' from q
      ), event as (
        insert into outbox_events (type, company_id, payload)
        select 'quotation.issued', ${input.companyId}, jsonb_build_object('orderId', ${order!.id}::text, 'reference', ${order!.reference}::text, 'quotationId', q.id,
               'number', q.number, 'version', 1, 'totalMinor', ${total}::text, 'currency', ${company!.currency}::text) from q
      ), done as (
        update idempotency_keys set status = 'completed', completed_at = now(),
               result = (select jsonb_build_object('orderId', ${order!.id}::text, 'quotationId', q.id, 'number', q.number, 'version', 1, 'totalMinor', ${total}::text) from q)
        where scope = ${scope} and key = ${idempotencyKey}
      )
      select id, number from q`;
    const result = { orderId: order!.id, quotationId: q!.id, number: q!.number, version: 1, totalMinor: total };
    return result;
  });
}

/** Accept the named quotation version: stock reserved, the order moved on. */
export async function rawAccept(orderId: string, buyerId: string, quotationVersion: number, idempotencyKey: string): Promise<{ orderId: string; status: string } | Conflict | null> {
  const scope = `bench:${buyerId}`;
  return db().begin(async (tx) => {
    await tx`insert into idempotency_keys (scope, key, operation, fingerprint) values (${scope}, ${idempotencyKey}, 'quotation.accept', 'x')`;
    const [order] = await tx<{ id: string; company_id: string; reference: string; status: string; version: number }[]>`
      select id, company_id, reference, status, version from orders where id = ${orderId} and buyer_id = ${buyerId} for update`;
    if (!order) return null;
    await tx`select id from companies where id = ${order.company_id} for update`;
    const [q] = await tx<{ id: string; number: string; version: number }[]>`select id, number, version from quotations where order_id = ${orderId} order by version desc limit 1`;
    if (!q || q.version !== quotationVersion || order.status !== "quoted") return { conflict: "stale quotation version or order not quoted" };
    const lines = await tx<{ product_id: string; quantity: number }[]>`select product_id, quantity from quotation_lines where quotation_id = ${q.id} order by product_id`;
    await tx`select product_id from inventory where product_id = any(${lines.map((l) => l.product_id)}::uuid[]) order by product_id for update`;
    const ids = lines.map((l) => l.product_id);
    const qty = lines.map((l) => l.quantity);
    await tx`update inventory i set reserved = i.reserved + l.q, updated_at = now() from unnest(${ids}::uuid[], ${qty}::int[]) as l(p, q) where i.product_id = l.p`;
    await tx`insert into stock_movements ${tx(lines.map((l) => ({ product_id: l.product_id, kind: "reservation", reserved_delta: l.quantity, reason: "Quotation accepted", reference_type: "order", reference_id: orderId, actor_id: buyerId })))}`;
    const [moved] = await tx<{ version: number }[]>`
      update orders set status = 'awaiting_seller_approval', version = version + 1, accepted_at = now(), updated_at = now(), approval_reasons = ${tx.json(["Every order needs a sales approval."])}::jsonb
      where id = ${orderId} and version = ${order.version} returning version`;
    const note = `Quotation ${q.number} v${q.version} accepted`;
    await tx`insert into order_events (order_id, actor_id, actor_role, event, from_status, to_status, note) values (${orderId}, ${buyerId}, 'buyer', 'accept', 'quoted', 'awaiting_seller_approval', ${note})`;
    await tx`insert into audit_events (actor_type, actor_id, actor_role, action, entity_type, entity_id, company_id, diff, request_id, outcome)
      values ('user', ${buyerId}, 'buyer', 'order.accept', 'order', ${orderId}, ${order.company_id}, ${tx.json({ before: { status: "quoted", version: order.version }, after: { status: "awaiting_seller_approval", version: moved!.version, note } })}::jsonb, ${randomUUID()}, 'success')`;
    await tx`insert into outbox_events (type, company_id, payload) values ('order.status_changed', ${order.company_id}, ${tx.json({ orderId, reference: order.reference, event: "accept", previousStatus: "quoted", status: "awaiting_seller_approval", version: moved!.version })}::jsonb)`;
    const result = { orderId, status: "awaiting_seller_approval" };
    await tx`update idempotency_keys set status = 'completed', result = ${tx.json(result)}::jsonb, completed_at = now() where scope = ${scope} and key = ${idempotencyKey}`;
    return result;
  });
}
