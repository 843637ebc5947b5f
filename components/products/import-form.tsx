"use client";

import { useActionState } from "react";
import { fieldErrors, type ActionState, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  /** The page's one-time key; a successful import revalidates the page, which renders a fresh one. */
  idempotencyKey: string;
  maxBytes: number;
};

/** Row problems of a failed import: the service lists them under `csv`. */
function rowProblems(state: ActionState): string[] {
  return state?.ok === false ? (state.fieldErrors?.csv ?? []) : [];
}

/** Uploads a product CSV; shows the counts on success, or every row problem (nothing is written then). */
export function ImportForm({ action, idempotencyKey, maxBytes }: Props) {
  const [state, formAction] = useActionState(action, null);
  const problems = rowProblems(state);
  return (
    <form action={formAction} noValidate className="space-y-4">
      {state?.ok ? (
        <div data-testid="import-result">
          <FormMessage result={state} />
        </div>
      ) : (
        <FormMessage result={state} />
      )}
      {problems.length > 0 && (
        <div className="rounded-md border border-red-300 bg-white p-4">
          <h3 className="text-sm font-semibold text-red-800">Problems in the file</h3>
          <ul data-testid="import-errors" className="mt-2 max-h-96 list-disc space-y-1 overflow-y-auto pl-5 text-sm text-red-800">
            {problems.map((p, i) => (
              <li key={i}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <Input
        label="CSV file"
        name="file"
        type="file"
        accept=".csv,text/csv"
        required
        hint={`UTF-8, comma-separated, at most ${Math.floor(maxBytes / (1024 * 1024))} MB.`}
        error={fieldErrors(state, "file")}
        wrapperClassName="sm:max-w-md"
      />
      <SubmitButton pendingLabel="Importing…">Import products</SubmitButton>
    </form>
  );
}
