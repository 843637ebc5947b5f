import "server-only";
import { z } from "zod";
import { db } from "@/db/client";
import { getRequisitionList, listRequisitionLists, requisitionListLinesOf } from "@/db/queries/lists";
import type { Actor } from "@/lib/domain/actor";
import { uuidString } from "@/lib/domain/ids";
import { json } from "@/lib/http/json";
import { addToList, createList, listToCart } from "@/lib/services/lists";
import { defineOperation, runApiMutation } from "./operation";
import { problem } from "./problem";
import { idParams, instant, instantSchema } from "./schemas";

// /api/v1/lists: the company's requisition lists (issue 14), the same lists every buyer of the
// company sees in the portal. The writes are the portal's mutations; another company's list is 404.

const listSummarySchema = z
  .object({ id: uuidString(), name: z.string(), lineCount: z.int(), updatedAt: instantSchema })
  .meta({ id: "RequisitionListSummary" });

export const requisitionListSchema = z
  .object({
    id: uuidString(),
    name: z.string(),
    createdAt: instantSchema,
    updatedAt: instantSchema,
    lines: z.array(
      z.object({
        productId: uuidString(),
        sku: z.string(),
        name: z.string(),
        unit: z.string(),
        quantity: z.int(),
        available: z.boolean().describe("False when the product has been withdrawn: adding the list to the cart names it instead of adding it."),
      }),
    ),
  })
  .meta({ id: "RequisitionList" });

const listsSchema = z.object({ data: z.array(listSummarySchema) }).meta({ id: "RequisitionListCollection" });

const toCartSchema = z
  .object({
    added: z.array(z.object({ sku: z.string(), quantity: z.int() })),
    skipped: z.array(z.object({ sku: z.string(), name: z.string(), reason: z.string() })).describe("Products not added, with the reason (withdrawn, or today's ordering rules)."),
  })
  .meta({ id: "ListToCartResult" });

const staffHasNoLists = () => problem("forbidden", "A staff key has no requisition lists: lists belong to customer companies.");

async function listResponse(actor: Actor, listId: string, status = 200): Promise<Response | null> {
  if (!actor.companyId) return staffHasNoLists();
  const list = await getRequisitionList(db, actor.companyId, listId);
  if (!list) return null;
  const lines = await requisitionListLinesOf(db, list.id);
  return json(
    {
      id: list.id,
      name: list.name,
      createdAt: instant(list.createdAt),
      updatedAt: instant(list.updatedAt),
      lines: lines.map((l) => ({ productId: l.productId, sku: l.sku, name: l.name, unit: l.unit, quantity: l.quantity, available: !l.archived })),
    } satisfies z.input<typeof requisitionListSchema>,
    status,
  );
}

export const listListsOperation = defineOperation({
  operationId: "listRequisitionLists",
  method: "GET",
  path: "/lists",
  tag: "Lists",
  summary: "Your company's requisition lists",
  description: "The saved product lists of the key's company, by name, with their line counts. Customer keys only.",
  scope: "orders:read",
  responses: { 200: { description: "The lists.", schema: listsSchema } },
  async handle({ actor }) {
    if (!actor.companyId) return staffHasNoLists();
    const rows = await listRequisitionLists(db, actor.companyId);
    return json({ data: rows.map((r) => ({ id: r.id, name: r.name, lineCount: r.lines, updatedAt: instant(r.updatedAt) })) } satisfies z.input<typeof listsSchema>, 200);
  },
});

export const createListOperation = defineOperation({
  operationId: "createRequisitionList",
  method: "POST",
  path: "/lists",
  tag: "Lists",
  summary: "Create a requisition list",
  description: "A new, empty list for the key's company. Names are unique per company (case-insensitive): a taken name answers 400 with errors.name. Requires an Idempotency-Key.",
  scope: "orders:write",
  body: z.strictObject({ name: z.string().max(100) }).meta({ id: "CreateRequisitionList" }),
  requestExample: { name: "Weekly restock" },
  idempotency: "required",
  responses: { 201: { description: "The list.", schema: requisitionListSchema } },
  handle: (ctx) => runApiMutation(ctx, createList, ctx.body, async (created) => (await listResponse(ctx.actor, created.listId, 201))!),
});

export const getListOperation = defineOperation({
  operationId: "getRequisitionList",
  method: "GET",
  path: "/lists/{id}",
  tag: "Lists",
  summary: "A requisition list with its lines",
  description: "One of the company's lists with its products and quantities. Another company's list answers 404.",
  scope: "orders:read",
  params: idParams,
  responses: { 200: { description: "The list.", schema: requisitionListSchema } },
  handle: ({ actor, params }) => listResponse(actor, params.id),
});

export const addListLineOperation = defineOperation({
  operationId: "addRequisitionListLine",
  method: "POST",
  path: "/lists/{id}/lines",
  tag: "Lists",
  summary: "Add a product to a list",
  description:
    "Adds the quantity to the product's line on the list (a new line if it is not there). Two callers adding the same product at once both count: one line with the sum. Requires an Idempotency-Key: a retry never adds twice.",
  scope: "orders:write",
  params: idParams,
  body: z.strictObject({ productId: uuidString(), quantity: z.int().min(1).max(10_000_000) }).meta({ id: "AddRequisitionListLine" }),
  requestExample: { productId: "2b1f8f7e-4c0e-4c52-9a59-3f0f3c1d2e4a", quantity: 4 },
  idempotency: "required",
  responses: { 200: { description: "The list.", schema: requisitionListSchema } },
  handle: (ctx) => runApiMutation(ctx, addToList, { listId: ctx.params.id, ...ctx.body }, async () => (await listResponse(ctx.actor, ctx.params.id))!),
});

export const listToCartOperation = defineOperation({
  operationId: "addRequisitionListToCart",
  method: "POST",
  path: "/lists/{id}/to-cart",
  tag: "Lists",
  summary: "Add a whole list to the cart",
  description:
    "The portal's \"Add all to cart\": every line into the key owner's cart at today's prices, added to what the cart holds. Products that can no longer be ordered are listed under `skipped` with the reason, not added. Requires an Idempotency-Key.",
  scope: "orders:write",
  params: idParams,
  idempotency: "required",
  responses: { 200: { description: "What was added and what was not.", schema: toCartSchema } },
  handle: (ctx) =>
    runApiMutation(ctx, listToCart, { listId: ctx.params.id }, (result) =>
      json({ added: result.added, skipped: result.skipped } satisfies z.input<typeof toCartSchema>, 200),
    ),
});
