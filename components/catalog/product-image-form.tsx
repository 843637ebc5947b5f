"use client";

import { useActionState } from "react";
import { fieldErrors, type FormAction } from "@/components/forms/form-state";
import { FormMessage, Input, SubmitButton } from "@/components/ui";

type Props = {
  uploadAction: FormAction;
  deleteAction: FormAction;
  productId: string;
  hasImage: boolean;
  maxBytes: number;
};

/** Upload (or replace) a product's image, and remove it; problems show next to the file field. */
export function ProductImageForm({ uploadAction, deleteAction, productId, hasImage, maxBytes }: Props) {
  const [state, formAction] = useActionState(uploadAction, null);
  const [deleteState, deleteFormAction] = useActionState(deleteAction, null);
  return (
    <div className="space-y-4">
      <form action={formAction} noValidate className="space-y-4">
        <FormMessage result={state?.ok ? state : null} />
        <input type="hidden" name="productId" value={productId} />
        <Input
          label={hasImage ? "New image" : "Image"}
          name="image"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          required
          hint={`JPEG, PNG or WebP, at most ${Math.floor(maxBytes / (1024 * 1024))} MB. Resized to 160, 480 and 1200 px wide; metadata such as location is removed.`}
          error={fieldErrors(state, "image") ?? (state?.ok === false && !state.fieldErrors?.image ? state.error : undefined)}
          wrapperClassName="sm:max-w-md"
        />
        <SubmitButton pendingLabel="Uploading…">{hasImage ? "Replace image" : "Upload image"}</SubmitButton>
      </form>
      {hasImage && (
        <form action={deleteFormAction} className="space-y-2">
          <input type="hidden" name="productId" value={productId} />
          <SubmitButton variant="danger" pendingLabel="Removing…">
            Remove image
          </SubmitButton>
        </form>
      )}
      {/* Outside the form: after a removal the page re-renders without it, and the outcome must still show. */}
      <FormMessage result={deleteState} />
    </div>
  );
}
