// Bank statements for payment reconciliation: a CSV export read through a column mapping the user chose,
// or an ISO 20022 camt.053 file. Pure: text in, typed lines out; storing and matching them is the caller's job.
// All-or-nothing: a statement with any bad row is refused whole, so a half-imported statement can never be
// mistaken for a complete one.

import { createHash } from "node:crypto";
import { parse } from "csv-parse/sync";
// XMLValidator is marked deprecated in favour of a separate package, but it is still maintained in v5 and the
// parser alone accepts truncated files silently, which would drop entries from a statement without a word.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { minorDigits, parseMoneyInput } from "./money";

export type StatementLine = {
  /** CSV: the 1-based data row (header and blank lines not counted). camt.053: 1-based position among the lines. */
  lineNo: number;
  /** YYYY-MM-DD */
  bookedOn: string;
  /** Signed: credits (money in) > 0, debits < 0. */
  amountMinor: bigint;
  currency: string;
  counterparty: string;
  reference: string;
  bankTransactionId: string | null;
  /** Stable key for de-duplicating re-imports; see lineIdentity. */
  identity: string;
};

export type StatementError = { row: number; message: string };
export type CsvStatementResult = { ok: true; lines: StatementLine[] } | { ok: false; errors: StatementError[] };
export type Camt053Result =
  | { ok: true; accountIban: string | null; statementId: string | null; lines: StatementLine[] }
  | { ok: false; errors: StatementError[] };

const MAX_ERRORS = 100;

// ───────────────────────────── shared helpers ─────────────────────────────

const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

let currencies: Set<string> | undefined;
/** ISO 4217 codes in use. minorDigits alone would quietly answer 2 for a made-up code such as "EUX". */
function isKnownCurrency(code: string): boolean {
  currencies ??= new Set(Intl.supportedValuesOf("currency"));
  return currencies.has(code);
}

/** Collects errors up to a cap, so a file in the wrong format gives a readable list rather than thousands of lines. */
function errorList() {
  const errors: StatementError[] = [];
  let more = 0;
  return {
    add(row: number, message: string) {
      if (errors.length < MAX_ERRORS) errors.push({ row, message });
      else more++;
    },
    get any() {
      return errors.length > 0;
    },
    result(): { ok: false; errors: StatementError[] } {
      return { ok: false, errors: more > 0 ? [...errors, { row: 0, message: `…and ${more} more errors.` }] : errors };
    },
  };
}

export const DATE_FORMATS = ["YYYY-MM-DD", "DD.MM.YYYY", "DD/MM/YYYY", "MM/DD/YYYY"] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

