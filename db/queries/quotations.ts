import "server-only";
import { sql, type SQL } from "drizzle-orm";
import { quotationLines, quotations, type Quotation, type QuotationLine } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import { jsonParam, statement, tableRow } from "@/db/prepared";
import { openInvoicesOutstandingVerifiedSql } from "@/db/queries/invoice-balances";
import { pricingInput, pricingInputColumns, type PricingInput, type PricingRow } from "@/db/queries/catalog";

// The quotation statements of the hot paths (submit, accept), prepared (see db/prepared.ts).
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
export async function latestQuotation(tx: DbOrTx, orderId: string): Promise<{ quotation: Quotation; lines: QuotationLine[] } | null> {
  const rows = await latestQuotationStatement(tx, { orderId });
  if (!rows[0]) return null;
  return { quotation: quotationRow.map(rows[0]), lines: rows.filter((r) => r.l_line_no !== null).map((r) => quotationLineRow.map(r)) };
}

// A quotation, its lines and (for a first version) its number, in one statement: the number's
// sequence row stays locked until commit and every other submit waits for it, so the fewer
// statements after taking it, the more submits per second. The number is formatted as
// formatDocumentNumber (lib/services/document-numbers.ts) formats it (Q-2026-000042; more digits once past 999999).
const quotationColumns = sql`order_id, number, version, issued_at, valid_until, currency, subtotal_minor, tax_minor, total_minor, rounding_method, revision_reason, issued_by, seller, customer, terms,
  fx_base, fx_quote, fx_rate, fx_rate_date, fx_source`;
const quotationValues = sql`${p("version")}::int, ${p("issuedAt")}::text::timestamptz, ${p("validUntil")}::text::timestamptz, ${p("currency")}::text,
  ${p("subtotalMinor")}::text::bigint, ${p("taxMinor")}::text::bigint, ${p("totalMinor")}::text::bigint, ${p("roundingMethod")}::text,
  ${p("revisionReason")}::text, ${p("issuedBy")}::uuid, ${p("seller")}::text::jsonb, ${p("customer")}::text::jsonb, ${p("terms")}::text,
  ${p("fxBase")}::text, ${p("fxQuote")}::text, ${p("fxRate")}::text::numeric, ${p("fxRateDate")}::text::date, ${p("fxSource")}::text`;

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
  issuedBy: string | null;
  seller: string;
  customer: string;
  terms: string;
  fxBase: string | null;
  fxQuote: string | null;
  fxRate: string | null;
  fxRateDate: string | null;
  fxSource: string | null;
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

export type NewQuotationLine = Omit<QuotationLine, "quotationId" | "lineNo">;
export type NewQuotation = Pick<
  Quotation,
  "orderId" | "version" | "issuedAt" | "validUntil" | "currency" | "subtotalMinor" | "taxMinor" | "totalMinor" | "roundingMethod" | "revisionReason" | "issuedBy" | "seller" | "customer" | "terms"
> & {
  /** The exchange rate the quotation used (issue 15); null in the seller's currency or without a rate. */
  fx: { base: string; quote: string; rate: string; rateDate: string; source: string } | null;
  lines: NewQuotationLine[];
  /** A revision keeps the number of its first version; a first version takes the next Q number of `year`. */
  numbering: { number: string } | { year: number };
};

/** Inserts a quotation version with its lines (numbered lines 1…n), in one statement. */
export async function insertQuotation(tx: DbOrTx, q: NewQuotation): Promise<Quotation> {
  const params: IssueParams = {
    orderId: q.orderId,
    version: q.version,
    issuedAt: q.issuedAt.toISOString(),
    validUntil: q.validUntil.toISOString(),
    currency: q.currency,
    subtotalMinor: q.subtotalMinor.toString(),
    taxMinor: q.taxMinor.toString(),
    totalMinor: q.totalMinor.toString(),
    roundingMethod: q.roundingMethod,
    revisionReason: q.revisionReason,
    issuedBy: q.issuedBy,
    seller: JSON.stringify(q.seller),
    customer: JSON.stringify(q.customer),
    terms: q.terms,
    fxBase: q.fx?.base ?? null,
    fxQuote: q.fx?.quote ?? null,
    fxRate: q.fx?.rate ?? null,
    fxRateDate: q.fx?.rateDate ?? null,
    fxSource: q.fx?.source ?? null,
    lines: jsonParam(
      q.lines.map((l, i) => ({
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
        price_explanation: l.priceExplanation,
      })),
    ),
  };
  const [row] = "number" in q.numbering ? await issueQuotationVersion(tx, { ...params, number: q.numbering.number }) : await issueNumberedQuotation(tx, { ...params, year: q.numbering.year });
  return quotationRow.map(row!);
}

