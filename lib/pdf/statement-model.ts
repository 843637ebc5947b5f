// StatementData → StatementRenderModel: the statement of account's open items and ageing summary as
// display text, the same way model.ts prepares quotations and invoices, so the worker only lays out
// strings. Pure: the caller supplies the statement date (the seller's today).
import { formatMoney } from "../domain/money";
import { ageingBucket, ageingBuckets, daysPastDue, type AgeingBucket } from "../domain/receivables";
import { isoDate, partyLines, PdfDataError, type PdfRenderParty, type PdfRenderRow } from "./model";
import type { StatementData, StatementItem } from "./types";

export type StatementRenderItem = {
  number: string;
  /** The invoice's payment reference, printed on a line below the item; "" without one. */
  reference: string;
  issueDate: string;
  dueDate: string;
  total: string;
  paid: string;
  pending: string;
  due: string;
  /** "0" when not yet due. */
  daysPastDue: string;
};

/** One row of the ageing summary: what is due in one currency, per bucket, and in all. */
export type StatementAgeingRow = { currency: string; buckets: string[]; total: string };

/** What the worker renders for a statement: text only, structured-clone safe. Built by `toStatementRenderModel`. */
export type StatementRenderModel = {
  kind: "statement_of_account";
  title: string;
  info: { title: string; author: string; subject: string };
  /** Right-hand header rows: statement date, currency, number of open items. */
  meta: PdfRenderRow[];
  seller: PdfRenderParty;
  customerHeading: string;
  customer: PdfRenderParty;
  /** Oldest due date first (then invoice number): the order payments are allocated in. */
  items: StatementRenderItem[];
  /** Printed instead of the table when nothing is open; "" otherwise. */
  emptyNote: string;
  /** The bucket column titles, then "Total due". */
  ageingHeadings: string[];
  /** The company's currency first, then any other currency with open items. */
  ageing: StatementAgeingRow[];
  notes: string[];
  /** The seller's bank account. */
  payment: PdfRenderRow[];
  paymentNote: string;
  /** Left side of the footer on every page; the right side is "Page X of Y". */
  footer: string;
};

export const ageingLabels: Record<AgeingBucket, string> = { current: "Current", "1-30": "1–30 days", "31-60": "31–60 days", "61-90": "61–90 days", "90+": "Over 90 days" };

const currencyCode = /^[A-Z]{3}$/;

