import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { param, type SearchParams } from "@/components/lists/search-params";
import { ButtonForm, ListQuantityForm, ListRemoveForm, RenameListForm } from "@/components/lists-saved/list-forms";
import { Badge, Card, EmptyState, FormMessage, LinkButton, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { getRequisitionList, requisitionListLinesOf } from "@/db/queries/lists";
import { db } from "@/db/client";
import { isUuid } from "@/lib/domain/ids";
import { requirePermission } from "@/lib/session";
import { deleteListAction, listToCartAction, renameListAction, setListLineAction } from "../actions";

export const metadata: Metadata = { title: "List" };

const linkClass = "font-medium text-brand-700 hover:underline";

export default async function ListPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("lists.manage");
  const { id } = await params;
  if (!isUuid(id) || !actor.companyId) notFound();
  // Scoped to the actor's company in SQL: another company's list is "not found".
  const list = await getRequisitionList(db, actor.companyId, id);
  if (!list) notFound();
  const lines = await requisitionListLinesOf(db, list.id);
  const created = param(await searchParams, "created") === "1";
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/lists" className={linkClass}>
          <span aria-hidden="true">← </span>
          Back to lists
        </Link>
      </p>
      <PageHeader title={list.name} description="A saved list of your company. Adding it to your cart prices every line at today's prices." />
      <div className="space-y-6">
        {created && <FormMessage result={{ ok: true, message: `List ${list.name} created. Add products from the catalogue or a product's page.` }} />}
        {lines.length === 0 ? (
          <EmptyState
            title="This list is empty"
            description="Open the catalogue and use “Add to list” on a product."
            action={
              <LinkButton href="/" variant="secondary">
                Open the catalogue
              </LinkButton>
            }
          />
        ) : (
          <>
            <Card title="Order this list">
              <ButtonForm action={listToCartAction} hidden={{ listId: list.id }} idempotencyKey={randomUUID()} submitLabel="Add all to cart" pendingLabel="Adding…" cartLink />
            </Card>
            <Table caption="Products on this list" stack>
              <THead>
                <tr>
                  <TH>SKU</TH>
                  <TH>Product</TH>
                  <TH>Quantity</TH>
                  <TH>
                    <span className="sr-only">Remove</span>
                  </TH>
                </tr>
              </THead>
              <TBody>
                {lines.map((l) => (
                  <TR key={l.productId} data-testid="list-line">
                    <TD label="SKU" className="font-mono text-xs whitespace-nowrap">{l.sku}</TD>
                    <TD className="min-w-48 max-md:order-first">
                      {l.archived ? (
                        <>
                          <span className="font-medium text-slate-900">{l.name}</span> <Badge tone="danger">No longer available</Badge>
                        </>
                      ) : (
                        <Link href={`/products/${encodeURIComponent(l.sku)}`} className={linkClass}>
                          {l.name}
                        </Link>
                      )}
                    </TD>
                    <TD label="Quantity">
                      <ListQuantityForm key={`${l.productId}-${l.quantity}`} action={setListLineAction} listId={list.id} productId={l.productId} sku={l.sku} quantity={l.quantity} />
                    </TD>
                    <TD>
                      <ListRemoveForm action={setListLineAction} listId={list.id} productId={l.productId} sku={l.sku} />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </>
        )}
        <div className="grid gap-6 md:grid-cols-2">
          <Card title="Rename">
            <RenameListForm action={renameListAction} listId={list.id} name={list.name} />
          </Card>
          <Card title="Delete">
            <p className="mb-3 text-sm text-slate-700">Deletes the list for everyone in your company. Carts and orders are not affected.</p>
            <ButtonForm action={deleteListAction} hidden={{ listId: list.id }} submitLabel="Delete list" pendingLabel="Deleting…" variant="danger" />
          </Card>
        </div>
      </div>
    </>
  );
}