const datePatterns: Record<DateFormat, { re: RegExp; order: [year: number, month: number, day: number] }> = {
  "YYYY-MM-DD": { re: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, order: [1, 2, 3] },
  "DD.MM.YYYY": { re: /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/, order: [3, 2, 1] },
  "DD/MM/YYYY": { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 2, 1] },
  "MM/DD/YYYY": { re: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, order: [3, 1, 2] },
};

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** A bank date as YYYY-MM-DD, or a message saying why it is not one. */
export function parseStatementDate(text: string, format: DateFormat): { ok: true; date: string } | { ok: false; message: string } {
  const { re, order } = datePatterns[format];
  const m = re.exec(text.trim());
  if (!m) return { ok: false, message: `"${text.trim()}" is not a date in the format ${format}` };
  const [year, month, day] = order.map((i) => Number(m[i])) as [number, number, number];
  // 31.02.2026 matches the pattern but names no day; Date would silently roll it over to 3 March.
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, message: `"${text.trim()}" is not a calendar date (read as ${format})` };
  }
  return { ok: true, date: `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
}

// A code or symbol stuck to either end, with the sign on either side of it: "-€5", "€-5", "5,00 EUR", "5,00-".
const amountShape =
  /^(?<s1>[+-])?\s*(?<c1>\p{Sc}|[A-Za-z]{3})?\s*(?<s2>[+-])?\s*(?<num>\d[\d.,'’\s]*?)\s*(?<s3>-)?\s*(?<c2>\p{Sc}|[A-Za-z]{3})?\s*(?<s4>-)?$/u;

/**
 * A bank-formatted amount ("1.234,56", "1,234.56", "(12.00)", "12,00-", "+5", "€ -5,00", "5.00 USD") in signed minor
 * units of `currency`. Grouping must be in threes ("12,3.4" is refused) so a wrongly chosen decimal separator shows up
 * as an error instead of an amount off by a factor of 100 or 1000.
 */
export function parseStatementAmount(
  raw: string,
  currency: string,
  decimalSeparator: "." | ",",
): { ok: true; minor: bigint } | { ok: false; message: string } {
  const shown = raw.trim();
  const notAmount = { ok: false as const, message: `"${shown}" is not an amount` };
  // Typographic minus and dashes are what spreadsheets and PDFs-turned-CSV put in front of debits.
  let s = shown.replace(/[\u2212\u2012\u2013]/g, "-");
  const paren = /^\((.*)\)$/.exec(s);
  if (paren) s = paren[1]!.trim();
  const g = amountShape.exec(s)?.groups;
  if (!g || (g.c1 && g.c2)) return notAmount;
  const signs = [g.s1, g.s2, g.s3, g.s4].filter((x) => x !== undefined);
  if (signs.length + (paren ? 1 : 0) > 1) return notAmount;
  const negative = paren !== null || signs[0] === "-";

  const code = (g.c1 ?? g.c2)?.toUpperCase();
  if (code && /^[A-Z]{3}$/.test(code) && code !== currency) {
    return { ok: false, message: `"${shown}" is in ${code}, but the line's currency is ${currency}` };
  }

  const num = g.num!.trim();
  const dec = decimalSeparator === "," ? "," : "\\.";
  const group = decimalSeparator === "," ? "[.'’\\s]" : "[,'’\\s]";
  const plain = new RegExp(`^(\\d+)(?:${dec}(\\d+))?$`).exec(num);
  const grouped = new RegExp(`^(\\d{1,3}(?:(${group})\\d{3})(?:\\2\\d{3})*)(?:${dec}(\\d+))?$`).exec(num);
  const whole = plain?.[1] ?? grouped?.[1]?.replace(/\D/g, "");
  const frac = plain ? plain[2] : grouped?.[3];
  if (whole === undefined) return notAmount;

  const digits = minorDigits(currency);
  const minor = parseMoneyInput(frac === undefined ? whole : `${whole}.${frac}`, digits);
  if (minor === null) {
    return { ok: false, message: `"${shown}" has more decimals than ${currency} allows (${digits})` };
  }
  return { ok: true, minor: negative ? -minor : minor };
}

// ───────────────────────────── line identity ─────────────────────────────

export type IdentityInput = {
  bookedOn: string;
  amountMinor: bigint;
  currency: string;
  counterparty: string;
  reference: string;
  /** The bank's own unique id for the transaction, if the statement carries one. */
  uniqueId: string | null;
};

const normalise = (text: string) => collapse(text.normalize("NFC").toLowerCase());

/** The fields two lines must share to be "the same transfer"; occurrences of it are counted within a file. */
function identityTuple(line: IdentityInput): string {
  return JSON.stringify([line.bookedOn, line.amountMinor.toString(), line.currency, normalise(line.counterparty), normalise(line.reference)]);
}

/**
 * Key for de-duplicating re-imports of the same or an overlapping statement: `id:<bank id>` when the bank gives one,
 * otherwise a SHA-256 hex of the normalised fields plus `occurrence` (1 for the first line with those fields in the
 * file, 2 for the second …), so two genuinely identical transfers on one day stay two lines, and importing the same
 * file again gives the same keys.
 */
export function lineIdentity(line: IdentityInput, occurrence: number): string {
  const id = line.uniqueId?.trim();
  if (id) return `id:${id}`;
  return createHash("sha256").update(`${identityTuple(line)}#${occurrence}`).digest("hex");
}

type Draft = Omit<StatementLine, "identity"> & { uniqueId: string | null };

