import { randomUUID } from "node:crypto";
import type { Metadata } from "next";
import Link from "next/link";
import { DateTime } from "@/components/lists/date-time";
import { param, type SearchParams } from "@/components/lists/search-params";
import { CreateListForm } from "@/components/lists-saved/list-forms";
import { Card, EmptyState, FormMessage, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { listRequisitionLists } from "@/db/queries/lists";
import { db } from "@/db/client";
import { requirePermission } from "@/lib/session";
import { getViewerTimeZone } from "@/lib/time-zone";
import { createListAction } from "./actions";

export const metadata: Metadata = { title: "Lists" };

const linkClass = "font-medium text-brand-700 hover:underline";

export default async function ListsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const actor = await requirePermission("lists.manage");
  // The company comes from the session only; the query keeps to it in SQL.
  const lists = actor.companyId ? await listRequisitionLists(db, actor.companyId) : [];
  const tz = await getViewerTimeZone(actor);
  const deleted = param(await searchParams, "deleted") === "1";
  return (
    <>
      <PageHeader title="Lists" description="Your company's saved product lists: every buyer of the company can use them and add them to their cart." />
      <div className="space-y-6">
        {deleted && <FormMessage result={{ ok: true, message: "List deleted." }} />}
        <Card title="New list">
          <CreateListForm action={createListAction} idempotencyKey={randomUUID()} />
        </Card>
        {lists.length === 0 ? (
          <EmptyState title="No lists yet" description="Create a list above, then add products to it from the catalogue or a product's page." />
        ) : (
          <Table caption="Lists" stack>
            <THead>
              <tr>
                <TH>Name</TH>
                <TH className="text-right">Products</TH>
                <TH>Created by</TH>
                <TH>Last changed</TH>
              </tr>
            </THead>
            <TBody>
              {lists.map((l) => (
                <TR key={l.id} data-testid="list-row">
                  <TD className="max-md:order-first">
                    <Link href={`/lists/${l.id}`} className={linkClass}>
                      {l.name}
                    </Link>
                  </TD>
                  <TD label="Products" className="text-right tabular-nums">{l.lines}</TD>
                  <TD label="Created by">{l.createdByName ?? "—"}</TD>
                  <TD label="Last changed" className="whitespace-nowrap">
                    <DateTime value={l.updatedAt} timeZone={tz} />
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </div>
    </>
  );
}
