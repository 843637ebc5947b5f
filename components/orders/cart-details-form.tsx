"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, Textarea } from "@/components/ui";
import { formResult } from "./form-helpers";

/** The cart's purchase order number and notes, carried onto the quotation's order. */
export function CartDetailsForm({ action, poNumber, notes, requiresPoNumber }: { action: FormAction; poNumber: string; notes: string; requiresPoNumber: boolean }) {
  const [state, formAction] = useActionState(action, null);
  return (
    // Keyed by the saved values: the form's reset after a save then shows what was stored.
    <form key={`${poNumber}\u0000${notes}`} action={formAction} noValidate className="space-y-4">
      <FormMessage result={formResult(state)} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          label="PO number"
          name="poNumber"
          autoComplete="off"
          defaultValue={submittedValue(state, "poNumber", poNumber)}
          hint={requiresPoNumber ? "Your company requires a PO number when you accept a quotation." : "Optional; printed on the quotation and the invoice."}
          error={fieldErrors(state, "poNumber")}
        />
        <Textarea
          label="Notes"
          name="notes"
          rows={3}
          defaultValue={submittedValue(state, "notes", notes)}
          error={fieldErrors(state, "notes")}
          wrapperClassName="sm:col-span-2"
        />
      </div>
      <SubmitButton variant="secondary" pendingLabel="Saving…">
        Save details
      </SubmitButton>
    </form>
  );
}