/** Gives each line its identity; both parsers go through here so CSV and camt.053 lines are keyed alike. */
function withIdentities(drafts: Draft[]): StatementLine[] {
  // An id that repeats within one file does not identify a transaction ("NOTPROVIDED", a batch reference); keying
  // on it would make the import drop real payments as duplicates, so those lines are keyed by content instead.
  const idCount = new Map<string, number>();
  for (const d of drafts) if (d.uniqueId) idCount.set(d.uniqueId, (idCount.get(d.uniqueId) ?? 0) + 1);
  const seen = new Map<string, number>();
  return drafts.map(({ uniqueId, ...line }) => {
    const usable = uniqueId && idCount.get(uniqueId) === 1 ? uniqueId : null;
    let occurrence = 0;
    if (!usable) {
      const tuple = identityTuple({ ...line, uniqueId: null });
      occurrence = (seen.get(tuple) ?? 0) + 1;
      seen.set(tuple, occurrence);
    }
    return { ...line, identity: lineIdentity({ ...line, uniqueId: usable }, occurrence) };
  });
}

// ───────────────────────────── CSV ─────────────────────────────

const DELIMITERS = [",", ";", "\t"] as const;
export type CsvDelimiter = (typeof DELIMITERS)[number];

function splitRow(line: string, delimiter: CsvDelimiter): string[] | null {
  try {
    return parse(line, { delimiter })[0] ?? [];
  } catch {
    return null; // quotes that only make sense with another delimiter
  }
}

/** The delimiter (whichever splits the header row into the most fields; comma on a tie) and the header names. */
export function csvHeaders(text: string): { delimiter: CsvDelimiter; headers: string[] } {
  const headerLine = stripBom(text).split(/\r\n|\n|\r/).find((line) => line.trim() !== "");
  if (headerLine === undefined) return { delimiter: ",", headers: [] };
  let best: { delimiter: CsvDelimiter; fields: string[] } = { delimiter: ",", fields: [] };
  for (const delimiter of DELIMITERS) {
    const fields = splitRow(headerLine, delimiter);
    if (fields && fields.length > best.fields.length) best = { delimiter, fields };
  }
  const headers = best.fields.map((h) => h.trim());
  // Many bank exports end every line with the delimiter; that last empty "column" is not one.
  while (headers.length > 0 && headers.at(-1) === "") headers.pop();
  return { delimiter: best.delimiter, headers };
}

const headerName = z.string().trim().min(1, "Choose a column.");

export const columnMappingSchema = z
  .object({
    date: headerName,
    amount: headerName.optional(),
    credit: headerName.optional(),
    debit: headerName.optional(),
    currency: headerName.optional(),
    defaultCurrency: z
      .string()
      .regex(/^[A-Z]{3}$/, { error: "Use a three-letter ISO 4217 code such as EUR.", abort: true })
      .refine(isKnownCurrency, "This is not a known ISO 4217 currency code."),
    counterparty: headerName.optional(),
    reference: z.array(headerName).min(1, "Choose at least one reference column."),
    transactionId: headerName.optional(),
    dateFormat: z.enum(DATE_FORMATS),
    decimalSeparator: z.enum([".", ","]),
  })
  .refine(
    (m) => (m.amount !== undefined && m.credit === undefined && m.debit === undefined) || (m.amount === undefined && m.credit !== undefined && m.debit !== undefined),
    { path: ["amount"], message: "Choose either one signed amount column, or both a credit and a debit column." },
  );
export type ColumnMapping = z.output<typeof columnMappingSchema>;

function mappedHeaders(m: ColumnMapping): string[] {
  const names = [m.date, m.amount, m.credit, m.debit, m.currency, m.counterparty, ...m.reference, m.transactionId];
  return [...new Set(names.filter((n) => n !== undefined))];
}

/**
 * Reads a CSV bank export through `mapping`. Every problem is reported with its data row number (1 = the first row
 * after the header); any problem refuses the whole file. Blank rows and zero-amount rows are skipped.
 */
