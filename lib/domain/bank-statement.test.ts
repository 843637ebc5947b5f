import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  columnMappingSchema,
  csvHeaders,
  detectStatementFormat,
  lineIdentity,
  parseCamt053,
  parseStatementAmount,
  parseStatementCsv,
  parseStatementDate,
  type ColumnMapping,
  type StatementLine,
} from "./bank-statement";
import { creditorReference, parseCreditorReference } from "./creditor-reference";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8");
const germanCsv = fixture("bank-statement-sample.csv");
const camtXml = fixture("camt053-sample.xml");

const germanMapping: ColumnMapping = columnMappingSchema.parse({
  date: "Buchungstag",
  amount: "Betrag",
  currency: "Währung",
  defaultCurrency: "EUR",
  counterparty: "Auftraggeber / Empfänger",
  reference: ["Verwendungszweck"],
  dateFormat: "DD.MM.YYYY",
  decimalSeparator: ",",
});

const usMapping = (over: Partial<ColumnMapping> = {}): ColumnMapping =>
  columnMappingSchema.parse({
    date: "Date",
    amount: "Amount",
    defaultCurrency: "USD",
    counterparty: "Payee",
    reference: ["Memo"],
    dateFormat: "MM/DD/YYYY",
    decimalSeparator: ".",
    ...over,
  });

function okLines(result: ReturnType<typeof parseStatementCsv> | ReturnType<typeof parseCamt053>): StatementLine[] {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
  return result.lines;
}

function errorsOf(result: ReturnType<typeof parseStatementCsv> | ReturnType<typeof parseCamt053>) {
  if (result.ok) throw new Error("expected errors, got ok");
  return result.errors;
}

const pick = ({ lineNo, bookedOn, amountMinor, currency, counterparty, reference, bankTransactionId }: StatementLine) => ({
  lineNo,
  bookedOn,
  amountMinor,
  currency,
  counterparty,
  reference,
  bankTransactionId,
});

describe("csvHeaders", () => {
  it("detects the delimiter from the header row and returns trimmed names without the BOM", () => {
    expect(csvHeaders(germanCsv)).toEqual({
      delimiter: ";",
      headers: ["Buchungstag", "Valutadatum", "Auftraggeber / Empfänger", "Buchungstext", "Verwendungszweck", "IBAN", "Betrag", "Währung"],
    });
    expect(csvHeaders("Date, Payee ,Amount\n01/02/2026,A,1.00")).toEqual({ delimiter: ",", headers: ["Date", "Payee", "Amount"] });
    expect(csvHeaders("\uFEFFDate\tPayee\tAmount\r\n")).toEqual({ delimiter: "\t", headers: ["Date", "Payee", "Amount"] });
  });

  it("is not fooled by another delimiter inside a quoted header, or by blank lines before the header", () => {
    expect(csvHeaders('"Amount; EUR","Date"\n1,2')).toEqual({ delimiter: ",", headers: ["Amount; EUR", "Date"] });
    expect(csvHeaders('\n\n"Betrag, EUR";Datum\n')).toEqual({ delimiter: ";", headers: ["Betrag, EUR", "Datum"] });
    expect(csvHeaders("")).toEqual({ delimiter: ",", headers: [] });
  });
});

describe("column mapping", () => {
  const base = { date: "D", defaultCurrency: "EUR", reference: ["R"], dateFormat: "YYYY-MM-DD", decimalSeparator: "." };
  const messages = (input: unknown) => columnMappingSchema.safeParse(input).error?.issues.map((i) => i.message) ?? [];

  it("takes one signed amount column or a credit and a debit column, never both or half", () => {
    expect(messages({ ...base, amount: "A" })).toEqual([]);
    expect(messages({ ...base, credit: "C", debit: "D" })).toEqual([]);
    const either = "Choose either one signed amount column, or both a credit and a debit column.";
    expect(messages(base)).toEqual([either]);
    expect(messages({ ...base, amount: "A", credit: "C", debit: "D" })).toEqual([either]);
    expect(messages({ ...base, credit: "C" })).toEqual([either]);
  });

  it("refuses a default currency that is not an ISO 4217 code and an empty reference list", () => {
    expect(messages({ ...base, amount: "A", defaultCurrency: "eur" })).toEqual(["Use a three-letter ISO 4217 code such as EUR."]);
    expect(messages({ ...base, amount: "A", defaultCurrency: "EUX" })).toEqual(["This is not a known ISO 4217 currency code."]);
    expect(messages({ ...base, amount: "A", reference: [] })).toEqual(["Choose at least one reference column."]);
  });
});

