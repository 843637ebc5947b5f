import "server-only";
import { stringify } from "csv-stringify/sync";
import { getCompany } from "@/db/queries/companies";
import { listInvoices, type InvoiceRow } from "@/db/queries/invoices";
import type { DbOrTx } from "@/db/client";
import { formatCreditorReference } from "@/lib/domain/creditor-reference";
import { isUuid } from "@/lib/domain/ids";
import { minorDigits, minorToDecimal } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { ageingBucket, daysPastDue } from "@/lib/domain/receivables";
import { isCustomerRole } from "@/lib/domain/roles";
import { renderStatementPdf } from "@/lib/pdf/render";
import { byDueDate } from "@/lib/pdf/statement-model";
import type { StatementData } from "@/lib/pdf/types";
import type { Actor } from "@/lib/domain/actor";
import { sellerParty } from "./orders/common";
import { sellerToday } from "@/lib/time-zone";
import { slug } from "@/lib/domain/slug";

export type StatementCompany = { id: string; name: string; billingAddress: string; taxId: string; currency: string };
export type Statement = { company: StatementCompany; today: string; items: InvoiceRow[] };

/**
 * A company's open items (not cancelled, something still due), oldest due date first, on the
 * seller's `today`. A customer gets their own company (when `companyId` is omitted or is theirs);
 * staff with receivables.read any existing company. Null when the company does not exist for the actor.
 */
export async function statementOfAccount(tx: DbOrTx, actor: Actor, companyId: string | null, today = sellerToday()): Promise<Statement | null> {
  const id = isCustomerRole(actor.role)
    ? companyId === null || companyId === actor.companyId
      ? actor.companyId
      : null
    : companyId !== null && isUuid(companyId) && can(actor.role, "receivables.read")
      ? companyId
      : null;
  if (!id) return null;
  const company = await getCompany(tx, id);
  if (!company) return null;
  // listInvoices scopes a customer to their own company in SQL as well.
  const items = (await listInvoices(tx, actor, { companyId: id }))
    .filter((i) => i.companyId === id && i.status !== "cancelled" && i.dueMinor > 0n)
    .sort(byDueDate);
  return { company: { id: company.id, name: company.name, billingAddress: company.billingAddress, taxId: company.taxId, currency: company.currency }, today, items };
}

/** "statement-of-account-<company-slug>-<date>", the download's name without the extension. */
function statementFilename(s: Statement): string {
  return `statement-of-account-${slug(s.company.name) || s.company.id}-${s.today}`;
}

function statementData(s: Statement): StatementData {
  return {
    statementDate: s.today,
    seller: sellerParty(),
    customer: { name: s.company.name, address: s.company.billingAddress, taxId: s.company.taxId },
    currency: s.company.currency,
    items: s.items.map((i) => ({
      number: i.number,
      issueDate: i.issueDate,
      dueDate: i.dueDate,
      currency: i.currency,
      totalMinor: i.totalMinor,
      paidMinor: i.paidMinor,
      pendingMinor: i.pendingMinor,
      dueMinor: i.dueMinor,
      paymentReference: i.paymentReference ? formatCreditorReference(i.paymentReference) : undefined,
    })),
  };
}

/**
 * The statement as PDF, rendered in the worker pool. Deliberately not cached in rendered_documents:
 * unlike an issued quotation or invoice, a statement is not immutable (every payment, verification
 * or new invoice changes it), so it is rendered from live data on every download.
 */
export async function statementPdf(s: Statement): Promise<{ filename: string; pdf: Buffer }> {
  return { filename: `${statementFilename(s)}.pdf`, pdf: await renderStatementPdf(statementData(s)) };
}

/** The statement as CSV: one row per open item, amounts as decimals in the invoice's currency. */
export function statementCsv(s: Statement): { filename: string; csv: string } {
  const money = (minor: bigint, currency: string) => minorToDecimal(minor, minorDigits(currency));
  const csv = stringify([
    ["invoice", "issue_date", "due_date", "currency", "total", "paid", "awaiting_verification", "due", "days_past_due", "ageing", "payment_reference"],
    ...s.items.map((i) => [
      i.number,
      i.issueDate,
      i.dueDate,
      i.currency,
      money(i.totalMinor, i.currency),
      money(i.paidMinor, i.currency),
      money(i.pendingMinor, i.currency),
      money(i.dueMinor, i.currency),
      String(daysPastDue(i.dueDate, s.today)),
      ageingBucket(i.dueDate, s.today),
      i.paymentReference ?? "",
    ]),
  ]);
  return { filename: `${statementFilename(s)}.csv`, csv };
}
