import { randomUUID } from "node:crypto";
import type { FormAction } from "@/components/forms/form-state";
import { ButtonForm } from "@/components/lists-saved/list-forms";
import { Card } from "@/components/ui";

/** "Order again" on a past order: its lines into the cart at today's prices (whatever the order's state). */
export function OrderAgainCard({ action, orderId }: { action: FormAction; orderId: string }) {
  return (
    <Card title="Order again">
      <p className="mb-3 text-sm text-slate-700">
        Puts this order&apos;s products and quantities into your cart at today&apos;s prices. Products that can no longer be ordered are named, not added.
      </p>
      <ButtonForm action={action} hidden={{ orderId }} idempotencyKey={randomUUID()} submitLabel="Order again" pendingLabel="Adding to cart…" variant="secondary" cartLink />
    </Card>
  );
}
