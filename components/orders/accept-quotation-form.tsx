"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";
import { formResult } from "./form-helpers";
import { RequoteForm } from "./requote-form";

type Props = {
  action: FormAction;
  requoteAction: FormAction;
  orderId: string;
  /** The version on screen: a revision issued meanwhile makes the accept fail instead of accepting unseen terms. */
  quotationId: string;
  poNumber: string;
  requiresPoNumber: boolean;
  /** One per page render; a successful accept re-renders the page with the next. */
  idempotencyKey: string;
  requoteIdempotencyKey: string;
};

/** Accepts the latest quotation version (reserving stock); an expired one offers a new quotation instead. */
export function AcceptQuotationForm({ action, requoteAction, orderId, quotationId, poNumber, requiresPoNumber, idempotencyKey, requoteIdempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  const expired = state?.ok === false && state.code === "quotation_expired";
  return (
    <div className="space-y-3">
      <form action={formAction} noValidate className="space-y-3">
        <FormMessage result={formResult(state)} />
        <input type="hidden" name="orderId" value={orderId} />
        <input type="hidden" name="quotationId" value={quotationId} />
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <Input
          id="accept-poNumber"
          label="PO number"
          name="poNumber"
          autoComplete="off"
          required={requiresPoNumber}
          defaultValue={submittedValue(state, "poNumber", poNumber)}
          hint={requiresPoNumber ? "Required: your company asks for a purchase order number on every accepted quotation." : "Optional; printed on the invoice."}
          error={fieldErrors(state, "poNumber")}
          wrapperClassName="sm:max-w-sm"
        />
        <SubmitButton pendingLabel="Accepting…">Accept quotation</SubmitButton>
      </form>
      {expired && <RequoteForm action={requoteAction} orderId={orderId} idempotencyKey={requoteIdempotencyKey} />}
    </div>
  );
}