describe("dates", () => {
  it("reads the four formats", () => {
    expect(parseStatementDate("2026-03-02", "YYYY-MM-DD")).toEqual({ ok: true, date: "2026-03-02" });
    expect(parseStatementDate("02.03.2026", "DD.MM.YYYY")).toEqual({ ok: true, date: "2026-03-02" });
    expect(parseStatementDate("2.3.2026", "DD.MM.YYYY")).toEqual({ ok: true, date: "2026-03-02" });
    expect(parseStatementDate("02/03/2026", "DD/MM/YYYY")).toEqual({ ok: true, date: "2026-03-02" });
    expect(parseStatementDate("03/02/2026", "MM/DD/YYYY")).toEqual({ ok: true, date: "2026-03-02" });
    expect(parseStatementDate("29.02.2028", "DD.MM.YYYY")).toEqual({ ok: true, date: "2028-02-29" });
  });

  it("refuses impossible dates and other formats", () => {
    expect(parseStatementDate("31.02.2026", "DD.MM.YYYY")).toEqual({ ok: false, message: '"31.02.2026" is not a calendar date (read as DD.MM.YYYY)' });
    expect(parseStatementDate("29.02.2026", "DD.MM.YYYY").ok).toBe(false);
    expect(parseStatementDate("13/25/2026", "DD/MM/YYYY").ok).toBe(false);
    expect(parseStatementDate("02.03.26", "DD.MM.YYYY")).toEqual({ ok: false, message: '"02.03.26" is not a date in the format DD.MM.YYYY' });
    expect(parseStatementDate("2026-03-02", "DD.MM.YYYY").ok).toBe(false);
  });
});

describe("amounts", () => {
  const eu = (s: string, currency = "EUR") => parseStatementAmount(s, currency, ",");
  const us = (s: string, currency = "USD") => parseStatementAmount(s, currency, ".");
  const minor = (r: ReturnType<typeof parseStatementAmount>) => (r.ok ? r.minor : r.message);

  it("reads European and US notation with thousands separators", () => {
    expect(["1.234,56", "1234,56", "1 234,56", "1\u00a0234,56", "12.345.678,9", "5", "0,5"].map((s) => minor(eu(s)))).toEqual([123456n, 123456n, 123456n, 123456n, 1234567890n, 500n, 50n]);
    expect(["1,234.56", "1234.56", "1'234.56", "12,345,678.9", "5"].map((s) => minor(us(s)))).toEqual([123456n, 123456n, 123456n, 1234567890n, 500n]);
  });

  it("reads signs, parentheses and currency symbols or codes stuck on", () => {
    expect(["-245,80", "245,80-", "+245,80", "(245,80)", "−245,80", "€ -245,80", "-€245,80", "245,80 EUR", "EUR-245,80", "245,80 €-"].map((s) => minor(eu(s)))).toEqual([
      -24580n, -24580n, 24580n, -24580n, -24580n, -24580n, -24580n, 24580n, -24580n, -24580n,
    ]);
    expect(["$1,234.56", "($1,234.56)", "USD 5.00"].map((s) => minor(us(s)))).toEqual([123456n, -123456n, 500n]);
  });

  it("uses the currency's minor digits: JPY none, KWD three", () => {
    expect(minor(us("¥12,345", "JPY"))).toBe(12345n);
    expect(minor(us("12,345.00", "JPY"))).toBe(12345n);
    expect(minor(us("12,345.5", "JPY"))).toBe('"12,345.5" has more decimals than JPY allows (0)');
    expect(minor(us("1.234", "KWD"))).toBe(1234n);
  });

  it("refuses malformed numbers, too many decimals, two signs and a code that contradicts the currency", () => {
    expect(minor(us("12,3.4"))).toBe('"12,3.4" is not an amount');
    expect(minor(eu("1.23"))).toBe('"1.23" is not an amount'); // a US amount read with the EU separator
    expect(minor(eu("1,234.56"))).toBe('"1,234.56" is not an amount');
    expect(minor(eu("12,345"))).toBe('"12,345" has more decimals than EUR allows (2)');
    expect(minor(eu("12,3400"))).toBe(1234n); // trailing zeros beyond the currency's digits are harmless
    for (const s of ["--5", "-5-", "(-5)", "+-5", "5,", "abc", "12abc", "€", "1.2.3"]) expect(eu(s).ok, s).toBe(false);
    expect(minor(eu("5,00 USD"))).toBe('"5,00 USD" is in USD, but the line\'s currency is EUR');
  });
});

