import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import { ManualRateForm, RatesImportForm } from "@/components/exchange-rates/rate-forms";
import { Card, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { db } from "@/db/client";
import { listExchangeRates } from "@/db/queries/exchange-rates";
import { can } from "@/lib/domain/permissions";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { sellerToday } from "@/lib/time-zone";
import { importExchangeRatesAction, recordExchangeRateAction } from "./actions";

export const metadata: Metadata = { title: "Exchange rates" };

export default async function ExchangeRatesPage() {
  const actor = await requirePermission("products.read");
  const base = env().DEFAULT_CURRENCY;
  const rates = await listExchangeRates(db, 200);
  const manage = can(actor.role, "exchange_rates.manage");
  return (
    <>
      <PageHeader
        title="Exchange rates"
        description={`Customers buying in another currency than ${base} get their price list's prices in their currency, or the base price converted at the latest rate on or before the day. Quotations and invoices keep the rate they used.`}
      />
      <div className="space-y-6">
        {manage && (
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Record a rate">
              <ManualRateForm action={recordExchangeRateAction} idempotencyKey={randomUUID()} base={base} today={sellerToday()} />
            </Card>
            <Card title="Import ECB reference rates">
              <RatesImportForm action={importExchangeRatesAction} idempotencyKey={randomUUID()} />
            </Card>
          </div>
        )}
        {rates.length === 0 ? (
          <EmptyState title="No exchange rates yet" description="Record a rate or import the ECB's daily reference rates file." />
        ) : (
          <Table caption="Exchange rates, newest first" stack>
            <THead>
              <tr>
                <TH>Date</TH>
                <TH>Pair</TH>
                <TH className="text-right">Rate</TH>
                <TH>Source</TH>
              </tr>
            </THead>
            <TBody>
              {rates.map((r) => (
                <TR key={r.id} data-testid={`rate-${r.base}-${r.quote}-${r.rateDate}-${r.source}`}>
                  <TD label="Date" className="whitespace-nowrap tabular-nums">{r.rateDate}</TD>
                  <TD label="Pair">1 {r.base} = … {r.quote}</TD>
                  <TD label="Rate" className="text-right font-mono tabular-nums">{r.rate}</TD>
                  <TD label="Source">{r.source}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </>
  );
}
