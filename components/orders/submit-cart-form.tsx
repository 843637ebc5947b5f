"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Select, SubmitButton } from "@/components/ui";

export type ShipToOption = { id: string; label: string; lines: string[]; isDefault: boolean };

/**
 * Freezes the cart into a quotation, shipped to the chosen ship-to address (the company's default
 * preselected); the action redirects to the new order on success.
 */
export function SubmitCartForm({
  action,
  idempotencyKey,
  blockedReason,
  shipTo = [],
}: {
  action: FormAction;
  idempotencyKey: string;
  blockedReason: string | null;
  shipTo?: ShipToOption[];
}) {
  const [state, formAction] = useActionState(action, null);
  const preselected = shipTo.find((a) => a.isDefault)?.id ?? shipTo[0]?.id ?? "";
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage result={state?.ok === false ? { ok: false, error: state.error } : null} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      {shipTo.length > 0 ? (
        <Select
          key={`ship-to-${submittedValue(state, "shipToAddressId", preselected)}`}
          label="Ship to"
          name="shipToAddressId"
          id="field-shipToAddressId"
          defaultValue={submittedValue(state, "shipToAddressId", preselected)}
          error={fieldErrors(state, "shipToAddressId")}
          hint="The order keeps a copy of this address; later changes to your address book do not alter it."
          wrapperClassName="sm:max-w-md"
        >
          {shipTo.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}: {a.lines.slice(1).join(", ")}
              {a.isDefault ? " (default)" : ""}
            </option>
          ))}
        </Select>
      ) : (
        <p className="text-sm text-slate-600" data-testid="no-ship-to">
          Your company has no ship-to address yet; your customer admin adds them on the account page.
        </p>
      )}
      <SubmitButton pendingLabel="Requesting…" disabled={blockedReason !== null} aria-describedby={blockedReason ? "submit-cart-hint" : undefined}>
        Request quotation
      </SubmitButton>
      {blockedReason ? (
        <p id="submit-cart-hint" data-testid="submit-cart-hint" className="text-sm text-slate-700">
          {blockedReason}
        </p>
      ) : (
        <p className="text-sm text-slate-600">Prices and taxes are fixed in a quotation you can then accept or decline.</p>
      )}
    </form>
  );
}
