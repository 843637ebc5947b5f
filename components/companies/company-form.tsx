"use client";

import { useActionState } from "react";
import { fieldErrors, submittedChecked, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Checkbox, FormMessage, Input, SubmitButton } from "@/components/ui";

/** Field values as text, the way the form shows them (credit limit as a decimal such as "25000.00"). */
export type CompanyFormValues = {
  name: string;
  taxId: string;
  paymentTermsDays: string;
  creditLimit: string;
  currency: string;
  timeZone: string;
  active: boolean;
  /** Optional so existing callers keep working: 14 days and no PO requirement when left out. */
  quoteValidityDays?: string;
  requiresPoNumber?: boolean;
};

type Props = {
  action: FormAction;
  defaults: CompanyFormValues;
  /** Edit mode when given. */
  companyId?: string;
  /** Create mode: the page's one-time key, so a resubmitted form cannot create the company twice. */
  idempotencyKey?: string;
};

/** Staff form to create or edit a customer company. */
export function CompanyForm({ action, defaults, companyId, idempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  const value = (name: keyof CompanyFormValues) => submittedValue(state, name, String(defaults[name] ?? ""));
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      {companyId ? (
        <input type="hidden" name="id" value={companyId} />
      ) : (
        <input type="hidden" name="idempotencyKey" value={idempotencyKey ?? ""} />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input label="Name" name="name" required autoComplete="off" defaultValue={value("name")} error={fieldErrors(state, "name")} wrapperClassName="sm:col-span-2" />
        <Input label="Tax ID" name="taxId" autoComplete="off" defaultValue={value("taxId")} hint="VAT or other tax number." error={fieldErrors(state, "taxId")} />
        <Input
          label="Payment terms (days)"
          name="paymentTermsDays"
          type="number"
          inputMode="numeric"
          min={0}
          max={365}
          step={1}
          required
          defaultValue={value("paymentTermsDays")}
          error={fieldErrors(state, "paymentTermsDays")}
        />
        <Input
          label="Credit limit"
          name="creditLimit"
          inputMode="decimal"
          autoComplete="off"
          defaultValue={value("creditLimit")}
          hint="In the company's currency, e.g. 25000.00. 0 means no credit."
          error={fieldErrors(state, "creditLimit")}
        />
        <Input
          label="Currency"
          name="currency"
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={3}
          defaultValue={value("currency")}
          hint="Three-letter ISO 4217 code, e.g. EUR."
          error={fieldErrors(state, "currency")}
        />
        <Input
          label="Time zone"
          name="timeZone"
          autoComplete="off"
          defaultValue={value("timeZone")}
          hint="IANA name, e.g. Europe/Berlin."
          error={fieldErrors(state, "timeZone")}
        />
        <Input
          label="Quotation validity (days)"
          name="quoteValidityDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          step={1}
          required
          defaultValue={submittedValue(state, "quoteValidityDays", defaults.quoteValidityDays ?? "14")}
          hint="Quotations stay valid until the end of this many days, in the company's time zone."
          error={fieldErrors(state, "quoteValidityDays")}
        />
      </div>
      <Checkbox
        label="Require a PO number to accept quotations"
        name="requiresPoNumber"
        defaultChecked={submittedChecked(state, "requiresPoNumber", defaults.requiresPoNumber ?? false)}
        hint="Buyers must then enter their purchase order number when they accept."
        error={fieldErrors(state, "requiresPoNumber")}
      />
      {/* An unchecked box sends nothing, and the create schema defaults a missing "active" to true:
          the hidden "false" goes first so the box, when checked, wins (the last value of a name is used). */}
      <input type="hidden" name="active" value="false" />
      <Checkbox
        label="Active"
        name="active"
        defaultChecked={submittedChecked(state, "active", defaults.active)}
        hint="Users of an inactive company cannot sign in."
        error={fieldErrors(state, "active")}
      />
      <SubmitButton pendingLabel={companyId ? "Saving…" : "Creating…"}>{companyId ? "Save changes" : "Create company"}</SubmitButton>
    </form>
  );
}
