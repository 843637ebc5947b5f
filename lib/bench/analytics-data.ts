// Bulk data for the analytics bench: twelve months of a B2B seller's documents, generated in the
// database itself (INSERT … SELECT over generate_series), so 100,000 orders load in well under two
// minutes. Run as the owner on a fresh, migrated bench database.
//
// Everything scales with the number of orders N (1,000 or 100,000):
//   companies N/250 (every fourth one twice as busy: 500 orders a year, "the large customer" is
//   company 0), 1 customer admin + 3 buyers each, 10 staff; products N/20 in 10 categories, 70 % with
//   a reorder point; ~10 quotation lines per order (5..15); approvals per stage; an invoice (with its
//   lines) for every order approved before now, a credit note for orders cancelled after approval;
//   payments in 1..5 parts (verified, some awaiting verification) with allocations, a few rejected and
//   refunded ones; bank statement lines for a third of the payments plus unmatched ones; N/100 audit
//   events in the last days (the chain trigger makes each costly), a tenth of them denied.
// Order i is submitted at start + i/N of the year, so every month holds the same share at both sizes.
// Each order's path is decided by hashes of i: declined, expired, rejected, cancelled (quoted or
// after approval, credited) or the normal path (accepted → customer/sales/finance approval →
// approved → shipped → delivered → completed); the status is the furthest step reached by `now`,
// so recent orders are the open quotations, approval queue and unpaid invoices, as in life.
// Ids are md5 of a kind and the index, so the statements join by computing ids, not by lookups.
// Every constraint and trigger stays on: quotation inserts update orders.total_minor (to the value
// it already has), the allocation trigger checks every allocation (parts never exceed the total;
// rejected and refunded payments are not counted), the audit chain hashes its rows.
import { performance } from "node:perf_hooks";
import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/db/client";

export type BenchClock = { today: string; now: Date; timeZone: string };

/** The bench's pinned clock: a Friday morning in the seller's zone. */
export const benchClock: BenchClock = { today: "2026-11-20", now: new Date("2026-11-20T10:00:00Z"), timeZone: "Europe/Berlin" };

/** Uniform integer in [0, m) from (x, salt), stable across runs. */
const h = (x: string, salt: number, m: number) => sql.raw(`((hashint8((${x})::bigint * 64 + ${salt}) + 2147483648) % ${m})::int`);
/**
 * The exchange rate a document of order row `o` kept (issue 15): EUR per the seller's base currency
 * (1 EUR = 1.0832 USD = 0.8571 GBP, ECB); none in EUR, and none for every 50th order (older data), so
 * the converted figures also meet documents they must not convert.
 */
const fx = (o: string) =>
  sql.raw(`case when ${o}.currency = 'EUR' or ${o}.i % 50 = 0 then null else 'EUR' end, case when ${o}.currency = 'EUR' or ${o}.i % 50 = 0 then null else ${o}.currency end,
    case when ${o}.currency = 'EUR' or ${o}.i % 50 = 0 then null when ${o}.currency = 'USD' then 1.0832 else 0.8571 end,
    case when ${o}.currency = 'EUR' or ${o}.i % 50 = 0 then null else ${o}.sub::date - 1 end, case when ${o}.currency = 'EUR' or ${o}.i % 50 = 0 then null else 'ECB' end`);

/** A company's payment terms and currency are functions of its index. */
const terms = (k: string) => sql.raw(`(array[14, 30, 30, 45, 60])[1 + (${k}) % 5]`);
const currency = (k: string) => sql.raw(`(case when (${k}) % 20 < 16 then 'EUR' when (${k}) % 20 < 19 then 'USD' else 'GBP' end)`);
/** A product's price and tax rate are functions of its index. */
const price = (j: string) => sql.raw(`(100 + ((${j}) * 7919) % 19900)`);
const rate = (j: string) => sql.raw(`(case when (${j}) % 10 = 0 then 700 else 1900 end)`);

