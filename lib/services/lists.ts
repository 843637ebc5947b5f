import "server-only";
import { z } from "zod";
import {
  addRequisitionListQuantity,
  deleteRequisitionList,
  deleteRequisitionListLine,
  getRequisitionList,
  insertRequisitionList,
  lockRequisitionList,
  productForList,
  renameRequisitionList,
  requisitionListLinesOf,
  requisitionListNameTaken,
  setRequisitionListQuantity,
  touchRequisitionList,
} from "@/db/queries/lists";
import type { Actor } from "@/lib/domain/actor";
import { DomainError, fieldError, notFound } from "@/lib/domain/errors";
import { quantityField, requiredText, uuidField } from "@/lib/domain/forms";
import { pgErrorCode } from "@/lib/pg-error";
import { defineMutation, type MutationContext } from "@/lib/mutation";
import { customerActor } from "@/lib/services/orders/common";
import { copyLinesToCart } from "@/lib/services/orders/reorder";

// Requisition lists (issue 14): a company's saved product lists, shared by all its buyers. Every
// use case locks the list within the actor's company: another company's list is "not found".

const listName = requiredText("Name", 100);

async function companyList(ctx: MutationContext, listId: string) {
  customerActor(ctx.actor);
  const list = await lockRequisitionList(ctx.tx, ctx.actor.companyId, listId);
  if (!list) throw notFound("List", { entityType: "requisition_list", entityId: listId, companyId: ctx.actor.companyId });
  return list;
}

async function assertNameFree(ctx: MutationContext, actor: Actor & { companyId: string }, name: string, exceptId?: string) {
  if (await requisitionListNameTaken(ctx.tx, actor.companyId, name, exceptId)) throw fieldError("name", "Your company already has a list with this name.");
}

export const createList = defineMutation({
  name: "list.create",
  entityType: "requisition_list",
  permission: "lists.manage",
  idempotent: true,
  input: z.object({ name: listName }),
  async run(ctx, input) {
    customerActor(ctx.actor);
    await assertNameFree(ctx, ctx.actor, input.name);
    const list = await insertRequisitionList(ctx.tx, { companyId: ctx.actor.companyId, name: input.name, createdBy: ctx.actor.id });
    await ctx.audit({ action: "list.create", entityType: "requisition_list", entityId: list.id, after: { name: list.name } });
    return { listId: list.id, name: list.name };
  },
});

export const renameList = defineMutation({
  name: "list.rename",
  entityType: "requisition_list",
  permission: "lists.manage",
  input: z.object({ listId: uuidField("list"), name: listName }),
  async run(ctx, input) {
    const list = await companyList(ctx, input.listId);
    customerActor(ctx.actor);
    await assertNameFree(ctx, ctx.actor, input.name, list.id);
    await renameRequisitionList(ctx.tx, list.id, input.name);
    await ctx.audit({ action: "list.rename", entityType: "requisition_list", entityId: list.id, before: { name: list.name }, after: { name: input.name } });
    return { listId: list.id, name: input.name };
  },
});

export const deleteList = defineMutation({
  name: "list.delete",
  entityType: "requisition_list",
  permission: "lists.manage",
  input: z.object({ listId: uuidField("list") }),
  async run(ctx, input) {
    const list = await companyList(ctx, input.listId);
    const lines = await requisitionListLinesOf(ctx.tx, list.id);
    await deleteRequisitionList(ctx.tx, list.id);
    await ctx.audit({ action: "list.delete", entityType: "requisition_list", entityId: list.id, before: { name: list.name, lines: lines.length } });
    return { listId: list.id, name: list.name };
  },
});

/**
 * Adds a quantity of a product to a list: to the line's quantity when the product is already on
 * it. Two buyers adding at once both count (one statement, the primary key decides).
 */
export const addToList = defineMutation({
  name: "list.add_line",
  entityType: "requisition_list",
  permission: "lists.manage",
  idempotent: true,
  input: z.object({ listId: uuidField("list"), productId: uuidField("product"), quantity: quantityField(1) }),
  async run(ctx, input) {
    customerActor(ctx.actor);
    // Not locked: concurrent adds to one list must not queue behind each other; the upsert is atomic.
    const list = await getRequisitionList(ctx.tx, ctx.actor.companyId, input.listId);
    if (!list) throw notFound("List", { entityType: "requisition_list", entityId: input.listId, companyId: ctx.actor.companyId });
    const product = await productForList(ctx.tx, input.productId);
    if (!product || product.archived) throw fieldError("productId", "This product is no longer available.");
    const quantity = await addRequisitionListQuantity(ctx.tx, { listId: list.id, productId: product.id, quantity: input.quantity }).catch((error: unknown) => {
      // The CHECK caps a line at 10,000,000: a sum past it is the buyer's to fix, not a 500.
      if (pgErrorCode(error) === "23514") {
        throw fieldError("quantity", "The list would hold more than 10,000,000 of this product.");
      }
      throw error;
    });
    await ctx.audit({ action: "list.add_line", entityType: "requisition_list", entityId: list.id, after: { sku: product.sku, added: input.quantity, quantity } });
    return { listId: list.id, listName: list.name, sku: product.sku, quantity };
  },
});

/** Sets a line's quantity; 0 removes the line. */
export const setListLine = defineMutation({
  name: "list.set_line",
  entityType: "requisition_list",
  permission: "lists.manage",
  input: z.object({ listId: uuidField("list"), productId: uuidField("product"), quantity: quantityField(0) }),
  async run(ctx, input) {
    const list = await companyList(ctx, input.listId);
    const found =
      input.quantity === 0
        ? await deleteRequisitionListLine(ctx.tx, { listId: list.id, productId: input.productId })
        : await setRequisitionListQuantity(ctx.tx, { listId: list.id, productId: input.productId, quantity: input.quantity });
    if (!found) throw new DomainError("not_found", "This product is not on the list (any more).");
    await touchRequisitionList(ctx.tx, list.id);
    const product = await productForList(ctx.tx, input.productId);
    await ctx.audit({
      action: input.quantity === 0 ? "list.remove_line" : "list.set_line",
      entityType: "requisition_list",
      entityId: list.id,
      after: { sku: product?.sku ?? null, quantity: input.quantity },
    });
    return { listId: list.id, quantity: input.quantity };
  },
});

/**
 * "Add all to cart": the list's lines into the buyer's cart at today's prices; products that can
 * no longer be ordered are named, not dropped silently. The list itself is kept for next time.
 */
export const listToCart = defineMutation({
  name: "list.to_cart",
  entityType: "requisition_list",
  permission: "orders.place",
  idempotent: true,
  input: z.object({ listId: uuidField("list") }),
  async run(ctx, input) {
    const list = await companyList(ctx, input.listId);
    const lines = await requisitionListLinesOf(ctx.tx, list.id);
    if (lines.length === 0) throw new DomainError("conflict", "This list is empty: add products to it first.");
    const result = await copyLinesToCart(ctx, lines.map((l) => ({ productId: l.productId, quantity: l.quantity, sku: l.sku, name: l.name })));
    await ctx.audit({
      action: "list.to_cart",
      entityType: "requisition_list",
      entityId: list.id,
      after: { cartId: result.cartId, added: result.added, skipped: result.skipped.map((s) => s.sku) },
    });
    return { ...result, listId: list.id, listName: list.name };
  },
});
