"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Select, SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  priceListId: string;
  /** Companies not yet assigned to this list. */
  companies: { id: string; name: string }[];
};

/** Assigns the list to a company: its buyers then get the list's contract prices while it is valid. */
export function AssignCompanyForm({ action, priceListId, companies }: Props) {
  const [state, formAction] = useActionState(action, null);
  const companyId = submittedValue(state, "companyId");
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="priceListId" value={priceListId} />
      <input type="hidden" name="assigned" value="true" />
      {/* Keyed by value: React applies a select's defaultValue only on mount. */}
      <Select
        key={`company-${companyId}`}
        label="Company"
        name="companyId"
        required
        defaultValue={companyId}
        error={fieldErrors(state, "companyId")}
        wrapperClassName="sm:max-w-sm"
      >
        <option value="">Choose a company</option>
        {companies.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </Select>
      <SubmitButton variant="secondary" pendingLabel="Assigning…">
        Assign to company
      </SubmitButton>
    </form>
  );
}