export async function loadAnalyticsData(db: DbOrTx, n: number, clock: BenchClock = benchClock): Promise<{ ms: number; phases: Record<string, number>; counts: Record<string, number> }> {
  if (n % 1000 !== 0) throw new Error("size must be a multiple of 1000");
  const nc = n / 250;
  const np = n / 20;
  const now = clock.now.toISOString();
  const tz = clock.timeZone;
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  let last = t0;
  const step = async (name: string, q: SQL) => {
    await db.execute(q);
    const t = performance.now();
    phases[name] = (phases[name] ?? 0) + (t - last);
    if (process.env.BENCH_VERBOSE) console.error(`${name}: ${(t - last).toFixed(0)} ms`);
    last = t;
  };
  const i = "i";

  await step("settings", sql.raw(`set work_mem = '256MB'`));
  // JIT compiling the wide expressions of these statements took 37 of the planning statement's 43 s.
  await step("settings", sql.raw(`set jit = off`));
  // Row-by-row checks are most of a naive load's time (foreign keys: 2 lookups per document line, 4
  // minutes at 100k on this machine). The document inserts run with session_replication_role =
  // replica, which skips the foreign-key checks and the ordinary triggers; the data is built to
  // satisfy them, and verifyLoad() proves it set-wise afterwards (one anti-join per foreign key, the
  // quotation trigger's orders.total_minor, the allocation guard's invariant). The allocation trigger
  // itself runs for every allocation (origin role), and the audit chain trigger fires always.
  await step("settings", sql.raw(`set session_replication_role = replica`));

  // Companies, users, staff.
  await step(
    "companies+users",
    sql`insert into companies (id, name, billing_address, tax_id, payment_terms_days, credit_limit_minor, currency, time_zone, quote_validity_days)
      select md5('c' || k)::uuid, 'Bench Customer ' || lpad(k::text, 4, '0'), k || ' Industrial Way', 'DE' || (100000000 + k),
        ${terms("k")}, case when k % 3 = 2 then 0 else (1 + k % 5) * 8000000 * (case when k % 4 = 0 then 2 else 1 end) end,
        ${currency("k")}, 'Europe/Berlin', 14
      from generate_series(0, ${nc - 1}) k`,
  );
  await step(
    "companies+users",
    sql`insert into users (id, email, name, password_hash, role, company_id, order_limit_minor, monthly_limit_minor)
      select md5('u' || k || '-' || b)::uuid, 'user' || k || '-' || b || '@customer.bench', 'Customer ' || k || ' person ' || b, 'x',
        (case when b = 0 then 'customer_admin' else 'buyer' end)::user_role, md5('c' || k)::uuid,
        case when b = 1 then 2000000 end, case when b = 1 then 20000000 end
      from generate_series(0, ${nc - 1}) k, generate_series(0, 3) b`,
  );
  await step(
    "companies+users",
    sql`insert into users (id, email, name, password_hash, role)
      select md5('s' || s)::uuid, 'staff' || s || '@seller.bench', 'Staff ' || s, 'x',
        (case when s < 5 then 'sales' when s < 8 then 'finance' else 'admin' end)::user_role
      from generate_series(0, 9) s`,
  );

  // Products (price and tax are functions of the index, so lines compute them without a join).
  await step(
    "products",
    sql`insert into products (id, sku, name, description, category, unit, base_price_minor, currency, tax_rate_bp, low_stock_threshold, archived_at)
      select md5('p' || j)::uuid, 'BN-' || lpad(j::text, 6, '0'),
        (array['Steel','Brass','Nylon','Heavy','Compact','Industrial','Precision','Galvanised'])[1 + j % 8] || ' ' ||
        (array['hammer','bolt','washer','bracket','valve','cable','glove','sealant','drill','clamp'])[1 + (j / 8) % 10] || ' ' || j,
        '', (array['Fasteners','Hand Tools','Power Tools','Safety','Electrical','Plumbing','Adhesives','Packaging','Cleaning','Office'])[1 + j % 10],
        'each', ${price("j")}, 'EUR', ${rate("j")},
        case when j % 10 < 7 then 5 + j % 20 else 0 end,
        case when j % 50 = 49 then ${now}::timestamptz - interval '30 days' end
      from generate_series(0, ${np - 1}) j`,
  );
  await step(
    "products",
    sql`insert into inventory (product_id, on_hand, reserved)
      select md5('p' || j)::uuid, x.on_hand, least(x.on_hand, ${h("j", 2, 15)})
      from generate_series(0, ${np - 1}) j, lateral (select ${h("j", 1, 200)}::int as on_hand) x`,
  );
  await step(
    "products",
    sql`insert into stock_movements (product_id, kind, on_hand_delta, reserved_delta, reason, created_at)
      select product_id, 'receipt'::stock_movement_kind, on_hand, 0, 'bench opening stock', ${now}::timestamptz - interval '366 days' from inventory where on_hand > 0
      union all
      select product_id, 'reservation'::stock_movement_kind, 0, reserved, 'bench open orders', ${now}::timestamptz - interval '1 day' from inventory where reserved > 0`,
  );

  // The orders' paths (a temporary table: every later statement reads it).
  await step(
    "plan orders",
    sql`create temporary table bench_orders on commit preserve rows as
      with base as (
        select i, md5('o' || i)::uuid as id,
          (i % ${nc * 2}) / 8 * 4 + (array[0,0,0,0,1,1,2,3])[1 + (i % ${nc * 2}) % 8] as k,
          ${h(i, 3, 3)} + 1 as buyer, ${h(i, 4, 100)} as path, ${h(i, 5, 11)} + 5 as nlines,
          ${h(i, 6, 3)} = 0 as needs_cust, ${h(i, 7, 4)} = 0 as needs_fin,
          ${now}::timestamptz - interval '365 days' + ((i + ${h(i, 8, 1000)} / 1000.0) / ${n}) * interval '365 days' as sub,
          ${h(i, 9, 47)} + 1 as acc_h, ${h(i, 10, 20)} + 1 as cust_h, ${h(i, 11, 30)} + 1 as sales_h, ${h(i, 12, 40)} + 1 as fin_h,
          ${h(i, 13, 96)} + 24 as ship_h, ${h(i, 14, 72)} + 24 as deliv_h, ${h(i, 15, 200)} + 1 as end_h
        from generate_series(0, ${n - 1}) i
      ),
      t as (
        select b.*, ${currency("b.k")} as currency, ${terms("b.k")} as terms,
          sub + interval '14 days' as valid_until,
          sub + acc_h * interval '1 hour' as acc,
          case when needs_cust then sub + (acc_h + cust_h) * interval '1 hour' end as cust_dec,
          sub + (acc_h + case when needs_cust then cust_h else 0 end + sales_h) * interval '1 hour' as sales_dec
        from base b
      ),
      t2 as (
        select t.*, case when needs_fin then sales_dec + fin_h * interval '1 hour' end as fin_dec,
          case when needs_fin then sales_dec + fin_h * interval '1 hour' else sales_dec end as appr
        from t
      ),
      t3 as (
        select t2.*, appr + ship_h * interval '1 hour' as ship, appr + (ship_h + deliv_h) * interval '1 hour' as deliv,
          appr + (ship_h + deliv_h) * interval '1 hour' + (terms + 5) * interval '1 day' as complete,
          appr + end_h * interval '1 hour' as cancel_after,
          case when path < 8 then 'declined' when path < 15 then 'expired' when path < 19 then 'rejected'
            when path < 21 then 'cancelled_quoted' when path < 24 then 'cancelled_approved' when path < 28 then 'approved'
            when path < 30 then 'shipped' when path < 37 then 'delivered' else 'completed' end as want
        from t2
      )
      select t3.*,
        case
          when want = 'declined' then case when sub + end_h * interval '1 hour' <= ${now} then 'declined' else 'quoted' end
          when want = 'expired' then case when valid_until <= ${now} then 'expired' else 'quoted' end
          when want = 'cancelled_quoted' then case when sub + end_h * interval '1 hour' <= ${now} then 'cancelled' else 'quoted' end
          when acc > ${now} then 'quoted'
          when needs_cust and cust_dec > ${now} then 'awaiting_customer_approval'
          when want = 'rejected' then case when sales_dec <= ${now} then 'rejected' else 'awaiting_seller_approval' end
          when appr > ${now} then 'awaiting_seller_approval'
          when want = 'cancelled_approved' then case when cancel_after <= ${now} then 'cancelled' else 'approved' end
          when want = 'approved' or ship > ${now} then 'approved'
          when want = 'shipped' or deliv > ${now} then 'shipped'
          when want = 'delivered' or complete > ${now} then 'delivered'
          else 'completed'
        end::order_status as status
      from t3`,
  );
  await step("plan orders", sql`alter table bench_orders add primary key (i)`);
  await step(
    "plan orders",
    sql`alter table bench_orders add column invoiced boolean, add column credited boolean, add column issue_date date, add column due_date date, add column cn_date date`,
  );
  await step(
    "plan orders",
    sql`update bench_orders set
        invoiced = status in ('approved', 'shipped', 'delivered', 'completed') or (status = 'cancelled' and want = 'cancelled_approved'),
        credited = status = 'cancelled' and want = 'cancelled_approved',
        issue_date = (appr at time zone ${tz})::date,
        due_date = (appr at time zone ${tz})::date + terms,
        cn_date = (cancel_after at time zone ${tz})::date`,
  );
  await step("plan orders", sql`analyze bench_orders`);

  // Lines: product, quantity and price from hashes of (order, line).
  await step(
    "plan lines",
    sql`create temporary table bench_lines on commit preserve rows as
      select o.i, l as line_no, x.j, x.qty, x.qty * ${price("x.j")}::bigint as net, ${rate("x.j")} as rate
      from bench_orders o, generate_series(1, o.nlines) l,
        lateral (select ${h("o.i * 16 + l", 20, np)} as j, ${h("o.i * 16 + l", 21, 10)} + 1 as qty) x`,
  );
  await step(
    "plan lines",
    sql`create temporary table bench_totals on commit preserve rows as
      select i, sum(net)::bigint as subtotal, sum((net * rate + 5000) / 10000)::bigint as tax from bench_lines group by i`,
  );
  await step("plan lines", sql`alter table bench_totals add primary key (i)`);

  // Payments: parts of each uncredited invoice, by how long ago it fell due.
  await step(
    "plan payments",
    sql`create temporary table bench_payments on commit preserve rows as
      with inv as (
        select o.i, o.k, o.currency, o.issue_date, o.due_date, o.terms, t.subtotal + t.tax as total, ${h(i, 30, 100)} as ph, ${h(i, 31, 5)} + 1 as parts, ${h(i, 36, 100)} as ex
        from bench_orders o join bench_totals t using (i) where o.invoiced and not o.credited
      ),
      shaped as (
        select inv.*, case
            when due_date < ${clock.today}::date - 30 then case when ph < 92 then 'full' when ph < 96 then 'half' else 'none' end
            when due_date < ${clock.today}::date then case when ph < 55 then 'full' when ph < 75 then 'half' else 'none' end
            else case when ph < 30 then 'full' when ph < 45 then 'half' else 'none' end
          end as paid
        from inv
      ),
      parts as (
        select s.i, s.k, s.currency, s.issue_date, s.total, p, s.parts,
          case when s.paid = 'half' then s.total / 2 when p < s.parts then s.total / s.parts else s.total - (s.parts - 1) * (s.total / s.parts) end as amount,
          s.issue_date + greatest(0, (s.terms * p) / (s.parts + 1) + ${h("s.i * 8 + p", 32, 12)}::int - 4) as paid_on,
          'part' as kind
        from shaped s, generate_series(1, s.parts) p
        where s.paid = 'full' or (s.paid = 'half' and p = 1)
        union all
        select s.i, s.k, s.currency, s.issue_date, s.total, 9, 1, s.total, s.issue_date + ${h(i, 33, 40)}::int,
          case when ex < 3 then 'rejected' else 'refunded' end
        from shaped s where ex < 5
      )
      select md5('pay' || i || '-' || p)::uuid as id, md5('i' || i)::uuid as invoice_id, md5('c' || k)::uuid as company_id, currency, amount, paid_on, i, p,
        case when kind = 'part' then case when paid_on >= ${clock.today}::date - 3 and ${h("i * 8 + p", 34, 2)} = 0 then 'pending_verification' else 'verified' end
          else kind end::payment_status as status,
        (array['remittance','bank_statement','bank_statement','manual'])[1 + ${h("i * 8 + p", 35, 4)}]::payment_source as source
      from parts where paid_on <= ${clock.today}::date and amount > 0`,
  );
  await step("plan payments", sql`analyze bench_payments`);

  // The documents.
  await step(
    "orders",
    sql`insert into orders (id, reference, company_id, buyer_id, status, currency, po_number, total_minor, needs_finance_approval, approval_reasons,
        submitted_at, accepted_at, approved_at, shipped_at, delivered_at, paid_at, closed_at, close_reason, created_at, updated_at)
      select o.id, 'ORD-' || lpad(o.i::text, 7, '0'), md5('c' || o.k)::uuid, md5('u' || o.k || '-' || o.buyer)::uuid, o.status, o.currency,
        'PO-' || o.i, t.subtotal + t.tax, o.needs_fin, case when o.needs_fin then '["credit"]'::jsonb else '[]'::jsonb end,
        o.sub,
        case when o.status in ('quoted', 'declined', 'expired') or o.want = 'cancelled_quoted' then null else o.acc end,
        case when o.status in ('approved', 'shipped', 'delivered', 'completed') or o.credited then o.appr end,
        case when o.status in ('shipped', 'delivered', 'completed') then o.ship end,
        case when o.status in ('delivered', 'completed') then o.deliv end,
        o.paid_at,
        case o.status when 'completed' then o.complete when 'declined' then o.sub + o.end_h * interval '1 hour'
          when 'expired' then o.valid_until when 'rejected' then o.sales_dec
          when 'cancelled' then case when o.credited then o.cancel_after else o.sub + o.end_h * interval '1 hour' end end,
        case o.status when 'declined' then 'declined by customer' when 'cancelled' then 'cancelled' when 'rejected' then 'rejected' end,
        o.sub - interval '1 hour', o.sub
      from (
        select o.i, o.id, o.k, o.buyer, o.currency, o.needs_fin, o.sub, o.want, o.credited, o.acc, o.appr, o.ship, o.deliv, o.valid_until,
          o.end_h, o.sales_dec, o.cancel_after, pa.paid_at,
          -- Completed means delivered and paid: an order whose invoice is not settled stays delivered.
          case when o.status = 'completed' and pa.paid_at is null then 'delivered'::order_status else o.status end as status,
          greatest(o.complete, pa.paid_at) as complete
        from bench_orders o
        left join (
          select p.i, least((max(p.paid_on)::timestamp at time zone ${tz}) + interval '12 hours', ${now}::timestamptz) as paid_at
          from bench_payments p join bench_totals t using (i) where p.status = 'verified'
          group by p.i, t.subtotal, t.tax having sum(p.amount) >= t.subtotal + t.tax
        ) pa on pa.i = o.i
      ) o join bench_totals t using (i)`,
  );
  await step(
    "quotations",
    sql`insert into quotations (id, order_id, number, version, issued_at, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, issued_by, seller, customer, terms,
        fx_base, fx_quote, fx_rate, fx_rate_date, fx_source)
      select md5('q' || o.i)::uuid, o.id, 'Q-' || lpad(o.i::text, 7, '0'), 1, o.sub, o.valid_until, o.currency, t.subtotal, t.tax, t.subtotal + t.tax,
        'per_line', md5('s' || (o.i % 5))::uuid, '{"name":"Bench Seller"}', jsonb_build_object('name', 'Bench Customer ' || o.k), 'Net ' || o.terms || ' days',
        ${fx("o")}
      from bench_orders o join bench_totals t using (i)`,
  );
  const lineColumns = sql`line_no, product_id, sku, name, unit, quantity, unit_price_minor, discount_bp, net_minor, tax_rate_bp, tax_minor, total_minor`;
  const lineValues = sql`l.line_no, md5('p' || l.j)::uuid, 'BN-' || lpad(l.j::text, 6, '0'), 'Bench product ' || l.j, 'each', l.qty, ${price("l.j")}, 0,
        l.net, l.rate, (l.net * l.rate + 5000) / 10000, l.net + (l.net * l.rate + 5000) / 10000`;
  await step("quotation lines", sql`insert into quotation_lines (quotation_id, ${lineColumns}) select md5('q' || l.i)::uuid, ${lineValues} from bench_lines l`);
  await step(
    "approvals",
    sql`insert into order_approvals (order_id, step, decision, approver_id, decided_at)
      select o.id, 'customer'::approval_step, 'approved'::approval_decision, md5('u' || o.k || '-0')::uuid, o.cust_dec
        from bench_orders o where o.needs_cust and o.status not in ('quoted', 'declined', 'expired', 'awaiting_customer_approval') and o.want <> 'cancelled_quoted'
      union all
      select o.id, 'sales'::approval_step, (case when o.status = 'rejected' then 'rejected' else 'approved' end)::approval_decision, md5('s' || (o.i % 5))::uuid, o.sales_dec
        from bench_orders o where o.status in ('rejected', 'approved', 'shipped', 'delivered', 'completed') or o.credited
          or (o.status = 'awaiting_seller_approval' and o.needs_fin and o.sales_dec <= ${now})
      union all
      select o.id, 'finance'::approval_step, 'approved'::approval_decision, md5('s' || (5 + o.i % 3))::uuid, o.fin_dec
        from bench_orders o where o.needs_fin and (o.status in ('approved', 'shipped', 'delivered', 'completed') or o.credited)`,
  );
  await step(
    "invoices",
    sql`insert into invoices (id, number, order_id, quotation_id, company_id, issue_date, due_date, currency, subtotal_minor, tax_minor, total_minor,
        rounding_method, status, payment_reference, seller, customer, issued_at, fx_base, fx_quote, fx_rate, fx_rate_date, fx_source)
      select md5('i' || o.i)::uuid, 'INV-' || to_char(o.issue_date, 'YYYY') || '-' || lpad(o.i::text, 6, '0'), o.id, md5('q' || o.i)::uuid, md5('c' || o.k)::uuid,
        o.issue_date, o.due_date, o.currency, t.subtotal, t.tax, t.subtotal + t.tax, 'per_line',
        (case when o.credited then 'cancelled' else 'open' end)::invoice_status, null, '{"name":"Bench Seller"}', jsonb_build_object('name', 'Bench Customer ' || o.k), o.appr,
        ${fx("o")}
      from bench_orders o join bench_totals t using (i) where o.invoiced`,
  );
  await step(
    "invoice lines",
    sql`insert into invoice_lines (invoice_id, ${lineColumns}) select md5('i' || l.i)::uuid, ${lineValues} from bench_lines l join bench_orders o using (i) where o.invoiced`,
  );
  await step(
    "credit notes",
    sql`insert into credit_notes (id, number, invoice_id, order_id, company_id, issue_date, currency, subtotal_minor, tax_minor, total_minor, reason, issued_at)
      select md5('n' || o.i)::uuid, 'CN-' || to_char(o.cn_date, 'YYYY') || '-' || lpad(o.i::text, 6, '0'), md5('i' || o.i)::uuid, o.id, md5('c' || o.k)::uuid,
        o.cn_date, o.currency, t.subtotal, t.tax, t.subtotal + t.tax, 'order cancelled', o.cancel_after
      from bench_orders o join bench_totals t using (i) where o.credited`,
  );
  await step(
    "payments",
    sql`insert into payments (id, company_id, source, status, amount_minor, currency, paid_on, reference, decided_by, decided_at, decision_reason, created_at)
      select p.id, p.company_id, p.source, p.status, p.amount, p.currency, p.paid_on, 'INV-' || lpad(p.i::text, 6, '0'),
        case when p.status <> 'pending_verification' then md5('s' || (5 + p.i % 3))::uuid end,
        case when p.status <> 'pending_verification' then (p.paid_on + 1)::timestamp at time zone ${tz} end,
        case p.status when 'rejected' then 'bounced' when 'refunded' then 'paid twice' end,
        p.paid_on::timestamp at time zone ${tz} + interval '9 hours'
      from bench_payments p`,
  );
  // The allocation trigger plans its lookups (allocations of an invoice, joined to their payments) when
  // it first runs: with the tables never analysed it scans them for every row (quadratic, > 10 minutes
  // at 100k). A first slice, then statistics (which also drop the trigger's cached plans), then the rest.
  await step("allocations", sql.raw(`set session_replication_role = origin`));
  // The receivables rollup's trigger would recompute an invoice's row per allocation (it doubled this
  // step); the rollup is rebuilt set-wise below instead, and verifyLoad compares it with the ledger.
  await step("allocations", sql.raw(`alter table payment_allocations disable trigger receivable_balances_allocation, disable trigger converted_entries_allocation`));
  await step("allocations", sql`analyze payments`);
  await step("allocations", sql`insert into payment_allocations (payment_id, invoice_id, amount_minor) select id, invoice_id, amount from bench_payments where i < 100`);
  await step("allocations", sql`analyze payment_allocations`);
  await step("allocations", sql`insert into payment_allocations (payment_id, invoice_id, amount_minor) select id, invoice_id, amount from bench_payments where i >= 100`);
  await step("allocations", sql.raw(`alter table payment_allocations enable trigger receivable_balances_allocation, enable trigger converted_entries_allocation`));
  await step("bank lines", sql.raw(`set session_replication_role = replica`));
  // Bank statements: one a month; a line for each bank-statement payment, plus unmatched and suggested ones.
  await step(
    "bank lines",
    sql`insert into bank_statements (id, bank_name, format, file_name, file_sha256, account_iban, line_count, new_line_count, imported_at)
      select md5('st' || m)::uuid, 'Bench Bank', 'camt053', 'statement-' || m || '.xml', md5('st' || m) || md5('st' || m), 'DE89370400440532013000', 0, 0,
        ${now}::timestamptz - (12 - m) * interval '1 month'
      from generate_series(0, 12) m`,
  );
  await step(
    "bank lines",
    sql`insert into bank_statement_lines (statement_id, bank_name, account_key, identity, line_no, booked_on, amount_minor, currency, counterparty, reference,
        bank_transaction_id, status, payment_id, decided_by, decided_at)
      select md5('st' || greatest(0, 12 - ((${clock.today}::date - p.paid_on) / 30)))::uuid, 'Bench Bank', 'DE89370400440532013000', 'tx-' || p.id, p.p,
        p.paid_on, p.amount, p.currency, 'Bench Customer', 'INV-' || lpad(p.i::text, 6, '0'), 'tx-' || p.id, 'confirmed'::statement_line_status, p.id,
        md5('s' || (5 + p.i % 3))::uuid, (p.paid_on + 1)::timestamp at time zone ${tz}
      from bench_payments p where p.source = 'bank_statement' and p.status in ('verified', 'refunded')
      union all
      select md5('st' || (12 - x / ${Math.max(1, n / 2000)} % 3))::uuid, 'Bench Bank', 'DE89370400440532013000', 'u-' || x, x,
        ${clock.today}::date - ${h("x", 40, 60)}::int, 1000 + ${h("x", 41, 500000)}, 'EUR', 'Unknown payer ' || x, 'ref ' || x, 'u-' || x,
        (case when x % 4 = 0 then 'suggested' when x % 10 = 1 then 'ignored' else 'unmatched' end)::statement_line_status, null, null, null
      from generate_series(1, ${n / 50}) x`,
  );
  await step(
    "bank lines",
    sql`update bank_statements s set line_count = c.n, new_line_count = c.n from (select statement_id, count(*) as n from bank_statement_lines group by statement_id) c
      where c.statement_id = s.id`,
  );
  await step("audit", sql.raw(`set session_replication_role = origin`));
  // Audit events of the last days (the dashboard counts denied attempts of the last 24 hours).
  await step(
    "audit",
    sql`insert into audit_events (occurred_at, actor_type, actor_id, actor_role, action, entity_type, entity_id, diff, request_id, ip, user_agent, outcome)
      select ${now}::timestamptz - (x::float8 / ${n / 100}) * interval '3 days', 'user'::audit_actor_type, md5('s' || (x % 10))::uuid, 'sales',
        case when x % 10 = 0 then 'order.approve' else 'order.view' end, 'order', md5('o' || x)::uuid::text, '{}'::jsonb, 'req-' || x, '203.0.113.' || (x % 250), 'bench',
        (case when x % 10 = 0 then 'denied' else 'success' end)::audit_outcome
      from generate_series(1, ${n / 100}) x`,
  );
  // Numbering continues after the generated documents.
  await step(
    "sequences",
    sql`insert into document_sequences (kind, year, last_value) select kind, y, ${n} from unnest(array['order','quotation','invoice','credit_note']) kind, generate_series(2025, 2027) y
      on conflict do nothing`,
  );
  // The receivables rollup (migration 0017) follows documents through triggers the load skipped.
  await step("receivables rollup", sql`select receivable_balances_rebuild()`);
  // The finance dashboard's converted entries (migration 0035) likewise.
  await step("converted entries", sql`select converted_entries_rebuild()`);
  // The sales rollups (migration 0020) likewise: in the bench clock's zone (which rebuilds them when
  // it differs from the migrate step's SELLER_TIME_ZONE), then rebuilt from the loaded orders.
  await step("sales rollups", sql`select sales_rollups_set_time_zone(${tz})`);
  await step("sales rollups", sql`select sales_rollups_rebuild()`);
  await step("vacuum analyze", sql`vacuum analyze`);
  const violations = await verifyLoad(db);
  phases["verify"] = performance.now() - last;
  if (violations.length) throw new Error(`the generated data breaks: ${violations.join("; ")}`);
  const ms = performance.now() - t0;
  const counts: Record<string, number> = {};
  for (const table of ["companies", "users", "products", "orders", "quotations", "quotation_lines", "order_approvals", "invoices", "invoice_lines", "credit_notes", "payments", "payment_allocations", "bank_statement_lines", "audit_events"]) {
    const r = (await db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { n: number }[] | { rows: { n: number }[] };
    counts[table] = (Array.isArray(r) ? r[0]!.n : r.rows[0]!.n);
  }
  await db.execute(sql`drop table bench_orders, bench_lines, bench_totals, bench_payments`);
  return { ms, phases, counts };
}

type Executor = { execute: (q: SQL) => PromiseLike<unknown> };
const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : (r as { rows: T[] }).rows);