/** Oldest due date first, then invoice number: the order "oldest first" allocation pays them in. */
export function byDueDate(a: Pick<StatementItem, "dueDate" | "number">, b: Pick<StatementItem, "dueDate" | "number">): number {
  return a.dueDate === b.dueDate ? a.number.localeCompare(b.number) : a.dueDate < b.dueDate ? -1 : 1;
}

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00", as banks print it. */
function groupsOfFour(text: string): string {
  return text.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

function validate(d: StatementData): string[] {
  const issues: string[] = [];
  if (!isoDate.test(d.statementDate ?? "")) issues.push(`statementDate "${d.statementDate}" is not yyyy-mm-dd`);
  if (!currencyCode.test(d.currency ?? "")) issues.push(`currency "${d.currency}" is not an ISO 4217 code`);
  if (!d.seller?.name?.trim()) issues.push("seller name is empty");
  if (!d.customer?.name?.trim()) issues.push("customer name is empty");
  if (!Array.isArray(d.items)) return [...issues, "items is not an array"];
  for (const i of d.items) {
    const at = `invoice ${i.number}`;
    if (!i.number?.trim()) issues.push("an item has no invoice number");
    if (!isoDate.test(i.issueDate ?? "") || !isoDate.test(i.dueDate ?? "")) issues.push(`${at}: dates must be yyyy-mm-dd`);
    if (!currencyCode.test(i.currency ?? "")) issues.push(`${at}: currency "${i.currency}" is not an ISO 4217 code`);
    if ([i.totalMinor, i.paidMinor, i.pendingMinor, i.dueMinor].some((m) => typeof m !== "bigint")) {
      issues.push(`${at}: amounts must be bigint minor units`);
      continue;
    }
    if (i.paidMinor < 0n || i.pendingMinor < 0n) issues.push(`${at}: paid and awaiting verification cannot be negative`);
    if (i.dueMinor <= 0n) issues.push(`${at}: nothing is due, so it is not an open item`);
    if (i.paidMinor + i.dueMinor !== i.totalMinor) issues.push(`${at}: paid + due ≠ total`);
  }
  return issues;
}

/**
 * Orders the open items, ages each by days past its due date on the statement date, sums the ageing
 * per currency (never across currencies) and turns it all into display text. Throws PdfDataError
 * rather than print a statement whose figures contradict each other.
 */
export function toStatementRenderModel(d: StatementData): StatementRenderModel {
  const issues = validate(d);
  if (issues.length > 0) throw new PdfDataError(issues);

  const items = [...d.items].sort(byDueDate);
  const zero = () => Object.fromEntries(ageingBuckets.map((b) => [b, 0n])) as Record<AgeingBucket, bigint>;
  const sums = new Map<string, { buckets: Record<AgeingBucket, bigint>; totalMinor: bigint }>([[d.currency, { buckets: zero(), totalMinor: 0n }]]);
  for (const i of items) {
    const sum = sums.get(i.currency) ?? { buckets: zero(), totalMinor: 0n };
    sum.buckets[ageingBucket(i.dueDate, d.statementDate)] += i.dueMinor;
    sum.totalMinor += i.dueMinor;
    sums.set(i.currency, sum);
  }
  // The company's currency always has a row (all zero when nothing is open); others only when used.
  const currencies = [d.currency, ...[...sums.keys()].filter((c) => c !== d.currency).sort()];
  const ageing = currencies.map((currency) => {
    const sum = sums.get(currency)!;
    return { currency, buckets: ageingBuckets.map((b) => formatMoney(sum.buckets[b], currency)), total: formatMoney(sum.totalMinor, currency) };
  });

  const notes: string[] = [];
  if (items.length > 0) notes.push(`Each amount due is aged by the days past the invoice's due date on ${d.statementDate}.`);
  if (items.some((i) => i.pendingMinor > 0n)) {
    notes.push("Payments awaiting verification are ones reported to us that we have not yet found on our bank account; they remain part of the amount due until verified.");
  }

  const payment: PdfRenderRow[] = [{ label: "Account holder", value: d.seller.name }];
  if (d.seller.bank) payment.push({ label: "Bank", value: d.seller.bank });
  if (d.seller.iban) payment.push({ label: "IBAN", value: groupsOfFour(d.seller.iban) });
  if (d.seller.bic) payment.push({ label: "BIC", value: d.seller.bic });

  const title = "Statement of account";
  return {
    kind: "statement_of_account",
    title,
    info: { title: `${title} ${d.customer.name} ${d.statementDate}`, author: d.seller.name, subject: `Open items and ageing of ${d.customer.name} on ${d.statementDate}` },
    meta: [
      { label: "Statement date", value: d.statementDate },
      { label: "Currency", value: currencies.join(", ") },
      { label: "Open items", value: String(items.length) },
    ],
    seller: { name: d.seller.name, lines: partyLines(d.seller) },
    customerHeading: "Account",
    customer: { name: d.customer.name, lines: partyLines(d.customer) },
    items: items.map((i) => {
      const money = (minor: bigint) => formatMoney(minor, i.currency);
      return {
        number: i.number,
        reference: i.paymentReference ?? "",
        issueDate: i.issueDate,
        dueDate: i.dueDate,
        total: money(i.totalMinor),
        paid: money(i.paidMinor),
        pending: money(i.pendingMinor),
        due: money(i.dueMinor),
        daysPastDue: String(daysPastDue(i.dueDate, d.statementDate)),
      };
    }),
    emptyNote: items.length === 0 ? `Nothing is due on this account on ${d.statementDate}.` : "",
    ageingHeadings: [...ageingBuckets.map((b) => ageingLabels[b]), "Total due"],
    ageing,
    notes,
    payment,
    paymentNote: `Each invoice has its own payment reference (RF…${items.length > 0 ? ", printed under each item above" : ""}): please quote it with your transfer so that we can match your payment to the invoice.`,
    footer: `${d.seller.name} · ${title} · ${d.customer.name} · ${d.statementDate}`,
  };
}
