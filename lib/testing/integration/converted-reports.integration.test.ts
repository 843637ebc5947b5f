import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/db/client";
import { runReport, type ReportInput, type ReportName } from "@/db/queries/analytics/reports";
import { formatMoney } from "@/lib/domain/money";
import { runMutation } from "@/lib/mutation";
import { csvHeader, csvRecords, reportView } from "@/lib/reports/views";
import { recordManualPayment } from "@/lib/services/payments";
import { actorByEmail, buyerIn, forgetRate, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { invoicedOrder, testKey, type InvoicedOrder } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// Issue 15, /admin/reports and their CSV: each currency shown on its own as before, plus each money
// column in the base currency (EUR) at the documents' snapshot rates (1 EUR = 1.0832 USD = 0.9415 CHF,
// source ECB), one converted total per column over every currency, and the documents without a rate
// named, never counted at 1. Documents of today (tax 0, one unit each):
//   EUR  €100.00                                  → €100.00
//   USD  €19.99 → US$21.65 (2165 / 1.0832 = 1998.7) → €19.99; US$10.00 paid (1000 / 1.0832 = 923.2) → €9.23
//   CHF  €19.99 → CHF 18.82 (1882 / 0.9415 = 1998.9) → €19.99
//   CHF  €10.00 → CHF 9.42, same company, rate forgotten: not converted
//   USD  €30.00 → US$32.50, another company, rate forgotten: not converted

setupTestDatabase();

const SELLER = "EUR";



const clock = sellerClock();
const today = { from: clock.today, to: clock.today };
const report = (name: ReportName, input: Partial<ReportInput> = {}) => runReport(db, name, { period: today, companyId: null, currency: null, ...input }, clock, SELLER);
const productOf = async (orderId: string) => (await rows<{ product_id: string }>(sql`select l.product_id from invoice_lines l join invoices i on i.id = l.invoice_id where i.order_id = ${orderId}`))[0]!.product_id;

let before: Awaited<ReturnType<typeof report>>;
let eur: InvoicedOrder, usd: InvoicedOrder, chf: InvoicedOrder, chfOld: InvoicedOrder, usdOld: InvoicedOrder;

beforeAll(async () => {
  before = await report("revenue-by-customer");
  eur = await invoicedOrder("100.00", { buyer: await buyerIn("EUR", "Report EUR") });
  usd = await invoicedOrder("19.99", { buyer: await buyerIn("USD", "Report USD") });
  chf = await invoicedOrder("19.99", { buyer: await buyerIn("CHF", "Report CHF") });
  chfOld = await invoicedOrder("10.00", { buyer: chf.buyer });
  usdOld = await invoicedOrder("30.00", { buyer: await buyerIn("USD", "Report old USD") });
  await forgetRate(chfOld.orderId);
  await forgetRate(usdOld.orderId);
  const finance = await actorByEmail("finance@demo.test");
  const paid = await runMutation(recordManualPayment, { actor: finance, request: request(), idempotencyKey: testKey("rep") }, { companyId: usd.buyer.companyId, amount: "10.00", paidOn: clock.today, allocations: [{ invoiceId: usd.invoice.id, amount: "10.00" }] });
  if (!paid.ok) throw new Error(paid.error);
});

describe("reports with converted amounts", () => {
  it("revenue by customer in USD: each row converted at its documents' rates, the row without a rate empty and counted; totals over every currency", async () => {
    const r = await report("revenue-by-customer", { currency: "USD" });
    if (r.name !== "revenue-by-customer") throw new Error(r.name);
    expect(r.currency).toBe("USD");
    const view = reportView(r);
    const c = view.converted!;
    // Sources of every USD document in the database: this file's are ECB; other files' may add theirs (one database per run).
    expect([c.currency, c.perRow, c.columns.map((x) => x.key), c.sources]).toEqual(["EUR", true, ["booked", "invoiced", "collected"], expect.arrayContaining(["ECB"])]);
    const id = usd.buyer.companyId;
    const old = usdOld.buyer.companyId;
    expect(r.rows.find((x) => x.companyId === id)).toMatchObject({ bookedMinor: 2165n, invoicedMinor: 2165n, collectedMinor: 1000n });
    expect([c.cells[id], c.missing[id]]).toEqual([{ booked: 1999n, invoiced: 1999n, collected: 923n }, 0]);
    expect([c.cells[old], c.missing[old]]).toEqual([{ booked: null, invoiced: null, collected: 0n }, 2]);

    // The CSV: the table's columns, the currency, then the converted columns and the documents without a rate.
    expect(csvHeader(view, true)).toEqual(["key", "company", "booked", "invoiced", "collected", "currency", "converted_currency", "booked_converted", "invoiced_converted", "collected_converted", "documents_without_rate"]);
    const csv = csvRecords(view, r.currency, true);
    expect(csv.find((x) => x[0] === id)).toEqual([id, usd.companyName, "21.65", "21.65", "10.00", "USD", "EUR", "19.99", "19.99", "9.23", "0"]);
    expect(csv.find((x) => x[0] === old)).toEqual([old, usdOld.companyName, "32.50", "32.50", "0.00", "USD", "EUR", "", "", "0.00", "2"]);

    // Totals over every currency moved by exactly these documents: invoiced 100.00 + 19.99 + 19.99 converted;
    // CHF 9.42 and US$32.50 without a rate; collected €9.23.
    const b = before.converted!;
    const a = r.converted!;
    const missing = (t: typeof a.totals.invoiced, currency: string) => t?.notConverted.find((n) => n.currency === currency) ?? { documents: 0, minor: 0n };
    for (const [figure, minor, documents, chfMissing, usdMissing] of [
      ["booked", 13998n, 3, 942n, 3250n],
      ["invoiced", 13998n, 3, 942n, 3250n],
      ["collected", 923n, 1, 0n, 0n],
    ] as const) {
      const t = a.totals[figure]!;
      const s = b.totals[figure] ?? { minor: 0n, documents: 0, notConverted: [], currency: "EUR", currencies: [] };
      expect([figure, t.minor - s.minor, t.documents - s.documents]).toEqual([figure, minor, documents]);
      expect([figure, missing(t, "CHF").minor - missing(s, "CHF").minor, missing(t, "USD").minor - missing(s, "USD").minor]).toEqual([figure, chfMissing, usdMissing]);
    }
    expect(view.converted!.totals.map((t) => t.key)).toEqual(["booked", "invoiced", "collected"]);
    expect(view.converted!.totals[1]!.text).toMatch(/^Invoiced, all currencies: ≈ €[\d,]+\.\d\d total, converted at the documents' rates; not included: .*CHF.*USD.* without an exchange rate\.$/);
  });

  it("one company's report: the CHF customer's month converted exactly, its document without a rate named; an EUR customer's shows no converted total", async () => {
    const r = await report("revenue-by-month", { companyId: chf.buyer.companyId });
    const view = reportView(r);
    const month = clock.today.slice(0, 7);
    expect(r.currency).toBe("CHF");
    expect(view.rows.find((x) => x.key === month)?.cells).toMatchObject({ booked: 1882n + 942n, invoiced: 1882n + 942n, collected: 0n });
    expect([view.converted!.cells[month], view.converted!.missing[month]]).toEqual([{ booked: 1999n, invoiced: 1999n, collected: 0n }, 2]);
    const tail = `not included: 1 CHF document (${formatMoney(942n, "CHF")}) without an exchange rate.`;
    expect(view.converted!.totals.map((t) => t.text)).toEqual([
      `Booked, all currencies: ≈ €19.99 total, converted at the documents' rates; ${tail}`,
      `Invoiced, all currencies: ≈ €19.99 total, converted at the documents' rates; ${tail}`,
    ]);

    const inEur = reportView(await report("revenue-by-month", { companyId: eur.buyer.companyId }));
    expect([inEur.converted!.perRow, inEur.converted!.totals, inEur.converted!.cells[month]]).toEqual([false, [], { booked: 10000n, invoiced: 10000n, collected: 0n }]);
    expect(csvRecords(inEur, "EUR", true).find((x) => x[0] === month)!.slice(-5)).toEqual(["EUR", "100.00", "100.00", "0.00", "0"]);
  });

  it("products, categories, pipeline and receivables: converted at the invoice's or latest quotation's rate", async () => {
    const product = await productOf(usd.orderId);
    const byProduct = reportView(await report("revenue-by-product", { companyId: usd.buyer.companyId }));
    expect(byProduct.converted!.cells[product]).toEqual({ invoiced: 1999n });
    const byCategory = reportView(await report("revenue-by-category", { companyId: chf.buyer.companyId }));
    // Both CHF invoices' lines are in the category "Pay": one converted, one without a rate.
    expect([byCategory.converted!.cells["Pay"], byCategory.converted!.missing["Pay"]]).toEqual([{ invoiced: 1999n }, 1]);

    const pipeline = await report("sales-pipeline", { companyId: usd.buyer.companyId });
    if (pipeline.name !== "sales-pipeline") throw new Error(pipeline.name);
    const stage = pipeline.rows.find((x) => x.orders > 0)!;
    expect([stage.orders, stage.valueMinor, reportView(pipeline).converted!.cells[stage.stage]]).toEqual([1, 2165n, { value: 1999n }]);

    // Receivables today: US$11.65 left on the USD invoice (1165 / 1.0832 = 1075.5 → €10.76).
    const ageing = reportView(await report("receivables-ageing", { companyId: usd.buyer.companyId }));
    expect(ageing.converted!.cells[clock.today]).toEqual({ total: 1076n });
    expect(ageing.converted!.totals.map((t) => [t.total.minor, t.total.documents])).toEqual([[1076n, 1]]);
    expect(ageing.converted!.totals[0]!.text).toMatch(/^Outstanding on \d{1,2} [A-Z][a-z]{2} \d{4}, all currencies: ≈ €10\.76 total, converted at the documents' rates\.$/);
    const oldAgeing = reportView(await report("receivables-ageing", { companyId: usdOld.buyer.companyId }));
    expect(oldAgeing.converted!.totals[0]!.text).toMatch(new RegExp(`all currencies: ≈ €0\\.00 total, converted at the documents' rates; not included: 1 USD document \\(${formatMoney(3250n, "USD").replace("$", "\\$")}\\) without an exchange rate\\.$`));
  });

  it("without the base currency (as the existing callers) nothing is converted", async () => {
    const r = await runReport(db, "revenue-by-customer", { period: today, companyId: usd.buyer.companyId, currency: null }, clock);
    expect(reportView(r).converted).toBeNull();
    expect(csvHeader(reportView(r), true)).toEqual(["key", "company", "booked", "invoiced", "collected", "currency"]);
  });
});
