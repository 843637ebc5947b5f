// Automatic matching of bank statement credits to open invoices. The result is a list of
// suggestions for a clerk to confirm, never a booking. Pure: no I/O, no clock.
//
// A line takes the strongest evidence it carries: exact RF references and invoice numbers, then
// references within one typing error, then the amount together with the payer's name. Every
// lookup goes through maps built once, so n lines against m invoices cost about
// O(n + m log m): nothing scans all invoices for a line.

import { formatCreditorReference, parseCreditorReference } from "./creditor-reference";
import { formatMoney } from "./money";
import { allocateOldestFirst } from "./receivables";

export type MatchableLine = {
  id: string;
  /** YYYY-MM-DD */
  bookedOn: string;
  /** > 0: only credits are matched. */
  amountMinor: bigint;
  currency: string;
  counterparty: string;
  /** Free text: the remittance information. */
  reference: string;
};

export type MatchableInvoice = {
  invoiceId: string;
  /** e.g. INV-2026-000123 */
  number: string;
  /** ISO 11649 RF reference in electronic format, e.g. RF18539007547034. */
  paymentReference: string | null;
  companyId: string;
  companyName: string;
  currency: string;
  /** > 0 */
  outstandingMinor: bigint;
  dueDate: string;
  issueDate: string;
};

export type MatchMethod = "reference" | "reference_fuzzy" | "invoice_number" | "amount_and_name" | "amount" | "company_total";
export type MatchOutcome = "exact" | "short" | "over";

export type MatchSuggestion = {
  lineId: string;
  companyId: string;
  allocations: { invoiceId: string; amountMinor: bigint }[];
  /** 0..100, integer. */
  confidence: number;
  method: MatchMethod;
  /** One sentence a finance clerk understands. */
  reason: string;
  outcome: MatchOutcome;
  /** Line amount − the invoices' outstanding before this line (negative = short, positive = over). */
  differenceMinor: bigint;
};

/** A suggestion as stored on a statement line (bigints as strings, JSON-safe); "manual" when a clerk assigned it. */
export type StoredSuggestion = {
  companyId: string;
  allocations: { invoiceId: string; amountMinor: string }[];
  confidence: number;
  method: MatchSuggestion["method"] | "manual";
  reason: string;
  outcome: MatchSuggestion["outcome"];
  differenceMinor: string;
};

export type MatchResult = { suggestions: MatchSuggestion[]; unmatched: string[] };

// Confidence by evidence and by how well the amount fits. A short payment is a common partial
// payment; an over-payment more often a duplicate, so it costs a little more.
const CONFIDENCE = {
  reference: { exact: 99, short: 96, over: 95 },
  invoice_number: { exact: 92, short: 88, over: 86 },
  reference_fuzzy: { exact: 80, short: 74, over: 72 },
  amountAndName: { onlyAmountFullName: 70, onlyAmountPartialName: 66, nameDecides: 62 },
  companyTotal: { fullName: 65, partialName: 60 },
  amount: { unknownPayer: 40, otherCustomerNamed: 30 },
} as const;

/** Minimum token overlap (Dice coefficient) for a payer's name to resemble a customer's. */
const NAME_RESEMBLANCE = 0.5;
/**
 * Name tokens shared by more customers than this ("trading", "solutions") cannot pick customers on
 * their own: following them would touch a large share of all customers for one line.
 */
const NAME_TOKEN_POSTING_CAP = 50;
/** An RF reference carries at most 21 characters after "RFnn"; one more tolerates an inserted one. */
const RF_MAX_BODY = 22;

// ——— Ledger: the open invoices and the indexes over them, updated as lines consume them ———

type Company = {
  readonly id: string;
  readonly name: string;
  readonly tokens: ReadonlySet<string>;
  /** Per currency: open invoices in allocation order, and their remaining total. */
  readonly open: Map<string, { invoices: OpenInvoice[]; total: bigint }>;
};

type OpenInvoice = {
  readonly invoice: MatchableInvoice;
  readonly currency: string;
  readonly company: Company;
  /** Outstanding after the lines matched so far. */
  remaining: bigint;
};

