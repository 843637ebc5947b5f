"use client";

import Link from "next/link";
import { useActionState } from "react";
import { fieldErrors, submittedValue, type FormAction } from "@/components/forms/form-state";
import { formResult } from "@/components/orders/form-helpers";
import { FormMessage, Input, Select, SubmitButton, type ButtonVariant } from "@/components/ui";

/** Creates a requisition list; the action opens the new list. */
export function CreateListForm({ action, idempotencyKey }: { action: FormAction; idempotencyKey: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-3">
      <FormMessage result={formResult(state)} />
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Input
          id="create-list-name"
          label="List name"
          name="name"
          required
          maxLength={100}
          autoComplete="off"
          placeholder="e.g. Weekly restock"
          defaultValue={submittedValue(state, "name")}
          error={fieldErrors(state, "name")}
          wrapperClassName="sm:w-80"
        />
        <SubmitButton pendingLabel="Creating…" className="sm:mt-6">
          Create list
        </SubmitButton>
      </div>
    </form>
  );
}

/** Renames a list. */
export function RenameListForm({ action, listId, name }: { action: FormAction; listId: string; name: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction} noValidate className="space-y-3">
      <FormMessage result={formResult(state)} />
      <input type="hidden" name="listId" value={listId} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <Input
          id="rename-list-name"
          label="New name"
          name="name"
          required
          maxLength={100}
          autoComplete="off"
          defaultValue={submittedValue(state, "name", name)}
          error={fieldErrors(state, "name")}
          wrapperClassName="sm:w-80"
        />
        <SubmitButton variant="secondary" pendingLabel="Renaming…" className="sm:mt-6">
          Rename list
        </SubmitButton>
      </div>
    </form>
  );
}

/** A form of hidden fields and one button, with the result above it (delete a list, add a list to the cart, order again). */
export function ButtonForm({
  action,
  hidden,
  idempotencyKey,
  submitLabel,
  pendingLabel,
  variant = "primary",
  cartLink = false,
}: {
  action: FormAction;
  hidden: Record<string, string>;
  idempotencyKey?: string;
  submitLabel: string;
  pendingLabel: string;
  variant?: ButtonVariant;
  /** Offer "View cart" after a success. */
  cartLink?: boolean;
}) {
  const [state, formAction] = useActionState(action, null);
  const result = formResult(state);
  return (
    <form action={formAction} noValidate className="space-y-3">
      {result && (
        <div data-testid="copy-result">
          <FormMessage result={result} />
          {cartLink && state?.ok && (
            <p className="mt-2 text-sm">
              <Link href="/cart" className="font-medium text-brand-700 hover:underline">
                View cart
              </Link>
            </p>
          )}
        </div>
      )}
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {idempotencyKey && <input type="hidden" name="idempotencyKey" value={idempotencyKey} />}
      <SubmitButton variant={variant} pendingLabel={pendingLabel}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}

/** A list line's quantity; the page keys it by the saved quantity, so a change shows the new value. */
export function ListQuantityForm({ action, listId, productId, sku, quantity }: { action: FormAction; listId: string; productId: string; sku: string; quantity: number }) {
  const [state, formAction] = useActionState(action, null);
  const errors = fieldErrors(state, "quantity") ?? (state?.ok === false ? [state.error] : undefined);
  return (
    <form action={formAction} noValidate className="flex items-start gap-2">
      <input type="hidden" name="listId" value={listId} />
      <input type="hidden" name="productId" value={productId} />
      <Input
        id={`list-quantity-${productId}`}
        label={<span className="sr-only">Quantity for {sku}</span>}
        name="quantity"
        type="number"
        inputMode="numeric"
        min={0}
        required
        defaultValue={submittedValue(state, "quantity", String(quantity))}
        error={errors}
        wrapperClassName="w-28"
      />
      <SubmitButton variant="secondary" size="sm" className="mt-0.5">
        Update<span className="sr-only"> {sku}</span>
      </SubmitButton>
    </form>
  );
}

/** Removes a line from a list (quantity 0). */
export function ListRemoveForm({ action, listId, productId, sku }: { action: FormAction; listId: string; productId: string; sku: string }) {
  const [state, formAction] = useActionState(action, null);
  return (
    <form action={formAction}>
      <input type="hidden" name="listId" value={listId} />
      <input type="hidden" name="productId" value={productId} />
      <input type="hidden" name="quantity" value="0" />
      <SubmitButton variant="ghost" size="sm">
        Remove<span className="sr-only"> {sku}</span>
      </SubmitButton>
      {state?.ok === false && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {state.error}
        </p>
      )}
    </form>
  );
}

export type ListOption = { id: string; name: string };

/**
 * "Add to list": a list picker and a quantity. `idPrefix` keeps ids unique when the catalogue
 * shows one per row. Without lists, a link to create one.
 */
export function AddToListForm({
  action,
  productId,
  sku,
  lists,
  minOrderQuantity,
  idempotencyKey,
  idPrefix,
}: {
  action: FormAction;
  productId: string;
  sku: string;
  lists: ListOption[];
  minOrderQuantity: number;
  idempotencyKey: string;
  idPrefix: string;
}) {
  const [state, formAction] = useActionState(action, null);
  if (lists.length === 0) {
    return (
      <p className="text-sm text-slate-700">
        Your company has no lists yet.{" "}
        <Link href="/lists" className="font-medium text-brand-700 hover:underline">
          Create a list
        </Link>
      </p>
    );
  }
  const error = formResult(state);
  return (
    <form action={formAction} noValidate className="space-y-3">
      {error && <FormMessage result={error} />}
      <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
      <input type="hidden" name="productId" value={productId} />
      <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
        <Select
          id={`${idPrefix}-listId`}
          label={<>List<span className="sr-only"> for {sku}</span></>}
          name="listId"
          defaultValue={submittedValue(state, "listId", lists[0]!.id)}
          error={fieldErrors(state, "listId")}
          wrapperClassName="sm:w-56"
        >
          {lists.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </Select>
        <Input
          id={`${idPrefix}-quantity`}
          label={<>Quantity<span className="sr-only"> for the list, {sku}</span></>}
          name="quantity"
          type="number"
          inputMode="numeric"
          min={1}
          required
          defaultValue={submittedValue(state, "quantity", String(minOrderQuantity))}
          error={fieldErrors(state, "quantity")}
          wrapperClassName="sm:w-28"
        />
        <SubmitButton variant="secondary" pendingLabel="Adding…" className="sm:mt-6">
          Add to list<span className="sr-only"> ({sku})</span>
        </SubmitButton>
      </div>
    </form>
  );
}
