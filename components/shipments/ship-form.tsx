"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, Table, TBody, TD, TH, THead, TR } from "@/components/ui";

export type ShippableLine = { lineNo: number; sku: string; name: string; unit: string; ordered: number; shipped: number; remaining: number };

/**
 * Staff ship some or all of what remains: one quantity per line (default: all that remains; 0 ships
 * none of it), the carrier and the tracking number. Idempotent: the page renders a fresh key each
 * time, so a resubmitted form cannot ship twice.
 */
export function ShipmentForm({ action, orderId, idempotencyKey, lines }: { action: FormAction; orderId: string; idempotencyKey: string; lines: ShippableLine[] }) {
  const [state, formAction] = useActionState(action, null);
  const open = lines.filter((l) => l.remaining > 0);
  return (
    <form action={formAction} noValidate className="space-y-4" aria-label="Ship goods">
      <FormMessage result={state} />
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Table stack caption="Quantities to ship">
        <THead>
          <TR>
            <TH>Item</TH>
            <TH className="text-right">Ordered</TH>
            <TH className="text-right">Shipped</TH>
            <TH className="text-right">Remaining</TH>
            <TH>Ship now</TH>
          </TR>
        </THead>
        <TBody>
          {open.map((l) => (
            <TR key={l.lineNo} data-testid={`ship-line-${l.lineNo}`}>
              <TD>
                <span className="font-mono text-xs">{l.sku}</span> {l.name}
              </TD>
              <TD label="Ordered" className="text-right tabular-nums">
                {l.ordered} {l.unit}
              </TD>
              <TD label="Shipped" className="text-right tabular-nums">
                {l.shipped} {l.unit}
              </TD>
              <TD label="Remaining" className="text-right tabular-nums">
                {l.remaining} {l.unit}
              </TD>
              <TD>
                <input type="hidden" name="lineNo" value={l.lineNo} />
                <Input
                  label={`Quantity to ship of ${l.sku}`}
                  id={`ship-quantity-${l.lineNo}`}
                  name={`quantity_${l.lineNo}`}
                  inputMode="numeric"
                  autoComplete="off"
                  className="w-28"
                  defaultValue={submittedValue(state, `quantity_${l.lineNo}`, String(l.remaining))}
                  hint={`0 to ${l.remaining}`}
                  error={fieldErrors(state, `quantity_${l.lineNo}`)}
                />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Carrier"
          id="ship-carrier"
          name="carrier"
          required
          maxLength={100}
          autoComplete="off"
          defaultValue={submittedValue(state, "carrier")}
          error={fieldErrors(state, "carrier")}
        />
        <Input
          label="Tracking number"
          id="ship-tracking-number"
          name="trackingNumber"
          maxLength={200}
          autoComplete="off"
          defaultValue={submittedValue(state, "trackingNumber")}
          error={fieldErrors(state, "trackingNumber")}
        />
      </div>
      <SubmitButton pendingLabel="Shipping…">Ship these quantities</SubmitButton>
    </form>
  );
}
