import { randomUUID } from "node:crypto";
import type { FormAction } from "@/components/forms/form-state";
import { Badge, EmptyState } from "@/components/ui";
import type { CompanyAddress } from "@/db/schema";
import { addressLines, countryOptions } from "@/lib/domain/addresses";
import { AddressForm, type AddressDefaults } from "./address-form";
import { DeleteAddressForm } from "./delete-address-form";

type Props = {
  companyId: string;
  /** Used as the default addressee of a new address. */
  companyName: string;
  addresses: CompanyAddress[];
  /** Staff edit the billing address; customer admins and staff the ship-to addresses; others only read. */
  canEditBilling: boolean;
  canEditShipping: boolean;
  actions: { create: FormAction; update: FormAction; remove: FormAction };
};

const blank = (name: string): AddressDefaults => ({ label: "", name, attention: "", line1: "", line2: "", postalCode: "", city: "", region: "", country: "", isDefault: false });
const defaultsOf = (a: CompanyAddress): AddressDefaults => ({ ...a, country: a.country ?? "" });

function Lines({ address }: { address: CompanyAddress }) {
  return (
    <address className="text-sm whitespace-pre-line text-slate-800 not-italic" data-testid={`address-lines-${address.id}`}>
      {addressLines(address).join("\n")}
    </address>
  );
}

/** A company's billing address and ship-to addresses, each with its edit form where the viewer may edit. */
export function AddressBook({ companyId, companyName, addresses, canEditBilling, canEditShipping, actions }: Props) {
  const countries = canEditBilling || canEditShipping ? countryOptions() : [];
  const billing = addresses.find((a) => a.kind === "billing") ?? null;
  const shipTo = addresses.filter((a) => a.kind === "shipping");
  return (
    <div className="space-y-6">
      <section aria-labelledby={`billing-${companyId}`} className="space-y-2">
        <h3 id={`billing-${companyId}`} className="font-semibold text-slate-900">
          Billing address
        </h3>
        {billing ? <Lines address={billing} /> : <p className="text-sm text-slate-600">No billing address yet.</p>}
        {billing && !billing.country && <p className="text-sm text-amber-800">The country is missing (taken over from the old free-text address): complete it.</p>}
        {canEditBilling && (
          <details className="rounded-md border border-slate-200 p-3" data-testid="billing-address-editor">
            <summary className="cursor-pointer text-sm font-medium text-brand-700">{billing ? "Edit billing address" : "Add billing address"}</summary>
            <div className="mt-4">
              <AddressForm
                action={billing ? actions.update : actions.create}
                companyId={companyId}
                kind="billing"
                addressId={billing?.id}
                idempotencyKey={billing ? undefined : randomUUID()}
                defaults={billing ? defaultsOf(billing) : blank(companyName)}
                countries={countries}
                idPrefix="billing"
                submitLabel="Save billing address"
              />
            </div>
          </details>
        )}
      </section>
      <section aria-labelledby={`ship-to-${companyId}`} className="space-y-3">
        <h3 id={`ship-to-${companyId}`} className="font-semibold text-slate-900">
          Ship-to addresses
        </h3>
        {shipTo.length === 0 ? (
          <EmptyState title="No ship-to addresses" description="Orders then name no delivery address; add the places goods go to." />
        ) : (
          <ul className="grid gap-4 sm:grid-cols-2">
            {shipTo.map((a) => (
              <li key={a.id} className="space-y-2 rounded-md border border-slate-200 p-3" data-testid={`ship-to-${a.label}`}>
                <p className="flex items-center gap-2 font-medium text-slate-900">
                  {a.label}
                  {a.isDefault && <Badge tone="info">Default</Badge>}
                </p>
                <Lines address={a} />
                {canEditShipping && (
                  <>
                    <details className="rounded-md border border-slate-200 p-3">
                      <summary className="cursor-pointer text-sm font-medium text-brand-700">Edit {a.label}</summary>
                      <div className="mt-4">
                        <AddressForm
                          action={actions.update}
                          companyId={companyId}
                          kind="shipping"
                          addressId={a.id}
                          defaults={defaultsOf(a)}
                          countries={countries}
                          idPrefix={`ship-to-${a.id}`}
                          submitLabel="Save ship-to address"
                        />
                      </div>
                    </details>
                    <DeleteAddressForm action={actions.remove} companyId={companyId} addressId={a.id} label={a.label} />
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
        {canEditShipping && (
          <details className="rounded-md border border-slate-200 p-3" data-testid="new-ship-to-editor">
            <summary className="cursor-pointer text-sm font-medium text-brand-700">Add ship-to address</summary>
            <div className="mt-4">
              <AddressForm
                action={actions.create}
                companyId={companyId}
                kind="shipping"
                idempotencyKey={randomUUID()}
                defaults={blank(companyName)}
                countries={countries}
                idPrefix="new-ship-to"
                submitLabel="Add ship-to address"
              />
            </div>
          </details>
        )}
      </section>
    </div>
  );
}
