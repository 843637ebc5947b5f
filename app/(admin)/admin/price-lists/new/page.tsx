import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { PriceListForm } from "@/components/price-lists/price-list-form";
import { Card, PageHeader } from "@/components/ui";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { createPriceListAction } from "../actions";
import { sellerToday } from "@/lib/time-zone";

export const metadata: Metadata = { title: "New price list" };

export default async function NewPriceListPage() {
  await requirePermission("pricing.manage");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/price-lists" className="font-medium text-brand-700 hover:underline">
          ← All price lists
        </Link>
      </p>
      <PageHeader title="New price list" description="Add contract prices and assign companies after creating the list." />
      <Card>
        <PriceListForm
          action={createPriceListAction}
          idempotencyKey={randomUUID()}
          // Validity dates are calendar days: the default is today on the seller's calendar.
          defaults={{ name: "", currency: env().DEFAULT_CURRENCY, validFrom: sellerToday(), validTo: "" }}
        />
      </Card>
    </>
  );
}