describe("parseStatementCsv", () => {
  it("reads a German bank export (semicolons, decimal commas, quoted fields, BOM)", () => {
    const lines = okLines(parseStatementCsv(germanCsv, germanMapping));
    expect(lines.map(pick)).toEqual([
      { lineNo: 1, bookedOn: "2026-03-02", amountMinor: 119000n, currency: "EUR", counterparty: "Müller Maschinenbau GmbH", reference: `${creditorReference("INV-2026-000042")} Rechnung INV-2026-000042`, bankTransactionId: null },
      { lineNo: 2, bookedOn: "2026-03-03", amountMinor: -24580n, currency: "EUR", counterparty: "Stadtwerke Köln GmbH", reference: "Strom März 2026 Kd-Nr. 4711", bankTransactionId: null },
      { lineNo: 3, bookedOn: "2026-03-04", amountMinor: 50000n, currency: "EUR", counterparty: "Bäckerei Schmidt OHG", reference: "INV-2026-000057 Teilzahlung", bankTransactionId: null },
      { lineNo: 4, bookedOn: "2026-03-04", amountMinor: 50000n, currency: "EUR", counterparty: "Bäckerei Schmidt OHG", reference: "INV-2026-000057 Teilzahlung", bankTransactionId: null },
      // data row 5 is the 0,00 closing note: skipped
      { lineNo: 6, bookedOn: "2026-03-05", amountMinor: -990n, currency: "EUR", counterparty: "", reference: "Kontoführung 02/2026", bankTransactionId: null },
      { lineNo: 7, bookedOn: "2026-03-06", amountMinor: 1234567n, currency: "EUR", counterparty: "Hoffmann Logistik AG", reference: creditorReference("INV-2026-000057"), bankTransactionId: null },
    ]);
    expect(parseCreditorReference(lines[5]!.reference)).toBe("RF37INV2026000057");
  });

  it("joins several reference columns, takes the currency column or the default, and reads debit/credit columns", () => {
    const csv = [
      "Date,Payee,Memo,Invoice,Currency,Debit,Credit",
      "03/02/2026,Acme Inc.,Payment,INV-2026-000042,,,\"1,190.00\"",
      "03/03/2026,Power Co,Electricity,,USD,245.80,",
      "03/04/2026,Bank,Fee,,usd,-9.90,",
      "03/05/2026,Tokyo KK,Order 77,,JPY,,\"12,345\"",
      "03/06/2026,Nobody,Nothing,,,0.00,0.00",
    ].join("\r\n");
    const mapping = usMapping({ amount: undefined, credit: "Credit", debit: "Debit", currency: "Currency", reference: ["Memo", "Invoice"] });
    expect(okLines(parseStatementCsv(csv, mapping)).map((l) => [l.lineNo, l.amountMinor, l.currency, l.reference])).toEqual([
      [1, 119000n, "USD", "Payment INV-2026-000042"],
      [2, -24580n, "USD", "Electricity"],
      [3, -990n, "USD", "Fee"],
      [4, 12345n, "JPY", "Order 77"],
    ]);
  });

  it("names a header the mapping wants but the file lacks, once, and reads no rows", () => {
    const errors = errorsOf(parseStatementCsv(germanCsv, { ...germanMapping, amount: "Umsatz", counterparty: "Name" }));
    const columns = "Buchungstag, Valutadatum, Auftraggeber / Empfänger, Buchungstext, Verwendungszweck, IBAN, Betrag, Währung";
    expect(errors).toEqual([
      { row: 0, message: `The file has no column "Umsatz". Its columns are: ${columns}.` },
      { row: 0, message: `The file has no column "Name". Its columns are: ${columns}.` },
    ]);
  });

  it("is all-or-nothing: every bad row is listed with its data row number, blank lines not counted", () => {
    const csv = [
      "Date,Payee,Memo,Amount,Currency",
      "03/02/2026,A,ok,10.00,",
      "02/31/2026,B,bad date,10.00,",
      "",
      "03/04/2026,C,bad amount,\"12,3.4\",",
      "03/05/2026,D,too precise,1.234,",
      "2026-03-06,E,two problems,ten,",
      "03/07/2026,F,bad currency,10.00,XYZ",
      "03/08/2026,G,no amount,,",
      "03/09/2026,H,shifted,1,234.00,USD",
      "03/10/2026,I,ok,-5.00,",
    ].join("\n");
    expect(errorsOf(parseStatementCsv(csv, usMapping({ currency: "Currency" })))).toEqual([
      { row: 2, message: 'Row 2: "02/31/2026" is not a calendar date (read as MM/DD/YYYY)' },
      { row: 3, message: 'Row 3: "12,3.4" is not an amount' },
      { row: 4, message: 'Row 4: "1.234" has more decimals than USD allows (2)' },
      { row: 5, message: 'Row 5: "2026-03-06" is not a date in the format MM/DD/YYYY' },
      { row: 5, message: 'Row 5: "ten" is not an amount' },
      { row: 6, message: 'Row 6: "XYZ" is not a known currency code' },
      { row: 7, message: 'Row 7: no amount in column "Amount"' },
      { row: 8, message: 'Row 8: has 6 fields but the header has 5; is a value containing "," missing its quotes?' },
    ]);
  });

  it("refuses a row with amounts in both the credit and the debit column", () => {
    const csv = "Date,Payee,Memo,Debit,Credit\n03/02/2026,A,x,5.00,6.00\n03/03/2026,B,y,,";
    expect(errorsOf(parseStatementCsv(csv, usMapping({ amount: undefined, credit: "Credit", debit: "Debit" })))).toEqual([
      { row: 1, message: 'Row 1: has amounts in both "Credit" and "Debit"' },
      { row: 2, message: 'Row 2: no amount in column "Credit" or "Debit"' },
    ]);
  });

  it("caps the error list at 100 and says how many more there are", () => {
    const csv = ["Date,Payee,Memo,Amount", ...Array.from({ length: 150 }, () => "03/02/2026,A,x,oops")].join("\n");
    const errors = errorsOf(parseStatementCsv(csv, usMapping()));
    expect(errors).toHaveLength(101);
    expect(errors[99]).toEqual({ row: 100, message: 'Row 100: "oops" is not an amount' });
    expect(errors[100]).toEqual({ row: 0, message: "…and 50 more errors." });
  });

  it("refuses an empty file", () => {
    expect(errorsOf(parseStatementCsv(" \n\n", usMapping()))).toEqual([{ row: 0, message: "The file is empty." }]);
  });
});

