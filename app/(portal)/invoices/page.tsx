import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { InvoiceStatusBadge } from "@/components/payments/invoice-status-badge";
import { RemittanceForm, type OpenInvoiceOption } from "@/components/payments/remittance-form";
import { Card, EmptyState, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { buttonClasses } from "@/components/ui/button";
import { getCompany } from "@/db/queries/companies";
import { listInvoices } from "@/db/queries/invoices";
import { db } from "@/db/client";
import { formatCreditorReference } from "@/lib/domain/creditor-reference";
import { formatMoney } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { recordRemittanceAction } from "./actions";
import { sellerToday } from "@/lib/time-zone";
import Link from "next/link";
import { param, type SearchParams } from "@/components/lists/search-params";
import { minorToDecimal, minorDigits } from "@/lib/domain/money";

export const metadata: Metadata = { title: "Invoices" };

const linkClass = "font-medium text-brand-700 hover:underline";

/** "DE89370400440532013000" → "DE89 3704 0044 0532 0130 00", as banks print it. */
function groupsOfFour(text: string): string {
  return text.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

export default async function InvoicesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("portal.access");
  // listInvoices keeps a customer to their own company's invoices in SQL.
  const rows = await listInvoices(db, actor);
  const company = actor.companyId ? await getCompany(db, actor.companyId) : null;
  const e = env();
  const currency = company?.currency ?? rows[0]?.currency ?? e.DEFAULT_CURRENCY;
  const today = sellerToday();
  const canPay = can(actor.role, "payments.submit");

  // What can still take a payment: not cancelled, and something left after verified and pending payments
  // (the same rule the service applies). Oldest due first, the order "oldest first" pays them in.
  const openInvoices: OpenInvoiceOption[] = rows
    .filter((r) => r.status !== "cancelled" && r.status !== "paid" && r.dueMinor - r.pendingMinor > 0n)
    .sort((a, b) => (a.dueDate === b.dueDate ? a.number.localeCompare(b.number) : a.dueDate < b.dueDate ? -1 : 1))
    .map((r) => ({ id: r.id, number: r.number, dueDate: r.dueDate, outstanding: formatMoney(r.dueMinor - r.pendingMinor, r.currency) }));

  // "Pay" on an order page: this invoice's outstanding amount and reference filled into the form.
  const payId = param(await searchParams, "pay", 40);
  const paying = payId ? rows.find((r) => r.id === payId && openInvoices.some((o) => o.id === r.id)) : undefined;
  const prefill = paying && {
    invoiceId: paying.id,
    amount: minorToDecimal(paying.dueMinor - paying.pendingMinor, minorDigits(paying.currency)),
    reference: paying.paymentReference ? formatCreditorReference(paying.paymentReference) : paying.number,
  };

  return (
    <>
      <PageHeader
        title="Invoices"
        description="Your company's invoices, what has been paid and what is still due."
        actions={
          <>
            <a href="/api/statements/account?format=pdf" download className={buttonClasses("secondary", "md")}>
              Statement of account (PDF)
            </a>
            <a href="/api/statements/account" download className={buttonClasses("secondary", "md")}>
              Statement of account (CSV)
            </a>
          </>
        }
      />
      <div className="space-y-6">
        {rows.length === 0 ? (
          <EmptyState
            title="No invoices yet"
            description="An invoice is issued when the seller approves an order; it will be listed here with its payments."
            action={
              <LinkButton href="/orders" variant="secondary">
                View your orders
              </LinkButton>
            }
          />
        ) : (
          <Table caption="Invoices" stack>
            <THead>
              <tr>
                <TH>Number</TH>
                <TH>Issued</TH>
                <TH>Due</TH>
                <TH className="text-right">Total</TH>
                <TH className="text-right">Paid</TH>
                <TH className="text-right">Amount due</TH>
                <TH>Status</TH>
                <TH className="whitespace-normal">Payment reference</TH>
              </tr>
            </THead>
            <TBody>
              {rows.map((r) => (
                <TR key={r.id} id={`invoice-${r.number}`} data-testid={`invoice-row-${r.number}`} data-invoice-id={r.id} className="target:bg-amber-50">
                  {/* The PDF link sits under the number, not in a last column of its own: at 1280 px that
                      column was cut off by the card once amounts or "awaiting verification" grew the row. */}
                  <TD className="whitespace-nowrap">
                    <Link href={`/orders/${r.orderId}`} className={`${linkClass} block`} aria-label={`${r.number}: open its order`}>
                      {r.number}
                    </Link>
                    <a href={`/api/documents/invoices/${r.id}`} download className={`${linkClass} text-xs`}>
                      Download PDF
                    </a>
                  </TD>
                  <TD label="Issued" className="whitespace-nowrap">{r.issueDate}</TD>
                  <TD label="Due" className="whitespace-nowrap">{r.dueDate}</TD>
                  <TD label="Total" className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.totalMinor, r.currency)}</TD>
                  <TD label="Paid" className="text-right whitespace-nowrap tabular-nums">{formatMoney(r.paidMinor, r.currency)}</TD>
                  <TD label="Amount due" className="text-right font-medium whitespace-nowrap tabular-nums">{formatMoney(r.dueMinor, r.currency)}</TD>
                  <TD label="Status">
                    <InvoiceStatusBadge status={r.status} />
                    {r.pendingMinor > 0n && (
                      <span className="mt-1 block text-xs text-slate-600">
                        {formatMoney(r.pendingMinor, r.currency)} awaiting verification
                      </span>
                    )}
                  </TD>
                  <TD label="Payment reference" className="font-mono text-xs whitespace-nowrap">{r.paymentReference ? formatCreditorReference(r.paymentReference) : "—"}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}

        <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
          <Card title="How to pay">
            <p className="mb-3 text-sm text-slate-700">Pay by bank transfer to:</p>
            <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
              <dt className="font-medium text-slate-600">Account holder</dt>
              <dd className="break-words text-slate-900">{e.SELLER_NAME}</dd>
              <dt className="font-medium text-slate-600">Bank name</dt>
              <dd className="break-words text-slate-900">{e.SELLER_BANK_NAME}</dd>
              <dt className="font-medium text-slate-600">IBAN</dt>
              <dd className="font-mono break-words text-slate-900">{groupsOfFour(e.SELLER_IBAN)}</dd>
              <dt className="font-medium text-slate-600">BIC</dt>
              <dd className="font-mono break-words text-slate-900">{e.SELLER_BIC}</dd>
            </dl>
            <p className="mt-4 text-sm text-slate-700">Quote the invoice&apos;s payment reference (RF…) so we can match your payment.</p>
          </Card>

          {canPay && rows.length > 0 && (
            <div id="record-payment" className="scroll-mt-4">
            <Card title="Record a payment">
              {paying && (
                <p className="mb-3 text-sm font-medium text-slate-900" data-testid="paying-invoice">
                  Paying invoice {paying.number}: the amount still due and its payment reference are filled in.
                </p>
              )}
              <p className="mb-4 text-sm text-slate-700">
                Paid by bank transfer? Tell us here; the amount shows as awaiting verification until we find it on our bank account.
              </p>
              <RemittanceForm action={recordRemittanceAction} idempotencyKey={randomUUID()} currency={currency} today={today} openInvoices={openInvoices} prefill={prefill || undefined} />
            </Card>
            </div>
          )}
        </div>
      </div>
    </>
  );
}
