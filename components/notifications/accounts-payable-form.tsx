"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

/** A company's accounts-payable address: receives invoices and credit notes besides the buyer. */
export function AccountsPayableForm({ action, companyId, value }: { action: FormAction; companyId: string; value: string | null }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4 sm:max-w-md">
      <FormMessage result={state} />
      <input type="hidden" name="companyId" value={companyId} />
      <Input
        label="Accounts-payable email"
        name="accountsPayableEmail"
        type="email"
        autoComplete="off"
        defaultValue={submittedValue(state, "accountsPayableEmail", value ?? "")}
        hint="Invoices and credit notes are also mailed here, with the PDF attached. Leave empty for none."
        error={fieldErrors(state, "accountsPayableEmail")}
      />
      <SubmitButton pendingLabel="Saving…">Save accounts-payable email</SubmitButton>
    </form>
  );
}