describe("line identity", () => {
  const hex = /^[0-9a-f]{64}$/;

  it("is the same when the same file is imported again, and distinct for two identical transfers in one file", () => {
    const first = okLines(parseStatementCsv(germanCsv, germanMapping));
    const again = okLines(parseStatementCsv(germanCsv, germanMapping));
    expect(again.map((l) => l.identity)).toEqual(first.map((l) => l.identity));
    for (const l of first) expect(l.identity).toMatch(hex);
    expect(new Set(first.map((l) => l.identity)).size).toBe(first.length);
    // rows 3 and 4 are the same transfer twice on one day
    expect(pick({ ...first[2]!, lineNo: 0 })).toEqual(pick({ ...first[3]!, lineNo: 0 }));
    expect(first[2]!.identity).not.toBe(first[3]!.identity);
  });

  it("matches the shared lines of an overlapping statement", () => {
    const all = okLines(parseStatementCsv(germanCsv, germanMapping));
    const [header, , ...rest] = germanCsv.split("\n");
    const later = okLines(parseStatementCsv([header, ...rest].join("\n"), germanMapping)); // without the first row
    expect(later.map((l) => l.identity)).toEqual(all.slice(1).map((l) => l.identity));
    expect(later[0]!.lineNo).toBe(1);
  });

  it("ignores case and spacing in the text fields but not the amount, date or occurrence", () => {
    const line = { bookedOn: "2026-03-04", amountMinor: 50000n, currency: "EUR", counterparty: "Bäckerei Schmidt OHG", reference: "INV-2026-000057 Teilzahlung", uniqueId: null };
    const id = lineIdentity(line, 1);
    expect(lineIdentity({ ...line, counterparty: " BÄCKEREI  schmidt ohg", reference: "inv-2026-000057\tTeilzahlung " }, 1)).toBe(id);
    expect(lineIdentity({ ...line, amountMinor: 50001n }, 1)).not.toBe(id);
    expect(lineIdentity({ ...line, bookedOn: "2026-03-05" }, 1)).not.toBe(id);
    expect(lineIdentity(line, 2)).not.toBe(id);
    expect(lineIdentity({ ...line, uniqueId: "TX-1" }, 1)).toBe("id:TX-1");
  });

  it("uses the bank's transaction id when one is mapped, and falls back to the fields when an id repeats in the file", () => {
    const csv = ["Date,Payee,Memo,Amount,Txn", "03/02/2026,A,x,1.00,TX-1", "03/02/2026,B,y,2.00,", "03/03/2026,C,z,3.00,TX-9", "03/03/2026,D,w,4.00,TX-9"].join("\n");
    const lines = okLines(parseStatementCsv(csv, usMapping({ transactionId: "Txn" })));
    expect(lines.map((l) => l.bankTransactionId)).toEqual(["TX-1", null, "TX-9", "TX-9"]);
    expect(lines[0]!.identity).toBe("id:TX-1");
    expect(lines.slice(1).map((l) => hex.test(l.identity))).toEqual([true, true, true]);
  });
});