export function parseStatementCsv(text: string, mapping: ColumnMapping): CsvStatementResult {
  const errors = errorList();
  const { delimiter, headers } = csvHeaders(text);
  if (headers.length === 0) return { ok: false, errors: [{ row: 0, message: "The file is empty." }] };

  const column = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!column.has(h)) column.set(h, i);
  });
  for (const name of mappedHeaders(mapping)) {
    if (!column.has(name)) errors.add(0, `The file has no column "${name}". Its columns are: ${headers.join(", ")}.`);
    else if (headers.indexOf(name) !== headers.lastIndexOf(name)) errors.add(0, `The column "${name}" appears more than once in the header.`);
  }
  if (errors.any) return errors.result();

  let records: string[][];
  try {
    records = parse(stripBom(text), { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true });
  } catch (e) {
    return { ok: false, errors: [{ row: 0, message: `The file is not readable as CSV: ${e instanceof Error ? e.message : String(e)}` }] };
  }

  const drafts: Draft[] = [];
  let row = 0;
  let headerSeen = false;
  for (const record of records) {
    // A row of nothing but delimiters (";;;;") is as blank as an empty line.
    if (record.every((f) => f.trim() === "")) continue;
    if (!headerSeen) {
      headerSeen = true;
      continue;
    }
    row++;
    let failed = false;
    const bad = (message: string) => {
      failed = true;
      errors.add(row, `Row ${row}: ${message}`);
    };
    let used = record.length;
    while (used > 0 && record[used - 1]!.trim() === "") used--;
    if (used > headers.length) {
      bad(`has ${used} fields but the header has ${headers.length}; is a value containing "${delimiter === "\t" ? "tab" : delimiter}" missing its quotes?`);
      continue;
    }
    // Exporters that leave off trailing empty fields are common, so a short row just has empty values there.
    const get = (name: string) => (record[column.get(name)!] ?? "").trim();

    const rawDate = get(mapping.date);
    const date = rawDate === "" ? null : parseStatementDate(rawDate, mapping.dateFormat);
    if (date === null) bad(`no date in column "${mapping.date}"`);
    else if (!date.ok) bad(date.message);

    const currency = ((mapping.currency ? get(mapping.currency) : "") || mapping.defaultCurrency).toUpperCase();
    const knownCurrency = isKnownCurrency(currency);
    if (!knownCurrency) bad(`"${currency}" is not a known currency code`);

    let amountMinor: bigint | null = null;
    if (knownCurrency) {
      const amount = (name: string) => {
        const value = get(name);
        if (value === "") return null;
        const parsed = parseStatementAmount(value, currency, mapping.decimalSeparator);
        if (!parsed.ok) bad(parsed.message);
        return parsed.ok ? parsed.minor : undefined;
      };
      if (mapping.amount !== undefined) {
        const a = amount(mapping.amount);
        if (a === null) bad(`no amount in column "${mapping.amount}"`);
        else if (a !== undefined) amountMinor = a;
      } else {
        const credit = amount(mapping.credit!);
        const debit = amount(mapping.debit!);
        if (credit === null && debit === null) bad(`no amount in column "${mapping.credit}" or "${mapping.debit}"`);
        else if (credit !== undefined && debit !== undefined) {
          const moneyIn = credit ?? 0n;
          // Banks differ on whether a debit column carries a minus; it is money out either way.
          const moneyOut = debit === null ? 0n : debit < 0n ? debit : -debit;
          if (moneyIn !== 0n && moneyOut !== 0n) bad(`has amounts in both "${mapping.credit}" and "${mapping.debit}"`);
          else amountMinor = moneyIn + moneyOut;
        }
      }
    }

    if (failed || amountMinor === null || date === null || !date.ok) continue;
    if (amountMinor === 0n) continue; // balance notes and zero fee lines carry no money to reconcile
    drafts.push({
      lineNo: row,
      bookedOn: date.date,
      amountMinor,
      currency,
      counterparty: mapping.counterparty ? collapse(get(mapping.counterparty)) : "",
      reference: collapse(mapping.reference.map(get).filter((v) => v !== "").join(" ")),
      bankTransactionId: (mapping.transactionId && get(mapping.transactionId)) || null,
      uniqueId: (mapping.transactionId && get(mapping.transactionId)) || null,
    });
  }
  if (errors.any) return errors.result();
  return { ok: true, lines: withIdentities(drafts) };
}

// ───────────────────────────── camt.053 ─────────────────────────────

type XmlNode = { readonly [key: string]: unknown };
const isNode = (v: unknown): v is XmlNode => typeof v === "object" && v !== null && !Array.isArray(v);

/** Every node at `path` below `from`; an element that occurs once and one that repeats read the same. */
function all(from: unknown, ...path: string[]): unknown[] {
  let level: unknown[] = Array.isArray(from) ? from : [from];
  for (const name of path) {
    level = level.flatMap((n) => (isNode(n) && n[name] !== undefined ? (Array.isArray(n[name]) ? n[name] : [n[name]]) : []));
  }
  return level;
}

