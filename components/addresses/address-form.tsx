"use client";

import { useActionState } from "react";
import { fieldErrors, submittedChecked, submittedValue, type FormAction } from "@/components/forms/form-state";
import { Checkbox, FormMessage, Input, Select, SubmitButton } from "@/components/ui";
import type { AddressSnapshot } from "@/db/schema";

/** What the form starts from: an address's fields (no country yet: ""), and whether it is the default ship-to. */
export type AddressDefaults = Omit<AddressSnapshot, "country"> & { country: string; isDefault: boolean };

type Props = {
  action: FormAction;
  companyId: string;
  kind: "billing" | "shipping";
  /** Editing an existing address; absent: a new one (then the form carries an idempotency key). */
  addressId?: string;
  idempotencyKey?: string;
  defaults: AddressDefaults;
  countries: { code: string; name: string }[];
  /** Makes field ids unique when several address forms share a page. */
  idPrefix: string;
  submitLabel: string;
};

/** One address of a company's address book: billing (no label, no default) or a ship-to. */
export function AddressForm({ action, companyId, kind, addressId, idempotencyKey, defaults, countries, idPrefix, submitLabel }: Props) {
  const [state, formAction] = useActionState(action, null);
  const v = (name: keyof AddressDefaults) => submittedValue(state, name, String(defaults[name] ?? ""));
  const field = (name: string) => ({ id: `${idPrefix}-${name}`, name, error: fieldErrors(state, name) });
  return (
    <form action={formAction} noValidate className="space-y-4" data-testid={`${idPrefix}-form`}>
      <FormMessage result={state} />
      <input type="hidden" name="companyId" value={companyId} />
      {addressId ? <input type="hidden" name="addressId" value={addressId} /> : <input type="hidden" name="kind" value={kind} />}
      {idempotencyKey && <input type="hidden" name="idempotencyKey" value={idempotencyKey} />}
      <div className="grid gap-4 sm:grid-cols-2">
        {kind === "shipping" && (
          <Input label="Label" {...field("label")} required maxLength={100} defaultValue={v("label")} hint="What buyers pick it by, e.g. “Hamburg warehouse”." wrapperClassName="sm:col-span-2" />
        )}
        <Input label="Name" {...field("name")} required maxLength={200} autoComplete="organization" defaultValue={v("name")} hint="Company or department the goods or invoices are addressed to." />
        <Input label="Attention" {...field("attention")} maxLength={200} defaultValue={v("attention")} hint="Optional: a person or goods-in desk." />
        <Input label="Street and number" {...field("line1")} required maxLength={200} autoComplete="address-line1" defaultValue={v("line1")} />
        <Input label="Address line 2" {...field("line2")} maxLength={200} autoComplete="address-line2" defaultValue={v("line2")} />
        <Input label="Postal code" {...field("postalCode")} maxLength={20} autoComplete="postal-code" defaultValue={v("postalCode")} />
        <Input label="City" {...field("city")} required maxLength={100} autoComplete="address-level2" defaultValue={v("city")} />
        <Input label="Region" {...field("region")} maxLength={100} autoComplete="address-level1" defaultValue={v("region")} hint="State or province, where the post needs one." />
        {/* Keyed by its value: React's form reset after an action keeps a select's first defaultValue otherwise. */}
        <Select key={`country-${v("country")}`} label="Country" {...field("country")} required autoComplete="country" defaultValue={v("country")}>
          <option value="">Choose a country</option>
          {countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </Select>
      </div>
      {kind === "shipping" && (
        <Checkbox
          label="Default ship-to address"
          {...field("isDefault")}
          defaultChecked={submittedChecked(state, "isDefault", defaults.isDefault)}
          hint="Preselected in the cart; there is always exactly one default."
        />
      )}
      <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
    </form>
  );
}
