"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

/** Field values as the form shows them; dates as YYYY-MM-DD, "" for an open end. */
export type PriceListFormValues = { name: string; currency: string; validFrom: string; validTo: string };

type Props = {
  action: FormAction;
  defaults: PriceListFormValues;
  /** Edit mode when given. */
  priceListId?: string;
  /** Create mode: the page's one-time key, so a resubmitted form cannot create the list twice. */
  idempotencyKey?: string;
};

/** Staff form to create a price list or edit its name, currency and validity. */
export function PriceListForm({ action, defaults, priceListId, idempotencyKey }: Props) {
  const [state, formAction] = useActionState(action, null);
  const value = (name: keyof PriceListFormValues) => submittedValue(state, name, defaults[name]);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      {priceListId ? (
        <input type="hidden" name="id" value={priceListId} />
      ) : (
        <input type="hidden" name="idempotencyKey" value={idempotencyKey ?? ""} />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <Input label="Name" name="name" required autoComplete="off" maxLength={200} defaultValue={value("name")} error={fieldErrors(state, "name")} />
        <Input
          label="Currency"
          name="currency"
          autoComplete="off"
          autoCapitalize="characters"
          maxLength={3}
          defaultValue={value("currency")}
          hint="Three-letter ISO 4217 code, e.g. EUR. Only companies invoiced in it can be assigned."
          error={fieldErrors(state, "currency")}
        />
        <Input label="Valid from" name="validFrom" type="date" required defaultValue={value("validFrom")} error={fieldErrors(state, "validFrom")} />
        <Input
          label="Valid to"
          name="validTo"
          type="date"
          defaultValue={value("validTo")}
          hint="Optional; leave empty for no end date."
          error={fieldErrors(state, "validTo")}
        />
      </div>
      <SubmitButton pendingLabel={priceListId ? "Saving…" : "Creating…"}>{priceListId ? "Save changes" : "Create price list"}</SubmitButton>
    </form>
  );
}
