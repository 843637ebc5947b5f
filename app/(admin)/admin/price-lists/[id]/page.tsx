import { HistoryLink } from "@/components/audit/history-link";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DetailList } from "@/components/lists/detail-list";
import type { SearchParams } from "@/components/lists/search-params";
import { AssignCompanyForm } from "@/components/price-lists/assign-company-form";
import { InlineActionForm } from "@/components/price-lists/inline-action-form";
import { PriceEntryForm } from "@/components/price-lists/price-entry-form";
import { PriceListForm } from "@/components/price-lists/price-list-form";
import { buttonClasses, Card, EmptyState, FormMessage, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listCompanyOptions } from "@/db/queries/companies";
import { getPriceListDetail } from "@/db/queries/products";
import { db } from "@/db/client";
import { tierText } from "@/lib/domain/catalog";
import { formatMoney } from "@/lib/domain/money";
import { can } from "@/lib/domain/permissions";
import { env } from "@/lib/env";
import { requirePermission } from "@/lib/session";
import { removePriceListEntryAction, setPriceListAssignmentAction, updatePriceListAction, upsertPriceListEntryAction } from "../actions";

export const metadata: Metadata = { title: "Price list" };

export default async function PriceListPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("products.read");
  const { id } = await params;
  const detail = await getPriceListDetail(db, id);
  if (!detail) notFound();
  const canManage = can(actor.role, "pricing.manage");
  const [query, companies] = await Promise.all([searchParams, canManage ? listCompanyOptions(db) : Promise.resolve([])]);
  const { list, entries, assigned } = detail;
  const assignedIds = new Set(assigned.map((c) => c.id));
  // Products are priced in the seller's currency (see the product service); contract prices in the list's.
  const baseCurrency = env().DEFAULT_CURRENCY;
  const validity = `${list.validFrom} – ${list.validTo ?? "open-ended"}`;
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/price-lists" className="font-medium text-brand-700 hover:underline">
          ← All price lists
        </Link>
      </p>
      <PageHeader
        title={list.name}
        description={`${list.currency} · valid ${validity} · ${entries.length === 1 ? "1 price" : `${entries.length} prices`}`}
        actions={
          <>
            <HistoryLink type="price_list" id={list.id} label={list.name} className="self-center text-sm font-medium text-brand-700 hover:underline" />
            {/* A plain link: the export is a file download from a route handler, not a page. */}
            <a href={`/api/admin/price-lists/${list.id}/export`} download className={buttonClasses("secondary")}>
              Export CSV
            </a>
          </>
        }
      />
      {query.created === "1" && <FormMessage result={{ ok: true, message: "Price list created." }} className="mb-4" />}
      <div className="space-y-6">
        <Card title="Details">
          {canManage ? (
            <PriceListForm
              action={updatePriceListAction}
              priceListId={list.id}
              defaults={{ name: list.name, currency: list.currency, validFrom: list.validFrom, validTo: list.validTo ?? "" }}
            />
          ) : (
            <DetailList
              items={[
                { label: "Name", value: list.name },
                { label: "Currency", value: list.currency },
                { label: "Valid from", value: list.validFrom },
                { label: "Valid to", value: list.validTo ?? "Open-ended" },
              ]}
            />
          )}
        </Card>

        <Card title="Contract prices">
          {entries.length === 0 ? (
            <EmptyState title="No prices yet" description="Products without a price on this list are sold at their base price." />
          ) : (
            <Table caption="Contract prices">
              <THead>
                <tr>
                  <TH>SKU</TH>
                  <TH>Product</TH>
                  <TH className="text-right">Base price</TH>
                  <TH className="text-right">Contract price</TH>
                  <TH>Tiers</TH>
                  {canManage && (
                    <TH>
                      <span className="sr-only">Actions</span>
                    </TH>
                  )}
                </tr>
              </THead>
              <TBody>
                {entries.map((e) => (
                  <TR key={e.id} data-testid={`price-entry-${e.sku}`}>
                    <TD className="font-mono text-xs whitespace-nowrap">{e.sku}</TD>
                    <TD>
                      <Link href={`/admin/products/${e.productId}`} className="text-brand-700 hover:underline">
                        {e.name}
                      </Link>
                    </TD>
                    <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(e.basePriceMinor, baseCurrency)}</TD>
                    <TD className="text-right whitespace-nowrap tabular-nums">{formatMoney(e.unitPriceMinor, list.currency)}</TD>
                    <TD className="font-mono text-xs whitespace-pre-line">
                      {e.tiers.length ? tierText(e.tiers, list.currency) : <span className="font-sans text-slate-500">None</span>}
                    </TD>
                    {canManage && (
                      <TD className="text-right">
                        <InlineActionForm action={removePriceListEntryAction} fields={{ priceListId: list.id, entryId: e.id }} pendingLabel="Removing…">
                          Remove<span className="sr-only"> {e.sku}</span>
                        </InlineActionForm>
                      </TD>
                    )}
                  </TR>
                ))}
              </TBody>
            </Table>
          )}
        </Card>

        {canManage && (
          <Card title="Add or update a product price">
            <p className="mb-4 text-sm text-slate-700">Saving a SKU that is already on the list replaces its price and tiers.</p>
            <PriceEntryForm action={upsertPriceListEntryAction} priceListId={list.id} currency={list.currency} />
          </Card>
        )}

        <Card title="Assigned companies">
          {assigned.length === 0 ? (
            <p className="text-sm text-slate-700">No company uses this list yet.</p>
          ) : (
            <ul className="divide-y divide-slate-200 rounded-md border border-slate-200" aria-label="Assigned companies">
              {assigned.map((c) => (
                <li key={c.id} className="flex flex-wrap items-center justify-between gap-3 px-4 py-2" data-testid={`assigned-company-${c.id}`}>
                  <Link href={`/admin/customers/${c.id}`} className="text-sm font-medium text-brand-700 hover:underline">
                    {c.name}
                  </Link>
                  {canManage && (
                    <InlineActionForm
                      action={setPriceListAssignmentAction}
                      fields={{ priceListId: list.id, companyId: c.id, assigned: "false" }}
                      pendingLabel="Unassigning…"
                    >
                      Unassign<span className="sr-only"> {c.name}</span>
                    </InlineActionForm>
                  )}
                </li>
              ))}
            </ul>
          )}
          {canManage && (
            <div className="mt-6">
              <AssignCompanyForm action={setPriceListAssignmentAction} priceListId={list.id} companies={companies.filter((c) => !assignedIds.has(c.id))} />
            </div>
          )}
        </Card>
      </div>
    </>
  );
}
