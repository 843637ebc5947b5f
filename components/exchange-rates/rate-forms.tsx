"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

type RateProps = { action: FormAction; idempotencyKey: string; base: string; today: string };

/** One rate typed by staff: 1 base = rate quote on a date (source "manual"). */
export function ManualRateForm({ action, idempotencyKey, base, today }: RateProps) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="base" value={base} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Input label="Currency" name="quote" required maxLength={3} autoCapitalize="characters" defaultValue={submittedValue(state, "quote")} hint="ISO 4217 code, e.g. USD." error={fieldErrors(state, "quote")} />
        <Input label={`Rate (1 ${base} =)`} name="rate" required inputMode="decimal" defaultValue={submittedValue(state, "rate")} hint="e.g. 1.0832" error={fieldErrors(state, "rate")} />
        <Input label="Date" name="rateDate" type="date" required max={today} defaultValue={submittedValue(state, "rateDate", today)} error={fieldErrors(state, "rateDate")} />
      </div>
      <SubmitButton pendingLabel="Saving…">Record rate</SubmitButton>
    </form>
  );
}

type ImportProps = { action: FormAction; idempotencyKey: string };

/** Uploads an ECB reference rates file; all problems are listed and nothing is stored when there are any. */
export function RatesImportForm({ action, idempotencyKey }: ImportProps) {
  const [state, formAction] = useActionState(action, null);
  const problems = state?.ok === false ? (state.fieldErrors?.file ?? []) : [];
  return (
    <form action={formAction} noValidate className="space-y-4">
      <div data-testid={state?.ok ? "rates-import-result" : undefined}>
        <FormMessage result={state} />
      </div>
      {problems.length > 1 && (
        <ul data-testid="rates-import-errors" className="max-h-64 list-disc space-y-1 overflow-y-auto rounded-md border border-red-300 bg-white p-4 pl-8 text-sm text-red-800">
          {problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Input
        label="ECB rates file"
        name="file"
        type="file"
        accept=".xml,.csv,text/xml,application/xml,text/csv"
        required
        hint="eurofxref-daily.xml, eurofxref-hist.xml, eurofxref.csv or eurofxref-hist.csv as published by the ECB; at most 5 MB."
        error={problems.length === 1 ? problems : undefined}
        wrapperClassName="sm:max-w-md"
      />
      <SubmitButton pendingLabel="Importing…">Import rates</SubmitButton>
    </form>
  );
}