/**
 * What the skipped row-by-row checks would have refused, checked set-wise: every foreign key of the
 * public schema (one anti-join each), orders.total_minor = the latest quotation's total (the
 * quotation trigger), no invoice allocated beyond its total by pending or verified payments (the
 * allocation guard). Returns one line per broken rule.
 */
export async function verifyLoad(db: Executor): Promise<string[]> {
  const fks = rowsOf<{ name: string; child: string; cols: string[]; parent: string; pcols: string[] }>(
    await db.execute(sql`select c.conname as name, c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent,
        array(select a.attname::text from unnest(c.conkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.o) as cols,
        array(select a.attname::text from unnest(c.confkey) with ordinality k(n, o) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.o) as pcols
      from pg_constraint c where c.contype = 'f' and c.connamespace = 'public'::regnamespace`),
  );
  const checks = fks.map((fk) => {
    const notNull = fk.cols.map((c) => `x."${c}" is not null`).join(" and ");
    const match = fk.cols.map((c, n) => `p."${fk.pcols[n]}" = x."${c}"`).join(" and ");
    return `select '${fk.name}' as rule, count(*)::int as n from ${fk.child} x where ${notNull} and not exists (select 1 from ${fk.parent} p where ${match})`;
  });
  checks.push(`select 'orders.total_minor follows the latest quotation', count(*)::int from orders o
    join lateral (select total_minor from quotations q where q.order_id = o.id order by version desc limit 1) q on true where o.total_minor is distinct from q.total_minor`);
  checks.push(`select 'payment_allocations_within_invoice_total', count(*)::int from invoices i join (select a.invoice_id, sum(a.amount_minor) as allocated
    from payment_allocations a join payments p on p.id = a.payment_id where p.status in ('pending_verification', 'verified') group by a.invoice_id) s on s.invoice_id = i.id
    where s.allocated > i.total_minor`);
  checks.push(`select 'receivable_balances = outstanding today', count(*)::int from receivable_balances r full join (
    select i.id, i.total_minor - coalesce((select sum(a.amount_minor) from payment_allocations a join payments p on p.id = a.payment_id
      where a.invoice_id = i.id and p.status = 'verified'), 0) as due
    from invoices i where i.status = 'open' and not exists (select 1 from credit_notes n where n.invoice_id = i.id)) d on d.id = r.invoice_id
    where (d.due > 0 or r.invoice_id is not null) and r.outstanding_minor is distinct from d.due`);
  const rows = rowsOf<{ rule: string; n: number }>(await db.execute(sql.raw(checks.join("\nunion all\n"))));
  return rows.filter((r) => r.n > 0).map((r) => `${r.rule}: ${r.n} rows`);
}
