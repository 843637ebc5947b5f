"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, SubmitButton, Textarea } from "@/components/ui";

/** Paste "SKU, quantity" lines (e.g. from a spreadsheet); any bad line adds nothing and every bad line is listed. */
export function QuickOrderForm({ action, idempotencyKey }: { action: FormAction; idempotencyKey: string }) {
  const [state, formAction] = useActionState(action, null);
  const lineErrors = fieldErrors(state, "lines") ?? [];
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state?.ok === false ? { ok: false, error: state.error } : state?.ok ? { ok: true, message: state.message } : null} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Textarea
        id="quick-order-lines"
        label="Paste lines: SKU, quantity"
        name="lines"
        rows={5}
        spellCheck={false}
        className="font-mono"
        placeholder={"ABC-100, 20\nXYZ-7, 5"}
        hint="One product per line; comma, semicolon, tab or space between SKU and quantity."
        defaultValue={submittedValue(state, "lines")}
        aria-describedby={lineErrors.length > 0 ? "quick-order-errors" : undefined}
      />
      {lineErrors.length > 0 && (
        <ul id="quick-order-errors" data-testid="quick-order-errors" className="list-disc space-y-1 pl-5 text-sm text-red-700">
          {lineErrors.map((e, i) => (
            <li key={i}>{e}</li>
          ))}
        </ul>
      )}
      <SubmitButton variant="secondary" pendingLabel="Adding…">
        Add lines
      </SubmitButton>
    </form>
  );
}
