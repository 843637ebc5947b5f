"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Input, Select, SubmitButton, Textarea } from "@/components/ui";
import { PaymentFormMessage } from "./payment-form-message";

type Props = {
  action: FormAction;
  /** The page's one-time key, so a resubmitted form cannot record the payment twice. */
  idempotencyKey: string;
  companies: { id: string; name: string }[];
  /** Today in the seller's calendar: the default payment date. */
  today: string;
};

/** Finance records money that reached the bank without a remittance; it counts as verified at once. */
export function ManualPaymentForm({ action, idempotencyKey, companies, today }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <PaymentFormMessage state={state} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Select
          id="manual-companyId"
          label="Company"
          name="companyId"
          required
          defaultValue={submittedValue(state, "companyId")}
          error={fieldErrors(state, "companyId")}
          wrapperClassName="sm:col-span-2"
        >
          <option value="">Choose a company</option>
          {companies.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </Select>
        <Input
          id="manual-amount"
          label="Amount"
          name="amount"
          inputMode="decimal"
          autoComplete="off"
          required
          hint="In the company's currency, e.g. 1250.00. Paid to its oldest open invoices first."
          defaultValue={submittedValue(state, "amount")}
          error={fieldErrors(state, "amount")}
        />
        <Input
          id="manual-paidOn"
          label="Date paid"
          name="paidOn"
          type="date"
          required
          max={today}
          defaultValue={submittedValue(state, "paidOn", today)}
          error={fieldErrors(state, "paidOn")}
        />
        <Input
          id="manual-reference"
          label="Payment reference"
          name="reference"
          autoComplete="off"
          maxLength={140}
          hint="As shown on the bank statement."
          defaultValue={submittedValue(state, "reference")}
          error={fieldErrors(state, "reference")}
        />
        <Textarea
          id="manual-note"
          label="Note"
          name="note"
          rows={2}
          maxLength={1000}
          hint="Optional."
          defaultValue={submittedValue(state, "note")}
          error={fieldErrors(state, "note")}
        />
      </div>
      {fieldErrors(state, "allocations") && (
        <p role="alert" className="text-sm text-red-700">
          {fieldErrors(state, "allocations")!.join(" ")}
        </p>
      )}
      <SubmitButton pendingLabel="Recording…">Record payment</SubmitButton>
    </form>
  );
}
