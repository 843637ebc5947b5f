import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import { PdfDataError } from "./model";
import { closePdfPool, renderStatementPdf } from "./render";
import { sampleDocument } from "./sample-data";
import { toStatementRenderModel } from "./statement-model";
import type { StatementData, StatementItem } from "./types";

const { seller, customer } = sampleDocument("invoice", 0);

const item = (n: number, dueDate: string, totalMinor: bigint, paidMinor = 0n, pendingMinor = 0n, currency = "EUR"): StatementItem => ({
  number: `INV-2026-${String(n).padStart(6, "0")}`,
  issueDate: "2026-06-01",
  dueDate,
  currency,
  totalMinor,
  paidMinor,
  pendingMinor,
  dueMinor: totalMinor - paidMinor,
  paymentReference: `RF18 INV2 0260 0000 ${n}`,
});

/** Aged on 2026-11-10; days past due worked out by hand in the comments. */
function statement(): StatementData {
  return {
    statementDate: "2026-11-10",
    seller: { ...seller, iban: "DE89370400440532013000" },
    customer,
    currency: "EUR",
    items: [
      item(3, "2026-11-19", 11_900n), // not yet due: current
      item(2, "2026-10-15", 123_456n), // 26 days: 1–30
      item(1, "2026-07-31", 50_000n, 20_000n, 5_000n), // 102 days: 90+ (€300.00 due, €50.00 awaiting verification)
      item(6, "2026-10-15", 10_000n, 4_000n), // same due date as 2: after it by number
      item(4, "2026-09-10", 8_000n), // 61 days: 61–90
      item(5, "2026-11-10", 2_500n), // due today: current, 0 days
      item(7, "2026-10-10", 7_000n), // 31 days: 31–60
      item(8, "2026-10-11", 99_999n, 0n, 0n, "USD"), // 30 days: 1–30, in its own currency
    ],
  };
}

describe("toStatementRenderModel", () => {
  it("lists the open items oldest due date first, then by number, with days past due", () => {
    const m = toStatementRenderModel(statement());
    expect(m.items.map((i) => `${i.number} ${i.dueDate} ${i.daysPastDue}`)).toEqual([
      "INV-2026-000001 2026-07-31 102",
      "INV-2026-000004 2026-09-10 61",
      "INV-2026-000007 2026-10-10 31",
      "INV-2026-000008 2026-10-11 30",
      "INV-2026-000002 2026-10-15 26",
      "INV-2026-000006 2026-10-15 26",
      "INV-2026-000005 2026-11-10 0",
      "INV-2026-000003 2026-11-19 0",
    ]);
    expect(m.items[0]).toEqual({
      number: "INV-2026-000001",
      reference: "RF18 INV2 0260 0000 1",
      issueDate: "2026-06-01",
      dueDate: "2026-07-31",
      total: "€500.00",
      paid: "€200.00",
      pending: "€50.00",
      due: "€300.00",
      daysPastDue: "102",
    });
    expect(m.items[3]!.due).toBe("US$999.99");
    expect(m.meta).toEqual([
      { label: "Statement date", value: "2026-11-10" },
      { label: "Currency", value: "EUR, USD" },
      { label: "Open items", value: "8" },
    ]);
  });

  it("sums what is due per ageing bucket and per currency, never across currencies", () => {
    const m = toStatementRenderModel(statement());
    expect(m.ageingHeadings).toEqual(["Current", "1–30 days", "31–60 days", "61–90 days", "Over 90 days", "Total due"]);
    expect(m.ageing).toEqual([
      // current 119.00 + 25.00; 1–30 1,234.56 + 60.00; 31–60 70.00; 61–90 80.00; 90+ 300.00 (not the €500.00 total)
      { currency: "EUR", buckets: ["€144.00", "€1,294.56", "€70.00", "€80.00", "€300.00"], total: "€1,888.56" },
      { currency: "USD", buckets: ["US$0.00", "US$999.99", "US$0.00", "US$0.00", "US$0.00"], total: "US$999.99" },
    ]);
    expect(m.notes).toHaveLength(2);
    expect(m.notes[1]).toMatch(/^Payments awaiting verification/);
  });

  it("prints the seller's bank account in groups of four and the payment reference note", () => {
    const m = toStatementRenderModel(statement());
    expect(m.payment).toEqual([
      { label: "Account holder", value: "Nordwerk Industriebedarf GmbH" },
      { label: "Bank", value: "Commerzbank Hamburg" },
      { label: "IBAN", value: "DE89 3704 0044 0532 0130 00" },
      { label: "BIC", value: "COBADEFFXXX" },
    ]);
    expect(m.paymentNote).toContain("Each invoice has its own payment reference (RF…, printed under each item above)");
    expect(m.customer).toEqual({ name: "Kowalski & Søn Maschinenbau AG", lines: ["Ul. Piotrkowska 104", "90-926 Łódź", "Poland", "VAT ID: PL5260250995", "ap@kowalski.example"] });
  });

  it("prints a zero ageing row in the company's currency when nothing is open", () => {
    const m = toStatementRenderModel({ ...statement(), currency: "JPY", items: [] });
    expect(m.items).toEqual([]);
    expect(m.emptyNote).toBe("Nothing is due on this account on 2026-11-10.");
    expect(m.ageing).toEqual([{ currency: "JPY", buckets: Array(5).fill("JP¥0"), total: "JP¥0" }]);
    expect(m.meta).toContainEqual({ label: "Open items", value: "0" });
    expect(m.notes).toEqual([]);
  });

  it("refuses items whose figures do not add up or that are not open", () => {
    const d = statement();
    expect(() => toStatementRenderModel({ ...d, items: [{ ...item(1, "2026-10-01", 10_000n), dueMinor: 9_999n }] })).toThrow(/INV-2026-000001: paid \+ due ≠ total/);
    expect(() => toStatementRenderModel({ ...d, items: [item(2, "2026-10-01", 10_000n, 10_000n)] })).toThrow(/INV-2026-000002: nothing is due/);
    expect(() => toStatementRenderModel({ ...d, items: [item(3, "1.10.2026", 10_000n)] })).toThrow(PdfDataError);
    expect(() => toStatementRenderModel({ ...d, statementDate: "today" })).toThrow(/statementDate "today" is not yyyy-mm-dd/);
  });
});

