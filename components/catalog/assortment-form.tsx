"use client";

import { useActionState } from "react";
import { fieldErrors, submittedChecked, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Checkbox, FormMessage, SubmitButton, Textarea } from "@/components/ui";

type Props = {
  action: FormAction;
  companyId: string;
  /** Every product category, to choose from. */
  categories: string[];
  selected: { categories: string[]; skus: string[] };
};

/**
 * A company's assortment: the categories and single products it may see. Nothing chosen is the
 * whole catalogue. Each category is its own field (`category:<name>`), so a refused save shows the
 * boxes as they were ticked.
 */
export function AssortmentForm({ action, companyId, categories, selected }: Props) {
  const [state, formAction] = useActionState(action, null);
  const categoryErrors = fieldErrors(state, "categories");
  return (
    <form action={formAction} className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="companyId" value={companyId} />
      <fieldset aria-describedby={categoryErrors ? "assortment-categories-error" : undefined}>
        <legend className="text-sm font-medium text-slate-800">Categories</legend>
        <div className="mt-2 grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
          {categories.map((c) => (
            <Checkbox key={c} label={c} name={`category:${c}`} id={`assortment-category-${c}`} defaultChecked={submittedChecked(state, `category:${c}`, selected.categories.includes(c))} />
          ))}
        </div>
        {categoryErrors && (
          <p id="assortment-categories-error" className="mt-1 text-sm text-red-700">
            {categoryErrors.join(" ")}
          </p>
        )}
      </fieldset>
      <Textarea
        label="Single products (SKUs)"
        name="skus"
        rows={4}
        defaultValue={submittedValue(state, "skus", selected.skus.join("\n"))}
        hint="One SKU per line, in addition to the categories ticked above."
        error={fieldErrors(state, "skus")}
        wrapperClassName="sm:max-w-md"
      />
      <SubmitButton pendingLabel="Saving…">Save assortment</SubmitButton>
    </form>
  );
}
