"use client";

import { useActionState } from "react";
import type { FormAction } from "@/components/forms/form-state";
import { Checkbox, FormMessage, SubmitButton } from "@/components/ui";
import { SECURITY_KINDS } from "@/lib/notifications/kinds";

export type PreferenceItem = { kind: string; label: string; email: boolean; mandatory: boolean };

/** Why a mandatory kind is always mailed. */
const alwaysSent = (kind: string) =>
  (SECURITY_KINDS as readonly string[]).includes(kind)
    ? "Always sent: a security notice only helps if it reaches you."
    : "Always sent: an approval nobody hears of holds the order up.";

/** Email on/off per notification kind; mandatory kinds are shown ticked and cannot be changed. */
export function EmailPreferencesForm({ action, items }: { action: FormAction; items: PreferenceItem[] }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} className="space-y-3">
      <FormMessage result={state} />
      <fieldset className="space-y-2">
        <legend className="mb-2 text-sm text-slate-700">Send me an email when:</legend>
        {items.map((item) => (
          <Checkbox
            key={item.kind}
            name={`email.${item.kind}`}
            label={item.label}
            defaultChecked={item.email || item.mandatory}
            disabled={item.mandatory}
            hint={item.mandatory ? alwaysSent(item.kind) : undefined}
          />
        ))}
      </fieldset>
      <SubmitButton pendingLabel="Saving…">Save email preferences</SubmitButton>
    </form>
  );
}
