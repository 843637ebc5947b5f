"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton, Textarea } from "@/components/ui";

/** Sets one product's contract price (and its volume tiers) on a list; saving an existing SKU replaces its price. */
export function PriceEntryForm({ action, priceListId, currency }: { action: FormAction; priceListId: string; currency: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <input type="hidden" name="priceListId" value={priceListId} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Input
          id="entry-sku"
          label="SKU"
          name="sku"
          required
          autoComplete="off"
          maxLength={64}
          defaultValue={submittedValue(state, "sku")}
          error={fieldErrors(state, "sku")}
        />
        <Input
          id="entry-unit-price"
          label="Contract price"
          name="unitPrice"
          required
          inputMode="decimal"
          autoComplete="off"
          defaultValue={submittedValue(state, "unitPrice")}
          hint={`Net unit price in ${currency}, e.g. 9.80.`}
          error={fieldErrors(state, "unitPrice")}
        />
        <Textarea
          id="entry-tiers"
          label="Volume tiers"
          name="tiers"
          rows={3}
          defaultValue={submittedValue(state, "tiers")}
          hint="Optional. One per line: quantity: unit price, e.g. 10: 9.50"
          error={fieldErrors(state, "tiers")}
          wrapperClassName="sm:col-span-2"
          className="font-mono"
        />
      </div>
      <SubmitButton pendingLabel="Saving…">Save price</SubmitButton>
    </form>
  );
}