function text(from: unknown, ...path: string[]): string | null {
  const n = all(from, ...path)[0];
  const value = typeof n === "string" ? n : isNode(n) && typeof n["#text"] === "string" ? n["#text"] : null;
  return value === null || value.trim() === "" ? null : value.trim();
}

function texts(from: unknown, ...path: string[]): string[] {
  return all(from, ...path).flatMap((n) => text(n) ?? []);
}

const ATTR = "@";
const attr = (node: unknown, name: string) => (isNode(node) && typeof node[ATTR + name] === "string" ? (node[ATTR + name] as string) : null);

/** Some banks fill reference fields with this literal instead of leaving them out. */
const realRef = (ref: string | null) => (ref === null || ref.toUpperCase() === "NOTPROVIDED" ? null : ref);

/** `Amt` elements hold a positive decimal with a "." and the currency as an attribute. */
function camtAmount(node: unknown): { ok: true; minor: bigint; currency: string } | { ok: false; message: string } | null {
  if (node === undefined) return null;
  const value = text(node);
  const currency = attr(node, "Ccy");
  if (value === null || currency === null) return { ok: false, message: "an amount has no value or no currency (Ccy)" };
  if (!isKnownCurrency(currency)) return { ok: false, message: `"${currency}" is not a known currency code` };
  const minor = /^\d+(\.\d+)?$/.test(value) ? parseMoneyInput(value, minorDigits(currency)) : null;
  if (minor === null) return { ok: false, message: `"${value}" is not a valid ${currency} amount` };
  return { ok: true, minor, currency };
}

function camtSign(indicator: string | null): 1n | -1n | null {
  return indicator === "CRDT" ? 1n : indicator === "DBIT" ? -1n : null;
}

/** The other party: who paid us on a credit, whom we paid on a debit. Pty/ wraps the name from version .08 on. */
function camtCounterparty(tx: unknown, sign: 1n | -1n): string {
  const [party, ultimate] = sign > 0n ? (["Dbtr", "UltmtDbtr"] as const) : (["Cdtr", "UltmtCdtr"] as const);
  const parties = all(tx, "RltdPties");
  return collapse(
    text(parties, party, "Nm") ?? text(parties, party, "Pty", "Nm") ?? text(parties, ultimate, "Nm") ?? text(parties, ultimate, "Pty", "Nm") ?? "",
  );
}

function camtReference(tx: unknown): string {
  const structured = all(tx, "RmtInf", "Strd").flatMap((s) => text(s, "CdtrRefInf", "Ref") ?? []);
  return collapse([...structured, ...texts(tx, "RmtInf", "Ustrd")].join(" "));
}

function camtDate(entry: unknown): string | null {
  for (const el of ["BookgDt", "ValDt"]) {
    const d = text(entry, el, "Dt") ?? text(entry, el, "DtTm")?.slice(0, 10);
    if (d) return d;
  }
  return null;
}

/**
 * Reads an ISO 20022 camt.053 statement (versions .001.02 to .001.08; namespace prefixes ignored). One line per
 * booked entry, or per transaction of a batch entry when each transaction states its own amount. Pending entries
 * (status other than BOOK) are left out: they come back booked on a later statement.
 */
