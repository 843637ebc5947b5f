"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { formResult } from "@/components/orders/form-helpers";
import { FormMessage, Input, SubmitButton, Table, TBody, TD, TH, THead, TR, Textarea } from "@/components/ui";

export type ReturnableLine = { lineNo: number; sku: string; name: string; unit: string; shipped: number; returned: number; returnable: number };

/**
 * The buyer asks to return shipped goods: a quantity per line that shipped (0 returns none of it)
 * and a reason. Idempotent: the page renders a fresh key each time.
 */
export function ReturnRequestForm({ action, orderId, idempotencyKey, lines }: { action: FormAction; orderId: string; idempotencyKey: string; lines: ReturnableLine[] }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4" aria-label="Request a return">
      <FormMessage result={formResult(state)} />
      <input type="hidden" name="orderId" value={orderId} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Table stack caption="Quantities to return">
        <THead>
          <TR>
            <TH>Item</TH>
            <TH className="text-right">Shipped</TH>
            <TH className="text-right">Being returned</TH>
            <TH>Return</TH>
          </TR>
        </THead>
        <TBody>
          {lines.map((l) => (
            <TR key={l.lineNo} data-testid={`return-line-${l.lineNo}`}>
              <TD>
                <span className="font-mono text-xs">{l.sku}</span> {l.name}
              </TD>
              <TD label="Shipped" className="text-right tabular-nums">
                {l.shipped} {l.unit}
              </TD>
              <TD label="Being returned" className="text-right tabular-nums">
                {l.returned} {l.unit}
              </TD>
              <TD>
                <input type="hidden" name="lineNo" value={l.lineNo} />
                <Input
                  label={`Quantity to return of ${l.sku}`}
                  id={`return-quantity-${l.lineNo}`}
                  name={`return_${l.lineNo}`}
                  inputMode="numeric"
                  autoComplete="off"
                  className="w-28"
                  defaultValue={submittedValue(state, `return_${l.lineNo}`, "0")}
                  hint={`0 to ${l.returnable}`}
                  error={fieldErrors(state, `return_${l.lineNo}`)}
                />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
      <Textarea id="return-reason" label="Reason for the return" name="reason" rows={2} required maxLength={1000} defaultValue={submittedValue(state, "reason")} error={fieldErrors(state, "reason")} />
      <SubmitButton pendingLabel="Requesting…">Request a return</SubmitButton>
    </form>
  );
}

/** One staff step on a return (approve, receive; reject with a reason). */
export function ReturnStepForm({
  action,
  returnId,
  number,
  submitLabel,
  pendingLabel,
  withReason = false,
  variant = "secondary",
  idempotencyKey,
}: {
  action: FormAction;
  returnId: string;
  /** For an idempotent step (receiving): a fresh key per render, so a resubmitted form cannot receive twice. */
  idempotencyKey?: string;
  number: string;
  submitLabel: string;
  pendingLabel: string;
  withReason?: boolean;
  variant?: "primary" | "secondary" | "danger";
}) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-2" aria-label={`${submitLabel} ${number}`}>
      <FormMessage result={formResult(state)} />
      <input type="hidden" name="returnId" value={returnId} />
      {idempotencyKey && <input type="hidden" name="idempotencyKey" value={idempotencyKey} />}
      {withReason && (
        <Textarea
          id={`return-reject-reason-${returnId}`}
          label={`Why ${number} is rejected`}
          name="reason"
          rows={2}
          required
          maxLength={1000}
          defaultValue={submittedValue(state, "reason")}
          error={fieldErrors(state, "reason")}
        />
      )}
      <SubmitButton variant={variant} pendingLabel={pendingLabel}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
