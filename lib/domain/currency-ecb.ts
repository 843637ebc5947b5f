// Reading the European Central Bank's euro foreign exchange reference rates, as published:
//   eurofxref-daily.xml / eurofxref-hist.xml: <Cube time='2026-12-03'><Cube currency='USD' rate='1.0832'/>…</Cube>
//   eurofxref.csv (in eurofxref.zip): "Date, USD, JPY, …," then "03 December 2026, 1.0832, 162.45, …,"
//   eurofxref-hist.csv: "Date,USD,JPY,…" then "2026-12-03,1.0832,N/A,…"
// Every rate is 1 EUR = rate currency. Pure: the service stores what this returns.
import { isKnownCurrency, normalizeRate, parseRate } from "./currency";

export type ImportedRate = { base: "EUR"; quote: string; rate: string; rateDate: string };
export type RatesFile = { format: "ecb-xml" | "ecb-csv"; rates: ImportedRate[]; problems: string[] };

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** "03 December 2026" or "2026-12-03" as an ISO date; null otherwise (including 31 February). */
export function ecbDate(text: string): string | null {
  const t = text.trim();
  let y: number, m: number, d: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  const long = /^(\d{1,2}) ([A-Za-z]+) (\d{4})$/.exec(t);
  if (iso) [y, m, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (long) {
    m = MONTHS.indexOf(long[2]!.toLowerCase()) + 1;
    [y, d] = [Number(long[3]), Number(long[1])];
    if (m === 0) return null;
  } else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function rateOrProblem(quote: string, rate: string, date: string, where: string, out: RatesFile): void {
  const code = quote.trim().toUpperCase();
  const text = rate.trim();
  if (text === "" || /^n\/?a$/i.test(text)) return; // the historical files mark missing days N/A
  if (!isKnownCurrency(code)) out.problems.push(`${where}: "${quote.trim()}" is not a known currency code.`);
  else if (code === "EUR") out.problems.push(`${where}: a rate of EUR to itself.`);
  else if (!parseRate(text)) out.problems.push(`${where}: "${text}" is not a rate (a positive decimal such as 1.0832).`);
  else out.rates.push({ base: "EUR", quote: code, rate: normalizeRate(text), rateDate: date });
}

function parseXml(text: string): RatesFile {
  const out: RatesFile = { format: "ecb-xml", rates: [], problems: [] };
  const day = /<Cube\s+time\s*=\s*["']([^"']*)["']\s*>([\s\S]*?)<\/Cube>\s*(?=<Cube\s+time|<\/Cube>)/g;
  let found = false;
  for (const m of text.matchAll(day)) {
    found = true;
    const date = ecbDate(m[1]!);
    if (!date) {
      out.problems.push(`"${m[1]}" is not a date.`);
      continue;
    }
    for (const c of m[2]!.matchAll(/<Cube\s+([^>]*?)\/?>/g)) {
      const attr = (name: string) => new RegExp(`${name}\\s*=\\s*["']([^"']*)["']`).exec(c[1]!)?.[1];
      const currency = attr("currency");
      const rate = attr("rate");
      if (currency === undefined || rate === undefined) out.problems.push(`${date}: a rate without currency or rate.`);
      else rateOrProblem(currency, rate, date, date, out);
    }
  }
  if (!found) out.problems.push("No <Cube time='…'> with rates: this is not an ECB reference rates file.");
  return out;
}

function parseCsv(text: string): RatesFile {
  const out: RatesFile = { format: "ecb-csv", rates: [], problems: [] };
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines[0]!.split(",").map((h) => h.trim());
  if (header[0]?.toLowerCase() !== "date" || header.length < 2) {
    out.problems.push('The first line must be the ECB header "Date, USD, JPY, …".');
    return out;
  }
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(",");
    const date = ecbDate(cells[0] ?? "");
    if (!date) {
      out.problems.push(`Line ${i + 2}: "${(cells[0] ?? "").trim()}" is not a date.`);
      return;
    }
    header.slice(1).forEach((quote, j) => {
      if (quote === "") return; // the daily file ends every line with a comma
      rateOrProblem(quote, cells[j + 1] ?? "", date, `Line ${i + 2}, ${quote}`, out);
    });
  });
  return out;
}

/** Reads an ECB rates file in either format (told apart by its first characters). */
export function parseEcbRates(text: string): RatesFile {
  const body = text.replace(/^\uFEFF/, "").trim();
  if (body === "") return { format: "ecb-csv", rates: [], problems: ["The file is empty."] };
  const out = body.startsWith("<") ? parseXml(body) : parseCsv(body);
  const seen = new Set<string>();
  for (const r of out.rates) {
    const key = `${r.quote}|${r.rateDate}`;
    if (seen.has(key)) out.problems.push(`${r.quote} on ${r.rateDate} is given twice.`);
    seen.add(key);
  }
  if (out.rates.length === 0 && out.problems.length === 0) out.problems.push("The file holds no rates.");
  return out;
}