type Ledger = {
  byId: Map<string, OpenInvoice>;
  byReference: Map<string, OpenInvoice[]>;
  byNumber: Map<string, OpenInvoice[]>;
  nearReference: OneEditIndex<OpenInvoice>;
  nearNumber: OneEditIndex<OpenInvoice>;
  /** `${currency}:${remaining}` → invoices with exactly that much left. */
  byAmount: Map<string, Set<OpenInvoice>>;
  /** Name token → customers whose name has it. */
  byNameToken: Map<string, Company[]>;
};

const amountKey = (currency: string, minor: bigint) => `${currency}:${minor}`;

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V) {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function buildLedger(invoices: readonly MatchableInvoice[]): Ledger {
  // Built in (due date, number, id) order, so every list below is in allocation order and the
  // result does not depend on the order the caller passed the invoices in.
  const sorted = invoices
    .filter((i) => i.outstandingMinor > 0n)
    .sort((a, b) => compare(a.dueDate, b.dueDate) || compare(a.number, b.number) || compare(a.invoiceId, b.invoiceId));
  const ledger: Ledger = {
    byId: new Map(),
    byReference: new Map(),
    byNumber: new Map(),
    nearReference: new OneEditIndex(),
    nearNumber: new OneEditIndex(),
    byAmount: new Map(),
    byNameToken: new Map(),
  };
  const companies = new Map<string, Company>();
  for (const invoice of sorted) {
    let company = companies.get(invoice.companyId);
    if (!company) {
      company = { id: invoice.companyId, name: invoice.companyName, tokens: nameTokens(invoice.companyName), open: new Map() };
      companies.set(company.id, company);
      for (const token of company.tokens) addTo(ledger.byNameToken, token, company);
    }
    const currency = invoice.currency.toUpperCase();
    const open: OpenInvoice = { invoice, currency, company, remaining: invoice.outstandingMinor };
    ledger.byId.set(invoice.invoiceId, open);

    const perCurrency = company.open.get(currency) ?? { invoices: [], total: 0n };
    perCurrency.invoices.push(open);
    perCurrency.total += open.remaining;
    company.open.set(currency, perCurrency);

    const reference = invoice.paymentReference?.toUpperCase().replace(/\s+/g, "");
    if (reference) {
      addTo(ledger.byReference, reference, open);
      ledger.nearReference.add(reference, open);
    }
    const number = parseInvoiceNumber(invoice.number);
    if (number) {
      addTo(ledger.byNumber, number.key, open);
      ledger.nearNumber.add(number.key, open);
    }
    const key = amountKey(currency, open.remaining);
    const sameAmount = ledger.byAmount.get(key);
    if (sameAmount) sameAmount.add(open);
    else ledger.byAmount.set(key, new Set([open]));
  }
  return ledger;
}

/** Books `amount` of a suggestion against an invoice, so later lines see only what is left. */
function consume(ledger: Ledger, open: OpenInvoice, amount: bigint) {
  const oldKey = amountKey(open.currency, open.remaining);
  const sameAmount = ledger.byAmount.get(oldKey);
  sameAmount?.delete(open);
  if (sameAmount?.size === 0) ledger.byAmount.delete(oldKey);
  open.remaining -= amount;
  if (open.remaining > 0n) {
    const key = amountKey(open.currency, open.remaining);
    const set = ledger.byAmount.get(key);
    if (set) set.add(open);
    else ledger.byAmount.set(key, new Set([open]));
  }
  open.company.open.get(open.currency)!.total -= amount;
}

// ——— One-edit lookup (symmetric delete) ———

/**
 * Finds keys within one edit (substitution, insertion, deletion, swap of neighbours) of a query
 * without comparing it with every key: symmetric delete. Each key is filed under itself and each
 * of its one-character deletions; two strings one edit apart always share such a variant, so a
 * query looks up only its own variants and verifies the few candidates they bring.
 */
class OneEditIndex<T> {
  // Variants are filed by hash rather than as strings: building ~20 strings per invoice was most
  // of the matcher's time and memory. A hash collision only brings a candidate that fails the check.
  // Most variants belong to one key, so a bucket holds an entry itself until it needs a list.
  private readonly byVariant = new Map<number, Entry<T> | Entry<T>[]>();

  add(key: string, value: T) {
    const entry = { key, value };
    for (const variant of deletionVariantHashes(key)) {
      const bucket = this.byVariant.get(variant);
      if (bucket === undefined) this.byVariant.set(variant, entry);
      else if (Array.isArray(bucket)) bucket.push(entry);
      else this.byVariant.set(variant, [bucket, entry]);
    }
  }

  /** Values whose key is within one edit of `query` (or equal to it), each once. */
  near(query: string): T[] {
    const found = new Set<Entry<T>>();
    for (const variant of deletionVariantHashes(query)) {
      const bucket = this.byVariant.get(variant);
      if (bucket === undefined) continue;
      for (const entry of Array.isArray(bucket) ? bucket : [bucket]) if (withinOneEdit(query, entry.key)) found.add(entry);
    }
    return [...found].map((e) => e.value);
  }
}

type Entry<T> = { key: string; value: T };

const HASH_BASE = 131;
// Kept to 30 bits so that V8 stores the keys as small integers.
const HASH_MASK = 0x3fffffff;

/**
 * Polynomial hashes (mod 2³²) of `s` and of each string `s` gives with one character deleted,
 * in O(length): the hash of s without s[i] is hash(s[0..i))·BASE^(n−1−i) + hash(s[i+1..n)).
 */
function deletionVariantHashes(s: string): number[] {
  const n = s.length;
  const prefix = [0];
  for (let i = 0; i < n; i++) prefix.push((Math.imul(prefix[i]!, HASH_BASE) + s.charCodeAt(i)) | 0);
  const hashes = [prefix[n]! & HASH_MASK];
  let suffix = 0; // hash of s[i+1..n)
  let power = 1; // BASE^(n−1−i)
  for (let i = n - 1; i >= 0; i--) {
    // Deleting either of two equal neighbours gives the same string: it is filed once.
    if (i === 0 || s[i] !== s[i - 1]) hashes.push((Math.imul(prefix[i]!, power) + suffix) & HASH_MASK);
    suffix = (Math.imul(s.charCodeAt(i), power) + suffix) | 0;
    power = Math.imul(power, HASH_BASE);
  }
  return hashes;
}

/** Optimal-string-alignment distance ≤ 1, in linear time. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (i === a.length) return true;
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(i + 1) === shorter.slice(i);
}

/** What a clerk should look for when comparing what was written with what was meant. */
function describeEdit(written: string, meant: string): string {
  if (written.length < meant.length) return "one character is missing";
  if (written.length > meant.length) return "it has one character too many";
  let i = 0;
  while (i < written.length && written[i] === meant[i]) i++;
  // Only a stored reference that fails its own check digits can be "near" by being equal.
  if (i === written.length) return "the invoice's own reference fails its check digits";
  return written[i] === meant[i + 1] && written[i + 1] === meant[i] && written[i] !== written[i + 1]
    ? "two neighbouring characters are swapped"
    : "one character differs";
}

// ——— Reading references out of remittance text ———

const INVOICE_NUMBER = /(?<![A-Z0-9])INV(?:OICE)?(?:[\s.:#]*(?:NO|NR|NUMBER)\b)?[\s\-_.:#/]{0,3}(\d{4})[\s\-_.:#/]{0,3}(\d{1,8})(?!\d)/gi;

/** "INV-2026-000123", "inv 2026 123", "inv2026-000123" → key "2026000123", and the digits as typed. */
function parseInvoiceNumber(text: string): { key: string; typed: string } | null {
  const m = text.matchAll(INVOICE_NUMBER).next().value;
  return m ? invoiceNumberKey(m[1]!, m[2]!) : null;
}

function invoiceNumberKey(year: string, sequence: string) {
  // Missing leading zeros are tolerated, so the key pads the sequence number.
  return { key: year + sequence.padStart(6, "0"), typed: year + sequence };
}

const RF_START = /(?<![A-Z0-9])RF\d{2}/gi;
const RF_CHUNK = /[ \t-]{0,3}([A-Z0-9]+)/iy;

/**
 * An "RFnn…" token and the ways it may end: a reference may be printed in groups of four, so
 * where it stops is ambiguous ("RF18 5390 0754 7034 thanks"); each group boundary is a candidate.
 */
type RfToken = { start: number; ends: { compact: string; end: number }[] };

function rfTokens(text: string): RfToken[] {
  const tokens: RfToken[] = [];
  for (const m of text.matchAll(RF_START)) {
    const head = m[0].toUpperCase();
    const token: RfToken = { start: m.index, ends: [] };
    let body = "";
    RF_CHUNK.lastIndex = m.index + m[0].length;
    for (let c = RF_CHUNK.exec(text); c; c = RF_CHUNK.exec(text)) {
      body += c[1]!.toUpperCase();
      if (body.length > RF_MAX_BODY) break;
      token.ends.push({ compact: head + body, end: RF_CHUNK.lastIndex });
    }
    if (token.ends.length > 0) tokens.push(token);
  }
  return tokens;
}

// ——— Payer names ———

// Legal forms and filler words say nothing about who paid ("Acme GmbH" is "ACME" on a statement).
const NAME_NOISE = new Set(
  (
    "gmbh mbh ag kg kgaa ohg ug ek ev se ltd limited plc llp lp inc incorporated llc corp corporation co company " +
    "sa sas sarl srl spa sl bv nv vof oy oyj ab as asa aps kft sro pty pte bhd the and und et of"
  ).split(" "),
);

function nameTokens(name: string): Set<string> {
  const folded = name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    // "B.V.", "S.A." and "Inc." lose their dots before splitting, so they are recognised as legal forms.
    .replace(/\./g, "");
  return new Set(folded.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 1 && !NAME_NOISE.has(t)));
}

/** Customers whose name resembles the payer's, best first. */
function customersNamed(ledger: Ledger, counterparty: string): { company: Company; score: number }[] {
  const tokens = nameTokens(counterparty);
  const candidates = new Set<Company>();
  for (const token of tokens) {
    const posting = ledger.byNameToken.get(token);
    if (posting && posting.length <= NAME_TOKEN_POSTING_CAP) for (const company of posting) candidates.add(company);
  }
  const named: { company: Company; score: number }[] = [];
  for (const company of candidates) {
    let common = 0;
    for (const token of tokens) if (company.tokens.has(token)) common++;
    const score = (2 * common) / (tokens.size + company.tokens.size);
    if (score >= NAME_RESEMBLANCE) named.push({ company, score });
  }
  return named.sort((a, b) => b.score - a.score || compare(a.company.id, b.company.id));
}

// ——— Matching ———

type Evidence = {
  via: "rf" | "number";
  fuzzy: boolean;
  /** As it appears in the remittance text. */
  written: string;
  /** The same, compacted like the invoice's reference or number key, to say what the typo was. */
  compact: string;
  target: OpenInvoice;
  position: number;
};

/** Strength of evidence for the same invoice found twice in one text: lower wins. */
const strength = (e: Evidence) => (e.fuzzy ? 2 : 0) + (e.via === "rf" ? 0 : 1);

/** One of several candidates for a reference: the only one, or the only one whose amount due equals the payment. */
function pickOne(candidates: readonly OpenInvoice[], amount: bigint): OpenInvoice | null {
  if (candidates.length === 1) return candidates[0]!;
  const fitting = candidates.filter((c) => c.remaining === amount);
  return fitting.length === 1 ? fitting[0]! : null;
}

function referencesIn(line: MatchableLine, currency: string, ledger: Ledger): { evidence: Evidence[]; namesOtherCurrency: boolean } {
  const text = line.reference;
  const evidence: Evidence[] = [];
  let namesOtherCurrency = false;
  const inCurrency = (list: readonly OpenInvoice[]) => list.filter((o) => o.currency === currency);
  // A guessed reference is only believable for an invoice still open: pointing a payment at one
  // this statement already paid would make it an over-payment on the strength of a typo.
  const stillOpen = (list: readonly OpenInvoice[]) => inCurrency(list).filter((o) => o.remaining > 0n);
  const exactlyNamed = (list: readonly OpenInvoice[]) => {
    const same = inCurrency(list);
    if (same.length === 0) namesOtherCurrency = true;
    return same;
  };
  // Text consumed by an RF token; an invoice number inside it ("RF47 INV2026000123") is the same reference.
  const claimed: [number, number][] = [];

  for (const token of rfTokens(text)) {
    const longestFirst = [...token.ends].reverse();
    let end = token.start;
    let done = false;
    let longestValid: number | null = null;
    for (const candidate of longestFirst) {
      const valid = parseCreditorReference(candidate.compact);
      if (!valid) continue;
      const known = ledger.byReference.get(valid);
      if (known) {
        const target = pickOne(exactlyNamed(known), line.amountMinor);
        if (target) evidence.push({ via: "rf", fuzzy: false, written: text.slice(token.start, candidate.end).trim(), compact: valid, target, position: token.start });
        end = candidate.end;
        done = true;
        break;
      }
      longestValid ??= candidate.compact.length;
    }
    if (!done) {
      // A reference with valid check digits was typed as meant: it belongs to something else, so
      // it is never bent towards one of ours. Only the failing, longer readings are tried.
      for (const candidate of longestFirst) {
        if (longestValid !== null && candidate.compact.length <= longestValid) break;
        const near = stillOpen(ledger.nearReference.near(candidate.compact));
        if (near.length === 0) continue;
        const target = pickOne(near, line.amountMinor);
        if (target) evidence.push({ via: "rf", fuzzy: true, written: text.slice(token.start, candidate.end).trim(), compact: candidate.compact, target, position: token.start });
        end = candidate.end;
        break;
      }
    }
    claimed.push([token.start, end]);
  }

  // matchAll works on a copy of the pattern, so the lookups inside the loop cannot disturb it.
  for (const m of text.matchAll(INVOICE_NUMBER)) {
    const at = m.index;
    if (claimed.some(([from, to]) => at >= from && at < to)) continue;
    const { key, typed } = invoiceNumberKey(m[1]!, m[2]!);
    const written = m[0].trim();
    const known = ledger.byNumber.get(key);
    if (known) {
      const target = pickOne(exactlyNamed(known), line.amountMinor);
      if (target) evidence.push({ via: "number", fuzzy: false, written, compact: key, target, position: at });
      continue;
    }
    // Padding can hide a missing digit ("00013" for "000123"), so the digits as typed are tried too.
    const near = ledger.nearNumber.near(key);
    if (typed !== key) for (const o of ledger.nearNumber.near(typed)) if (!near.includes(o)) near.push(o);
    const target = pickOne(stillOpen(near), line.amountMinor);
    if (target) {
      const meant = parseInvoiceNumber(target.invoice.number)!.key;
      evidence.push({ via: "number", fuzzy: true, written, compact: withinOneEdit(key, meant) ? key : typed, target, position: at });
    }
  }

  // The same invoice referenced twice counts once, by its strongest mention.
  const best = new Map<OpenInvoice, Evidence>();
  for (const e of evidence) {
    const seen = best.get(e.target);
    if (!seen || strength(e) < strength(seen)) best.set(e.target, e);
  }
  return { evidence: [...best.values()].sort((a, b) => a.position - b.position), namesOtherCurrency };
}

const money = (minor: bigint, currency: string) => formatMoney(minor, currency);

function joinWords(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

function sentence(...clauses: readonly string[]): string {
  const text = clauses.join("; ");
  // A customer name may end in a full stop ("Beta Ltd."); the sentence then needs no second one.
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${text.endsWith(".") ? "" : "."}`;
}

function evidenceClause(e: Evidence): string {
  const inv = e.target.invoice;
  if (e.via === "rf") {
    const meant = formatCreditorReference(inv.paymentReference!.toUpperCase().replace(/\s+/g, ""));
    if (!e.fuzzy) return `RF reference ${meant} matches ${inv.number} exactly`;
    return `"${e.written}" is not a valid RF reference (its check digits fail) and was probably meant to be ${meant} of ${inv.number}, as ${describeEdit(e.compact, meant.replace(/\s+/g, ""))}`;
  }
  if (!e.fuzzy) return e.written === inv.number ? `invoice number ${inv.number} is quoted` : `"${e.written}" reads as invoice number ${inv.number}`;
  return `"${e.written}" matches no invoice and was probably meant to be ${inv.number}, as ${describeEdit(e.compact, parseInvoiceNumber(inv.number)!.key)}`;
}

function fitClause(amount: bigint, currency: string, due: bigint, several: boolean, settled: readonly string[]): string {
  const difference = amount - due;
  const settledNote = settled.length === 0 ? "" : `; ${joinWords(settled)} ${settled.length === 1 ? "was" : "were"} already paid by an earlier line of this statement`;
  if (due === 0n) return `${joinWords(settled)} ${settled.length === 1 ? "was" : "were"} already paid by an earlier line of this statement, so all ${money(amount, currency)} is an over-payment and nothing is allocated`;
  if (difference === 0n) return `the amount equals the ${several ? "total" : "amount"} due${settledNote}`;
  if (difference < 0n) return `the payment is ${money(-difference, currency)} short of the ${money(due, currency)} due${settledNote}`;
  return `the payment is ${money(difference, currency)} more than the ${money(due, currency)} due, and the excess stays unallocated${settledNote}`;
}

function suggest(
  ledger: Ledger,
  line: MatchableLine,
  currency: string,
  targets: readonly OpenInvoice[],
  method: MatchMethod,
  confidence: (outcome: MatchOutcome) => number,
  reason: (due: bigint) => string,
): MatchSuggestion {
  const due = targets.reduce((sum, t) => sum + t.remaining, 0n);
  const { allocations } = allocateOldestFirst(
    line.amountMinor,
    targets.map((t) => ({ invoiceId: t.invoice.invoiceId, number: t.invoice.number, issueDate: t.invoice.issueDate, dueDate: t.invoice.dueDate, outstandingMinor: t.remaining })),
  );
  for (const a of allocations) consume(ledger, ledger.byId.get(a.invoiceId)!, a.amountMinor);
  const differenceMinor = line.amountMinor - due;
  const outcome: MatchOutcome = differenceMinor === 0n ? "exact" : differenceMinor < 0n ? "short" : "over";
  return { lineId: line.id, companyId: targets[0]!.company.id, allocations, confidence: confidence(outcome), method, reason: reason(due), outcome, differenceMinor };
}

function matchByReference(ledger: Ledger, line: MatchableLine, currency: string, evidence: readonly Evidence[]): MatchSuggestion {
  // A suggestion is for one customer: the one most references point to (first mentioned on a tie).
  const byCompany = new Map<Company, Evidence[]>();
  for (const e of evidence) addTo(byCompany, e.target.company, e);
  let chosen: Evidence[] = [];
  for (const group of byCompany.values()) if (group.length > chosen.length) chosen = group;
  const leftOut = evidence.filter((e) => !chosen.includes(e)).map((e) => e.target.invoice.number);

  const method: "reference" | "reference_fuzzy" | "invoice_number" = chosen.some((e) => e.fuzzy) ? "reference_fuzzy" : chosen.some((e) => e.via === "number") ? "invoice_number" : "reference";
  const targets = chosen.map((e) => e.target);
  const settled = targets.filter((t) => t.remaining === 0n).map((t) => t.invoice.number);
  return suggest(
    ledger,
    line,
    currency,
    targets,
    method,
    (outcome) => CONFIDENCE[method][outcome],
    (due) =>
      sentence(
        ...chosen.map(evidenceClause),
        ...(leftOut.length > 0 ? [`${joinWords(leftOut)} ${leftOut.length === 1 ? "belongs" : "belong"} to another customer and ${leftOut.length === 1 ? "was" : "were"} left out`] : []),
        fitClause(line.amountMinor, currency, due, targets.length > 1, settled),
      ),
  );
}

function matchByAmount(ledger: Ledger, line: MatchableLine, currency: string): MatchSuggestion | null {
  const amount = line.amountMinor;
  const sameAmount = [...(ledger.byAmount.get(amountKey(currency, amount)) ?? [])];
  const named = customersNamed(ledger, line.counterparty);
  const scoreOf = new Map(named.map((n) => [n.company, n.score]));
  const payer = `"${line.counterparty.trim()}"`;
  // Formatting money is comparatively slow; most lines reaching this point end unmatched.
  const due = () => money(amount, currency);

  // Amount and name: among the invoices with exactly this amount left, the one whose customer's
  // name resembles the payer's most; two equally good ones are a guess, so none is suggested.
  const withName = sameAmount.filter((o) => scoreOf.has(o.company));
  if (withName.length > 0) {
    const top = Math.max(...withName.map((o) => scoreOf.get(o.company)!));
    const best = withName.filter((o) => scoreOf.get(o.company) === top);
    if (best.length > 1) return null;
    const target = best[0]!;
    const onlyOne = sameAmount.length === 1;
    const confidence = !onlyOne ? CONFIDENCE.amountAndName.nameDecides : top === 1 ? CONFIDENCE.amountAndName.onlyAmountFullName : CONFIDENCE.amountAndName.onlyAmountPartialName;
    const others = sameAmount.length - 1;
    const reason = onlyOne
      ? sentence(`the amount ${due()} equals the amount due on ${target.invoice.number}, the only open invoice with that amount, and the payer ${payer} resembles its customer ${target.company.name}`)
      : sentence(`the amount ${due()} equals the amount due on ${target.invoice.number} and on ${others} other open invoice${others === 1 ? "" : "s"}`, `the payer ${payer} resembles this invoice's customer ${target.company.name} most closely`);
    return suggest(ledger, line, currency, [target], "amount_and_name", () => confidence, () => reason);
  }

  // Company total: the payer settles everything a named customer owes in this currency at once.
  const totals = named.filter((n) => {
    const open = n.company.open.get(currency);
    return open !== undefined && open.total === amount && open.invoices.filter((o) => o.remaining > 0n).length > 1;
  });
  if (totals.length > 0) {
    if (totals.length > 1 && totals[1]!.score === totals[0]!.score) return null;
    const { company, score } = totals[0]!;
    const targets = company.open.get(currency)!.invoices.filter((o) => o.remaining > 0n);
    const reason = sentence(`the amount ${due()} equals the total due on all ${targets.length} open invoices of ${company.name}, whose name resembles the payer ${payer}`, "there is no usable reference");
    return suggest(ledger, line, currency, targets, "company_total", () => (score === 1 ? CONFIDENCE.companyTotal.fullName : CONFIDENCE.companyTotal.partialName), () => reason);
  }

  // Amount alone: only when no other open invoice in this currency has the same amount left.
  if (sameAmount.length !== 1) return null;
  const target = sameAmount[0]!;
  const other = named[0]?.company;
  const reason = other
    ? sentence(`the amount ${due()} equals the amount due on ${target.invoice.number} of ${target.company.name}, the only open invoice with that amount, but there is no reference and the payer ${payer} resembles another customer, ${other.name}`)
    : sentence(`the amount ${due()} equals the amount due on ${target.invoice.number} of ${target.company.name}, the only open invoice with that amount`, `there is no reference and the payer ${payer} resembles no customer`);
  return suggest(ledger, line, currency, [target], "amount", () => (other ? CONFIDENCE.amount.otherCustomerNamed : CONFIDENCE.amount.unknownPayer), () => reason);
}

function matchLine(ledger: Ledger, line: MatchableLine): MatchSuggestion | null {
  if (line.amountMinor <= 0n) return null;
  const currency = line.currency.toUpperCase();
  const { evidence, namesOtherCurrency } = referencesIn(line, currency, ledger);
  if (evidence.length > 0) return matchByReference(ledger, line, currency, evidence);
  // The payer named an invoice exactly but paid in another currency: that needs a person, and
  // matching by amount would contradict what the payer wrote.
  if (namesOtherCurrency) return null;
  return matchByAmount(ledger, line, currency);
}

/**
 * Suggests, for each statement line, which open invoices it pays. Lines are taken in order and
 * consume what they allocate, so a later line paying the same invoice only finds what is left.
 * Same input, same output, whatever order the invoices come in.
 */
export function matchStatement(lines: readonly MatchableLine[], invoices: readonly MatchableInvoice[]): MatchResult {
  const ledger = buildLedger(invoices);
  const suggestions: MatchSuggestion[] = [];
  const unmatched: string[] = [];
  for (const line of lines) {
    const suggestion = matchLine(ledger, line);
    if (suggestion) suggestions.push(suggestion);
    else unmatched.push(line.id);
  }
  return { suggestions, unmatched };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
