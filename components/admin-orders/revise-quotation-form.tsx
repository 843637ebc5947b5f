"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, Table, TBody, TD, TH, THead, Textarea, TR } from "@/components/ui";

export type RevisableLine = {
  lineNo: number;
  sku: string;
  name: string;
  unit: string;
  quantity: number;
  /** Decimal text in the order's currency, e.g. "12.50". */
  unitPrice: string;
  /** e.g. "0", "2.5". */
  discountPercent: string;
  taxRate: string;
};

type Props = { action: FormAction; orderId: string; version: number; currency: string; lines: RevisableLine[] };

/**
 * Issues a new version of the quotation with changed quantities, prices or discounts. The page keys
 * this form by the current version, so after a revision it remounts with the new version's values.
 */
export function ReviseQuotationForm({ action, orderId, version, currency, lines }: Props) {
  const [state, formAction] = useActionState(action, null);
  const lineErrors = fieldErrors(state, "lines");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="orderId" value={orderId} />
      {/* The version being revised: two people revising at once cannot both build on it. */}
      <input type="hidden" name="version" value={version} />
      {lineErrors && (
        <ul role="alert" className="list-disc pl-5 text-sm text-red-700">
          {lineErrors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      )}
      <Table caption="Quotation lines to revise">
        <THead>
          <tr>
            <TH>#</TH>
            <TH>Product</TH>
            <TH>Quantity</TH>
            <TH>Unit price ({currency})</TH>
            <TH>Discount %</TH>
            <TH>Tax</TH>
          </tr>
        </THead>
        <TBody>
          {lines.map((l) => {
            const field = (name: string, fallback: string) => ({
              name: `${name}_${l.lineNo}`,
              id: `revise-${name}-${l.lineNo}`,
              defaultValue: submittedValue(state, `${name}_${l.lineNo}`, fallback),
              error: fieldErrors(state, `lines.${l.lineNo}.${name}`),
            });
            return (
              <TR key={l.lineNo} data-testid="revise-line">
                <TD className="tabular-nums">{l.lineNo}</TD>
                <TD>
                  <span className="font-medium">{l.name}</span>
                  <span className="block font-mono text-xs text-slate-600">{l.sku}</span>
                </TD>
                <TD className="min-w-28">
                  <Input
                    label={<span className="sr-only">Quantity line {l.lineNo}</span>}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    step={1}
                    aria-required="true"
                    {...field("quantity", String(l.quantity))}
                  />
                  <span className="mt-1 block text-xs text-slate-600">{l.unit}</span>
                </TD>
                <TD className="min-w-32">
                  <Input label={<span className="sr-only">Unit price line {l.lineNo}</span>} inputMode="decimal" autoComplete="off" aria-required="true" {...field("unitPrice", l.unitPrice)} />
                </TD>
                <TD className="min-w-24">
                  <Input
                    label={<span className="sr-only">Discount % line {l.lineNo}</span>}
                    type="number"
                    inputMode="decimal"
                    min={0}
                    max={100}
                    step="any"
                    {...field("discountPercent", l.discountPercent)}
                  />
                </TD>
                <TD className="whitespace-nowrap tabular-nums">{l.taxRate}</TD>
              </TR>
            );
          })}
        </TBody>
      </Table>
      <p className="text-sm text-slate-600">A quantity of 0 removes the line. The customer sees the revised quotation as a new version with a new validity date.</p>
      <Textarea
        label="Reason for revision"
        id="revise-reason"
        name="reason"
        rows={2}
        required
        maxLength={1000}
        hint="Shown to the customer with the new version."
        defaultValue={submittedValue(state, "reason")}
        error={fieldErrors(state, "reason")}
      />
      <SubmitButton pendingLabel="Issuing…">Issue revised quotation</SubmitButton>
    </form>
  );
}
