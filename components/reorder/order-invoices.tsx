import { DetailList } from "@/components/lists/detail-list";
import { invoiceStatusLabels } from "@/components/payments/invoice-status-badge";
import { Card, LinkButton } from "@/components/ui";
import type { InvoiceRow } from "@/db/queries/invoices";
import { formatMoney } from "@/lib/domain/money";

const linkClass = "font-medium text-brand-700 hover:underline";

/** Where an invoice is paid: the invoices page's payment form, with this invoice filled in. */
export const payInvoiceHref = (invoiceId: string) => `/invoices?pay=${encodeURIComponent(invoiceId)}#record-payment`;

/** Whether an invoice can still take a payment (the rule the invoices page and the service apply). */
export const payable = (i: Pick<InvoiceRow, "status" | "dueMinor" | "pendingMinor">) => i.status !== "cancelled" && i.status !== "paid" && i.dueMinor - i.pendingMinor > 0n;

/**
 * An order's invoices on the customer's order page: numbers, amounts, status, the PDF and "Pay",
 * which opens the invoices page's payment form for that invoice.
 */
export function OrderInvoices({ invoices, canPay }: { invoices: InvoiceRow[]; canPay: boolean }) {
  if (invoices.length === 0) return null;
  return (
    <Card title={invoices.length === 1 ? "Invoice" : "Invoices"}>
      <div className="space-y-6 divide-y divide-slate-200">
        {invoices.map((invoice) => (
          <div key={invoice.id} className="pt-4 first:pt-0" data-testid={`order-invoice-${invoice.number}`}>
            <DetailList
              items={[
                {
                  label: "Number",
                  value: (
                    <a href={`/invoices#invoice-${encodeURIComponent(invoice.number)}`} className={linkClass}>
                      {invoice.number}
                    </a>
                  ),
                  testId: "invoice-number",
                },
                { label: "Issue date", value: invoice.issueDate },
                { label: "Due date", value: invoice.dueDate, testId: "invoice-due-date" },
                { label: "Total", value: formatMoney(invoice.totalMinor, invoice.currency), testId: "invoice-total" },
                { label: "Paid", value: formatMoney(invoice.paidMinor, invoice.currency), testId: "invoice-paid" },
                {
                  label: "Amount due",
                  value: (
                    <>
                      {formatMoney(invoice.dueMinor, invoice.currency)}
                      {invoice.pendingMinor > 0n && <span className="block text-xs text-slate-600">{formatMoney(invoice.pendingMinor, invoice.currency)} awaiting verification</span>}
                    </>
                  ),
                  testId: "invoice-amount-due",
                },
                { label: "Status", value: invoiceStatusLabels[invoice.status], testId: "invoice-status" },
              ]}
            />
            <div className="mt-4 flex flex-wrap items-center gap-4 text-sm">
              {canPay && payable(invoice) && (
                <LinkButton href={payInvoiceHref(invoice.id)} size="sm">
                  Pay invoice {invoice.number}
                </LinkButton>
              )}
              <a href={`/api/documents/invoices/${invoice.id}`} download className={linkClass}>
                Download invoice PDF
              </a>
            </div>
          </div>
        ))}
      </div>
    </Card>
  );
}