describe("parseCamt053", () => {
  it("reads a camt.053.001.02 statement: RF credit, debit, unstructured text, batch split, pending left out", () => {
    const result = parseCamt053(camtXml);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.accountIban).toBe("DE89370400440532013000");
    expect(result.statementId).toBe("2026-03-06-00042");
    expect(result.lines.map(pick)).toEqual([
      { lineNo: 1, bookedOn: "2026-03-02", amountMinor: 119000n, currency: "EUR", counterparty: "Müller Maschinenbau GmbH", reference: creditorReference("INV-2026-000042"), bankTransactionId: "2026030200012345" },
      { lineNo: 2, bookedOn: "2026-03-03", amountMinor: -24580n, currency: "EUR", counterparty: "Stadtwerke Köln GmbH", reference: "Strom März 2026 Kd-Nr. 4711", bankTransactionId: "2026030300023456" },
      { lineNo: 3, bookedOn: "2026-03-04", amountMinor: 50000n, currency: "EUR", counterparty: "Bäckerei Schmidt OHG", reference: "INV-2026-000061 Teilzahlung Danke für die schnelle Lieferung", bankTransactionId: "3" },
      { lineNo: 4, bookedOn: "2026-03-05", amountMinor: 50000n, currency: "EUR", counterparty: "Hoffmann Logistik AG", reference: creditorReference("INV-2026-000057"), bankTransactionId: "2026030500077777" },
      { lineNo: 5, bookedOn: "2026-03-05", amountMinor: 30000n, currency: "EUR", counterparty: "Weber & Söhne KG", reference: creditorReference("INV-2026-000063"), bankTransactionId: "2026030500077777" },
    ]);
    expect(result.lines.map((l) => l.identity)).toEqual([
      "id:2026030200012345",
      "id:2026030300023456",
      // NtryRef "3" is only unique within this statement, so the line is keyed by its content
      lineIdentity({ ...result.lines[2]!, uniqueId: null }, 1),
      "id:2026030500077777/1",
      "id:2026030500077777/2",
    ]);
    expect(result.lines[2]!.identity).toMatch(/^[0-9a-f]{64}$/);
    expect(okLines(parseCamt053(camtXml)).map((l) => l.identity)).toEqual(result.lines.map((l) => l.identity));
  });

  it("reads camt.053.001.08 with namespace prefixes, a single entry, Pty names and per-transaction amounts and refs", () => {
    const xml = `<?xml version="1.0"?>
      <ns:Document xmlns:ns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08">
        <ns:BkToCstmrStmt><ns:Stmt><ns:Id>S-8</ns:Id><ns:Acct><ns:Id><ns:IBAN>CH93 0076 2011 6238 5295 7</ns:IBAN></ns:Id></ns:Acct>
          <ns:Ntry>
            <ns:Amt Ccy="CHF">150.05</ns:Amt><ns:CdtDbtInd>CRDT</ns:CdtDbtInd><ns:Sts><ns:Cd>BOOK</ns:Cd></ns:Sts>
            <ns:BookgDt><ns:Dt>2026-04-01</ns:Dt></ns:BookgDt>
            <ns:NtryDtls>
              <ns:TxDtls><ns:Refs><ns:AcctSvcrRef>A-1</ns:AcctSvcrRef></ns:Refs><ns:Amt Ccy="CHF">100.00</ns:Amt>
                <ns:RltdPties><ns:Dbtr><ns:Pty><ns:Nm>Alpen AG</ns:Nm></ns:Pty></ns:Dbtr></ns:RltdPties>
                <ns:RmtInf><ns:Strd><ns:CdtrRefInf><ns:Ref>${creditorReference("INV-2026-000070")}</ns:Ref></ns:CdtrRefInf></ns:Strd></ns:RmtInf></ns:TxDtls>
              <ns:TxDtls><ns:Refs><ns:AcctSvcrRef>A-2</ns:AcctSvcrRef></ns:Refs><ns:Amt Ccy="CHF">50.05</ns:Amt>
                <ns:RltdPties><ns:Dbtr><ns:Pty><ns:Nm>Berg GmbH</ns:Nm></ns:Pty></ns:Dbtr></ns:RltdPties>
                <ns:RmtInf><ns:Ustrd>Rechnung 70 Rest</ns:Ustrd></ns:RmtInf></ns:TxDtls>
            </ns:NtryDtls>
          </ns:Ntry>
        </ns:Stmt></ns:BkToCstmrStmt>
      </ns:Document>`;
    const result = parseCamt053(xml);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.accountIban).toBe("CH9300762011623852957");
    expect(result.lines.map((l) => [l.amountMinor, l.currency, l.counterparty, l.reference, l.identity])).toEqual([
      [10000n, "CHF", "Alpen AG", "RF74INV2026000070", "id:A-1"],
      [5005n, "CHF", "Berg GmbH", "Rechnung 70 Rest", "id:A-2"],
    ]);
  });

  it("keeps a batch whose transactions state no amount as one line with the booked amount", () => {
    const xml = `<Document><BkToCstmrStmt><Stmt><Ntry><Amt Ccy="EUR">20.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><ValDt><Dt>2026-04-02</Dt></ValDt><AcctSvcrRef>B-1</AcctSvcrRef>
      <NtryDtls><TxDtls><RltdPties><Cdtr><Nm>X</Nm></Cdtr></RltdPties><RmtInf><Ustrd>one</Ustrd></RmtInf></TxDtls>
      <TxDtls><RltdPties><Cdtr><Nm>Y</Nm></Cdtr></RltdPties><RmtInf><Ustrd>two</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    expect(okLines(parseCamt053(xml)).map(pick)).toEqual([
      { lineNo: 1, bookedOn: "2026-04-02", amountMinor: -2000n, currency: "EUR", counterparty: "", reference: "one two", bankTransactionId: "B-1" },
    ]);
  });

  it("refuses invalid XML, a truncated file and XML that is not a statement", () => {
    expect(errorsOf(parseCamt053("<Document><BkToCstmrStmt></Document>"))).toEqual([
      { row: 0, message: "The file is not valid XML (line 1): Expected closing tag 'BkToCstmrStmt' (opened in line 1, col 11) instead of closing tag 'Document'." },
    ]);
    const truncated = errorsOf(parseCamt053(camtXml.slice(0, camtXml.indexOf("<!-- 3:"))));
    expect(truncated).toHaveLength(1);
    expect(truncated[0]!.message).toMatch(/^The file is not valid XML/);
    expect(errorsOf(parseCamt053('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>'))).toEqual([
      { row: 0, message: "This is not a camt.053 bank statement (it has no BkToCstmrStmt element)." },
    ]);
  });

  it("lists every bad entry and imports none of them", () => {
    const entry = (inner: string) => `<Ntry><AcctSvcrRef>R</AcctSvcrRef>${inner}</Ntry>`;
    const xml = `<Document><BkToCstmrStmt><Stmt>
      ${entry('<Amt Ccy="EUR">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-04-01</Dt></BookgDt>')}
      ${entry('<Amt Ccy="EUX">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-04-01</Dt></BookgDt>')}
      ${entry('<Amt Ccy="EUR">1.001</Amt><CdtDbtInd>XXXX</CdtDbtInd><BookgDt><Dt>2026-02-30</Dt></BookgDt>')}
      ${entry('<Amt Ccy="EUR">1,00</Amt><CdtDbtInd>DBIT</CdtDbtInd>')}
    </Stmt></BkToCstmrStmt></Document>`;
    expect(errorsOf(parseCamt053(xml))).toEqual([
      { row: 2, message: 'Entry 2 (R): "EUX" is not a known currency code' },
      { row: 3, message: 'Entry 3 (R): "1.001" is not a valid EUR amount' },
      { row: 3, message: 'Entry 3 (R): credit/debit indicator is "XXXX", expected CRDT or DBIT' },
      { row: 3, message: 'Entry 3 (R): "2026-02-30" is not a calendar date (read as YYYY-MM-DD)' },
      { row: 4, message: 'Entry 4 (R): "1,00" is not a valid EUR amount' },
      { row: 4, message: "Entry 4 (R): has no booking or value date" },
    ]);
  });
});

describe("detectStatementFormat", () => {
  it("tells XML from CSV", () => {
    expect(detectStatementFormat(camtXml)).toBe("camt053");
    expect(detectStatementFormat('\uFEFF\n  <?xml version="1.0"?><Document/>')).toBe("camt053");
    expect(detectStatementFormat(germanCsv)).toBe("csv");
    expect(detectStatementFormat("Date,Amount\n")).toBe("csv");
  });
});