// Submitting takes the cart lines out (rolled back if anything is refused) together with every
// pricing input of their products for the company (pricingInputColumns), in one statement.
const takeCartStatement = statement<PricingRow & { quantity: number }, { orderId: string; companyId: string }>(
  "cart.take_for_quotation",
  sql`with taken as (delete from cart_lines where order_id = ${p("orderId")} returning product_id, quantity, added_at)
      select t.quantity, ${pricingInputColumns(sql`${p("companyId")}::uuid`)}
      from taken t join products pr on pr.id = t.product_id
      order by t.added_at, t.product_id`,
);

/** Removes a cart's lines and returns them with their pricing inputs, in cart order. */
export async function takeCartLines(tx: DbOrTx, cart: { id: string; companyId: string }): Promise<{ quantity: number; input: PricingInput }[]> {
  const rows = await takeCartStatement(tx, { orderId: cart.id, companyId: cart.companyId });
  return rows.map((r) => ({ quantity: r.quantity, input: pricingInput(r) }));
}

export type AcceptanceFigures = {
  /** Open invoices plus accepted orders not yet invoiced (other than this one). */
  exposureMinor: bigint;
  buyerRole: string | null;
  orderLimitMinor: bigint | null;
  monthlyLimitMinor: bigint | null;
  /** Null when the buyer has no monthly limit (then it is not computed). */
  spentThisMonthMinor: bigint | null;
};

/**
 * Credit exposure per company (rows company_id, exposure_minor), the one definition of what a
 * company owes or will owe, for the credit check of an acceptance and the finance dashboard's
 * credit-limit utilisation:
 * - receivables: open invoices' totals less their verified payments
 *   (openInvoicesOutstandingVerifiedSql, the same sums as `invoiceBalances` with "verified");
 * - accepted orders not yet invoiced (awaiting customer or seller approval), at orders.total_minor
 *   (the latest quotation's total, kept by a trigger).
 * Without `companyId` every company's exposure comes from one pass over each table; `companyId`
 * scopes every part, `excludeOrderId` leaves out the order being accepted. A company with no
 * invoice and no such order has no row.
 */
export function creditExposureSql(scope: { companyId?: SQL; excludeOrderId?: SQL } = {}): SQL {
  const company = scope.companyId ? sql`and o.company_id = ${scope.companyId}` : sql``;
  const exclude = scope.excludeOrderId ? sql`and o.id <> ${scope.excludeOrderId}` : sql``;
  return sql`select x.company_id, sum(x.amount_minor) as exposure_minor from (
      select r.company_id, r.outstanding_minor as amount_minor from (${openInvoicesOutstandingVerifiedSql(scope.companyId)}) r
      union all
      select o.company_id, o.total_minor
      from orders o
      where o.status in ('awaiting_customer_approval', 'awaiting_seller_approval') ${company} ${exclude}
    ) x group by x.company_id`;
}

// Meant to be sent right after the company row's lock (a statement of its own, so that this one's
// snapshot sees every acceptance that committed before the lock was granted):
// - exposure: creditExposureSql for the company, other than this order;
// - the limits of the buyer who placed the order, and what that buyer has committed this month
//   (accepted orders, latest quotation totals), only computed when there is a monthly limit.
const acceptanceFiguresStatement = statement<
  { exposure: string; buyer_role: string | null; order_limit: string | null; monthly_limit: string | null; spent: string | null },
  { companyId: string; orderId: string; buyerId: string; now: string }
>(
  "quotations.acceptance_figures",
  sql`select
      coalesce((select e.exposure_minor from (${creditExposureSql({ companyId: sql`${p("companyId")}::uuid`, excludeOrderId: sql`${p("orderId")}::uuid` })}) e), 0)::text as exposure,
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

/** What the credit and spending-limit checks of an acceptance need, in one statement. */
export async function acceptanceFigures(tx: DbOrTx, params: { companyId: string; orderId: string; buyerId: string; now: Date }): Promise<AcceptanceFigures> {
  const [row] = await acceptanceFiguresStatement(tx, { ...params, now: params.now.toISOString() });
  return {
    exposureMinor: BigInt(row!.exposure),
    buyerRole: row!.buyer_role,
    orderLimitMinor: bigintOrNull(row!.order_limit),
    monthlyLimitMinor: bigintOrNull(row!.monthly_limit),
    spentThisMonthMinor: bigintOrNull(row!.spent),
  };
}
