"use client";

import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, Select, SubmitButton } from "@/components/ui";

type Props = {
  action: FormAction;
  /** Live keys: id and how the administrator recognises them. */
  keys: { id: string; label: string }[];
  defaults: { perMinute: number; burst: number };
};

/** An administrator sets one key's rate limit, or clears it back to the defaults. */
export function KeyLimitsForm({ action, keys, defaults }: Props) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-4">
      <FormMessage result={state} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Select label="Key" name="id" required defaultValue={submittedValue(state, "id", keys[0]?.id ?? "")} error={fieldErrors(state, "id")}>
          {keys.map((k) => (
            <option key={k.id} value={k.id}>
              {k.label}
            </option>
          ))}
        </Select>
        <Input label="Key's requests per minute" name="rateLimitPerMinute" inputMode="numeric" hint={`Empty: the default, ${defaults.perMinute}.`} defaultValue={submittedValue(state, "rateLimitPerMinute")} error={fieldErrors(state, "rateLimitPerMinute")} />
        <Input label="Key's burst" name="rateLimitBurst" inputMode="numeric" hint={`Empty: the default, ${defaults.burst}.`} defaultValue={submittedValue(state, "rateLimitBurst")} error={fieldErrors(state, "rateLimitBurst")} />
      </div>
      <SubmitButton pendingLabel="Saving…">Save limits</SubmitButton>
    </form>
  );
}
