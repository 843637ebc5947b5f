import type { Metadata } from "next";
import Link from "next/link";
import { formatCount } from "@/components/lists/format";
import { EmptyState, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listPriceLists } from "@/db/queries/products";
import { db } from "@/db/client";
import { can } from "@/lib/domain/permissions";
import { requirePermission } from "@/lib/session";

export const metadata: Metadata = { title: "Price lists" };

export default async function PriceListsPage() {
  const actor = await requirePermission("products.read");
  const lists = await listPriceLists(db);
  const newButton = can(actor.role, "pricing.manage") ? <LinkButton href="/admin/price-lists/new">New price list</LinkButton> : undefined;
  return (
    <>
      <PageHeader
        title="Price lists"
        description="Contract prices for customer companies. A company's buyers get its lists' prices while they are valid."
        actions={newButton}
      />
      {lists.length === 0 ? (
        <EmptyState title="No price lists yet" description="Create a price list, add contract prices and assign it to companies." action={newButton} />
      ) : (
        <Table caption="Price lists" stack>
          <THead>
            <tr>
              <TH>Name</TH>
              <TH>Currency</TH>
              <TH>Valid</TH>
              <TH className="text-right">Entries</TH>
              <TH>Companies</TH>
            </tr>
          </THead>
          <TBody>
            {lists.map((l) => (
              <TR key={l.id} data-testid={`price-list-row-${l.id}`}>
                <TD className="font-medium">
                  <Link href={`/admin/price-lists/${l.id}`} className="text-brand-700 hover:underline">
                    {l.name}
                  </Link>
                </TD>
                <TD label="Currency">{l.currency}</TD>
                <TD label="Valid" className="whitespace-nowrap tabular-nums">
                  {l.validFrom} – {l.validTo ?? "open-ended"}
                </TD>
                <TD label="Entries" className="text-right tabular-nums">{formatCount(l.entries)}</TD>
                <TD label="Companies">{l.companies ?? <span className="text-slate-500">None</span>}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </>
  );
}