export function parseCamt053(xml: string): Camt053Result {
  const source = stripBom(xml).trim();
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    return { ok: false, errors: [{ row: 0, message: `The file is not valid XML (line ${valid.err.line}): ${valid.err.msg}` }] };
  }
  let doc: unknown;
  try {
    // Values stay strings: a 20-digit bank reference read as a number would lose digits.
    doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: ATTR, removeNSPrefix: true, parseTagValue: false }).parse(source);
  } catch (e) {
    return { ok: false, errors: [{ row: 0, message: `The file is not valid XML: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  const root = all(doc, "Document", "BkToCstmrStmt");
  if (root.length === 0) {
    return { ok: false, errors: [{ row: 0, message: "This is not a camt.053 bank statement (it has no BkToCstmrStmt element)." }] };
  }

  const errors = errorList();
  const statements = all(root, "Stmt");
  const ibans = [...new Set(statements.flatMap((s) => text(s, "Acct", "Id", "IBAN")?.replace(/\s+/g, "").toUpperCase() ?? []))];
  if (ibans.length > 1) errors.add(0, `The file holds statements for ${ibans.length} accounts (${ibans.join(", ")}); import one account at a time.`);
  const ids = statements.flatMap((s) => text(s, "Id") ?? []);

  const drafts: Draft[] = [];
  let entryNo = 0;
  for (const entry of all(statements, "Ntry")) {
    entryNo++;
    const entryRef = realRef(text(entry, "AcctSvcrRef"));
    const ntryRef = realRef(text(entry, "NtryRef"));
    const fail = (message: string) => errors.add(entryNo, `Entry ${entryNo}${entryRef ? ` (${entryRef})` : ""}: ${message}`);

    const status = text(entry, "Sts") ?? text(entry, "Sts", "Cd");
    if (status !== null && status !== "BOOK") continue;

    const amount = camtAmount(all(entry, "Amt")[0]);
    const sign = camtSign(text(entry, "CdtDbtInd"));
    const rawDate = camtDate(entry);
    const date = rawDate === null ? null : parseStatementDate(rawDate, "YYYY-MM-DD");
    if (amount === null) fail("has no amount (Amt)");
    else if (!amount.ok) fail(amount.message);
    if (sign === null) fail(`credit/debit indicator is "${text(entry, "CdtDbtInd") ?? ""}", expected CRDT or DBIT`);
    if (date === null) fail("has no booking or value date");
    else if (!date.ok) fail(date.message);
    if (amount === null || !amount.ok || sign === null || date === null || !date.ok) continue;

    const txs = all(entry, "NtryDtls", "TxDtls");
    const fallbackText = text(entry, "AddtlNtryInf") ?? "";
    const base = { bookedOn: date.date, currency: amount.currency };
    const referenceOf = (tx: unknown) => camtReference(tx) || collapse(text(tx, "AddtlTxInf") ?? fallbackText);

    // A batch is split only when every transaction states its own amount in the entry's currency; otherwise the
    // entry is one line (the booked amount is what reaches the account, whatever the transactions say).
    const txAmounts = txs.map((tx) => camtAmount(all(tx, "Amt")[0] ?? all(tx, "AmtDtls", "TxAmt", "Amt")[0]));
    const split = txs.length > 1 && txAmounts.every((a) => a !== null && a.ok && a.currency === amount.currency);

    if (!split) {
      const tx = txs[0];
      const txRef = realRef(text(tx, "Refs", "AcctSvcrRef"));
      const counterparties = [...new Set(txs.map((t) => camtCounterparty(t, sign)))];
      drafts.push({
        ...base,
        lineNo: 0, // numbered once zero-amount lines are gone
        amountMinor: sign * amount.minor,
        counterparty: counterparties.length === 1 ? counterparties[0]! : "",
        reference: collapse(txs.length > 0 ? txs.map(referenceOf).join(" ") : fallbackText),
        bankTransactionId: entryRef ?? txRef ?? ntryRef,
        // NtryRef is only unique within one statement, so it is reported but not trusted as an identity.
        uniqueId: entryRef ?? txRef,
      });
      continue;
    }
    txs.forEach((tx, i) => {
      const txAmount = txAmounts[i] as { ok: true; minor: bigint };
      const txSign = camtSign(text(tx, "CdtDbtInd")) ?? sign;
      const txRef = realRef(text(tx, "Refs", "AcctSvcrRef"));
      drafts.push({
        ...base,
        lineNo: 0,
        amountMinor: txSign * txAmount.minor,
        counterparty: camtCounterparty(tx, txSign),
        reference: referenceOf(tx),
        bankTransactionId: txRef ?? entryRef ?? ntryRef,
        // The entry's reference is shared by its transactions; its position in the batch tells them apart.
        uniqueId: txRef ?? (entryRef ? `${entryRef}/${i + 1}` : null),
      });
    });
  }
  if (errors.any) return errors.result();
  const lines = drafts.filter((d) => d.amountMinor !== 0n).map((d, i) => ({ ...d, lineNo: i + 1 }));
  return { ok: true, accountIban: ibans[0] ?? null, statementId: ids.length > 0 ? ids.join(", ") : null, lines: withIdentities(lines) };
}

/** camt.053 for anything that looks like XML, CSV otherwise. */
export function detectStatementFormat(text: string): "camt053" | "csv" {
  return stripBom(text).trimStart().startsWith("<") ? "camt053" : "csv";
}
