"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Input, SubmitButton, Textarea } from "@/components/ui";
import { PaymentFormMessage } from "./payment-form-message";

export type OpenInvoiceOption = {
  id: string;
  number: string;
  dueDate: string;
  /** What is still to pay after verified and pending payments, formatted. */
  outstanding: string;
};

type Props = {
  action: FormAction;
  /** The page's one-time key, so a resubmitted form cannot record the payment twice. */
  idempotencyKey: string;
  /** The company's currency: only used to word the confirmation. */
  currency: string;
  /** Today in the seller's calendar: the latest allowed payment date and the default. */
  today: string;
  openInvoices: OpenInvoiceOption[];
  /** "Pay" from an order page: the amount, reference and allocation of that invoice filled in. */
  prefill?: { invoiceId: string; amount: string; reference: string };
};

/** A customer tells us about a bank transfer; it stays "awaiting verification" until finance matches it. */
export function RemittanceForm({ action, idempotencyKey, currency, today, openInvoices, prefill }: Props) {
  const [state, formAction] = useActionState(action, null);
  const allocationErrors = fieldErrors(state, "allocations");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <PaymentFormMessage state={state} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="currency" value={currency} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="Amount"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          required
          hint={`In ${currency}, e.g. 1250.00.`}
          defaultValue={submittedValue(state, "amount", prefill?.amount)}
          error={fieldErrors(state, "amount")}
        />
        <Input
          label="Date paid"
          name="paidOn"
          type="date"
          required
          max={today}
          defaultValue={submittedValue(state, "paidOn", today)}
          error={fieldErrors(state, "paidOn")}
        />
        <Input
          label="Payment reference"
          name="reference"
          autoComplete="off"
          maxLength={140}
          hint="As quoted on your bank transfer, e.g. the invoice's RF reference."
          defaultValue={submittedValue(state, "reference", prefill?.reference)}
          error={fieldErrors(state, "reference")}
        />
        <Textarea
          label="Note"
          name="note"
          rows={2}
          maxLength={1000}
          hint="Optional."
          defaultValue={submittedValue(state, "note")}
          error={fieldErrors(state, "note")}
        />
      </div>
      {openInvoices.length > 0 && (
        <fieldset className="space-y-3" aria-describedby="allocations-hint allocations-error">
          <legend className="text-sm font-medium text-slate-800">Split over invoices (optional)</legend>
          <p id="allocations-hint" className="text-sm text-slate-600">
            Leave all empty to pay the oldest invoices first. If you fill any in, they must add up to the amount.
          </p>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
            {openInvoices.map((inv) => {
              const name = `allocation_${inv.id}`;
              return (
                <Input
                  key={inv.id}
                  id={`field-allocation-${inv.id}`}
                  label={`Amount for ${inv.number}`}
                  name={name}
                  inputMode="decimal"
                  autoComplete="off"
                  hint={`${inv.outstanding} outstanding, due ${inv.dueDate}.`}
                  defaultValue={submittedValue(state, name, prefill?.invoiceId === inv.id ? prefill.amount : "")}
                />
              );
            })}
          </div>
          <p id="allocations-error" aria-live="polite" className="text-sm text-red-700 empty:hidden">
            {allocationErrors?.map((e, i) => (
              <span key={i} className="block">
                {e}
              </span>
            ))}
          </p>
        </fieldset>
      )}
      {openInvoices.length === 0 && allocationErrors && (
        <p role="alert" className="text-sm text-red-700">
          {allocationErrors.join(" ")}
        </p>
      )}
      <SubmitButton pendingLabel="Recording…">Record payment</SubmitButton>
    </form>
  );
}