describe("renderStatementPdf (worker pool)", () => {
  afterAll(async () => {
    await closePdfPool();
  });

  async function pdfPages(pdf: Buffer): Promise<string[]> {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      return (await parser.getText()).pages.map((p) => p.text);
    } finally {
      await parser.destroy();
    }
  }

  it("renders the items, the ageing summary and the bank details", async () => {
    const pdf = await renderStatementPdf(statement());
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const pages = await pdfPages(pdf);
    expect(pages).toHaveLength(1);
    const text = pages[0]!;
    expect(text).toContain("Statement of account");
    expect(text).toContain("Statement date 2026-11-10");
    expect(text).toContain("INV-2026-000001 2026-06-01 2026-07-31 €500.00 €200.00 €50.00 €300.00 102");
    expect(text).toContain("€300.00 102\nPayment reference RF18 INV2 0260 0000 1\n");
    expect(text).toContain("INV-2026-000008 2026-06-01 2026-10-11 US$999.99 US$0.00 US$0.00 US$999.99 30");
    expect(text).toContain("Current 1–30 days 31–60 days 61–90 days Over 90 days Total due");
    expect(text).toContain("EUR €144.00 €1,294.56 €70.00 €80.00 €300.00 €1,888.56");
    expect(text).toContain("USD US$0.00 US$999.99 US$0.00 US$0.00 US$0.00 US$999.99");
    expect(text).toContain("IBAN DE89 3704 0044 0532 0130 00");
    expect(text).toContain("Page 1 of 1");
  }, 30_000);

  it("repeats the table header and numbers the pages of a long statement", async () => {
    const many = Array.from({ length: 150 }, (_, i) => item(i + 1, `2026-${String(1 + (i % 10)).padStart(2, "0")}-15`, 10_000n + BigInt(i)));
    const pages = await pdfPages(await renderStatementPdf({ ...statement(), items: many }));
    const n = pages.length;
    expect(n).toBeGreaterThan(2);
    pages.forEach((text, i) => {
      expect(text).toMatch(/^Invoice Issued Due date Total Paid Awaiting verification Amount due Days past due$/m);
      expect(text).toContain(`Page ${i + 1} of ${n}`);
    });
    const printed = pages.join("\n").match(/^INV-2026-\d{6} /gm) ?? [];
    expect(printed).toHaveLength(150);
    // 150 × €100.00 + (0 + 1 + … + 149) cents = €15,000.00 + €111.75, all due
    expect(pages[n - 1]).toMatch(/^EUR .* €15,111\.75$/m);
  }, 60_000);
});
