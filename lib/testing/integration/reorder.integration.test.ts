import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";
import { runMutation } from "@/lib/mutation";
import { pgConstraint } from "@/lib/pg-error";
import { receiveStock } from "@/lib/services/inventory";
import { addToList, createList, deleteList, listToCart, renameList, setListLine } from "@/lib/services/lists";
import { addToCart } from "@/lib/services/orders/cart";
import { cancelOrderByCustomer } from "@/lib/services/orders/fulfilment";
import { submitCart } from "@/lib/services/orders/quotations";
import { reorder } from "@/lib/services/orders/reorder";
import { createProduct, setProductArchived, updateProduct } from "@/lib/services/products";
import { insertUser } from "@/lib/services/users";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { freshBuyer } from "@/lib/testing/invoices";

// Order again and requisition lists (issue 14): lines go into the buyer's cart at today's prices,
// products that can no longer be ordered are named, a repeated key adds once, lists are scoped to
// their company in SQL and two buyers adding the same product at once end with one summed line.

setupTestDatabase();

let seq = 0;
const key = () => `reorder-${Date.now()}-${seq++}`;
const as = (actor: Actor, idempotencyKey = key()) => ({ actor, request: request(), idempotencyKey });

async function product(name: string, price: string, extra: Record<string, string> = {}) {
  const admin = await actorByEmail("admin@demo.test");
  const sku = `RO-${name.toUpperCase()}-${Date.now()}${seq++}`;
  const p = await runMutation(createProduct, as(admin), { sku, name, category: "Reorder", basePrice: price, taxRate: "0", ...extra });
  if (!p.ok) throw new Error(JSON.stringify(p));
  await runMutation(receiveStock, as(admin), { productId: p.data.id, quantity: "1000" });
  return { id: p.data.id, sku };
}

async function colleague(companyId: string): Promise<Actor> {
  const user = await db.transaction((tx) => insertUser(tx, { email: uniqueEmail("colleague"), name: "Colleague", role: "buyer", companyId, password: "a-long-test-password-1" }));
  return actorByEmail(user.email);
}

/** The constraint a statement violates (null when it succeeds). */
async function constraintOf(query: ReturnType<typeof sql>): Promise<string | null> {
  try {
    await rows(query);
    return null;
  } catch (error) {
    return pgConstraint(error) ?? String(error);
  }
}

const cartOf = (buyerId: string) =>
  rows<{ sku: string; quantity: number }>(
    sql`select p.sku, l.quantity from cart_lines l join orders o on o.id = l.order_id join products p on p.id = l.product_id
        where o.buyer_id = ${buyerId} and o.status = 'draft' order by p.sku`,
  );

async function pastOrder(buyer: Actor, lines: { id: string; quantity: number }[]) {
  for (const l of lines) {
    const added = await runMutation(addToCart, as(buyer), { productId: l.id, quantity: String(l.quantity) });
    if (!added.ok) throw new Error(JSON.stringify(added));
  }
  const q = await runMutation(submitCart, as(buyer), {});
  if (!q.ok) throw new Error(JSON.stringify(q));
  return q.data.orderId;
}

describe("order again", () => {
  it("copies a cancelled order's lines into the cart at today's prices, merging with the cart and naming archived products", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const buyer = await freshBuyer(null, { company: "Reorderer", name: "Rita" });
    const bolts = await product("Bolts", "2.00");
    const nuts = await product("Nuts", "1.00");
    const gone = await product("Gone", "5.00");
    const orderId = await pastOrder(buyer, [
      { id: bolts.id, quantity: 10 },
      { id: nuts.id, quantity: 4 },
      { id: gone.id, quantity: 1 },
    ]);
    expect((await runMutation(cancelOrderByCustomer, as(buyer), { orderId, reason: "Changed our mind" })).ok).toBe(true);
    // Since then: bolts cost more, "Gone" is archived, and the buyer has 5 nuts in a new cart.
    expect((await runMutation(updateProduct, as(admin), { id: bolts.id, sku: bolts.sku, name: "Bolts", category: "Reorder", basePrice: "2.50", taxRate: "0" })).ok).toBe(true);
    expect((await runMutation(setProductArchived, as(admin), { id: gone.id, archived: "true" })).ok).toBe(true);
    await runMutation(addToCart, as(buyer), { productId: nuts.id, quantity: "5" });

    const k = key();
    const result = await runMutation(reorder, as(buyer, k), { orderId });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.added).toEqual([
      { sku: bolts.sku, quantity: 10 },
      { sku: nuts.sku, quantity: 4 },
    ]);
    expect(result.data.skipped).toEqual([{ sku: gone.sku, name: "Gone", reason: "no longer available" }]);
    expect(await cartOf(buyer.id)).toEqual([
      { sku: bolts.sku, quantity: 10 },
      { sku: nuts.sku, quantity: 9 },
    ]);
    // A double click (the same form key) adds nothing more.
    const again = await runMutation(reorder, as(buyer, k), { orderId });
    expect(again.ok).toBe(true);
    expect(await cartOf(buyer.id)).toEqual([
      { sku: bolts.sku, quantity: 10 },
      { sku: nuts.sku, quantity: 9 },
    ]);
    // Today's price: the new quotation prices bolts at 2.50 (10 × 2.50 + 9 × 1.00 = 34.00).
    const q = await runMutation(submitCart, as(buyer), {});
    expect(q.ok).toBe(true);
    if (!q.ok) return;
    const [total] = await rows<{ total_minor: string }>(sql`select total_minor::text from quotations where order_id = ${q.data.orderId}`);
    expect(total!.total_minor).toBe("3400");
    const audit = await rows<{ n: number }>(sql`select count(*)::int as n from audit_events where action = 'order.reorder' and entity_id = ${orderId}`);
    expect(audit[0]!.n).toBe(1);
  });

  it("names a product whose quantity breaks today's pack size instead of adding it", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const buyer = await freshBuyer(null, { company: "Packer", name: "Pat" });
    const tape = await product("Tape", "3.00");
    const orderId = await pastOrder(buyer, [{ id: tape.id, quantity: 7 }]);
    expect((await runMutation(updateProduct, as(admin), { id: tape.id, sku: tape.sku, name: "Tape", category: "Reorder", basePrice: "3.00", taxRate: "0", orderMultiple: "5" })).ok).toBe(true);
    const result = await runMutation(reorder, as(buyer), { orderId });
    expect(result.ok && result.data.added).toEqual([]);
    expect(result.ok && result.data.skipped).toEqual([{ sku: tape.sku, name: "Tape", reason: "This product comes in packs of 5: order 5 or 10." }]);
  });

  it("finds no order of another company", async () => {
    const buyer = await freshBuyer(null, { company: "Owner", name: "Olga" });
    const other = await freshBuyer(null, { company: "Other", name: "Otto" });
    const p = await product("Washers", "1.00");
    const orderId = await pastOrder(buyer, [{ id: p.id, quantity: 2 }]);
    const result = await runMutation(reorder, as(other), { orderId });
    expect(result).toMatchObject({ ok: false, code: "not_found", error: "Order not found." });
    expect(await cartOf(other.id)).toEqual([]);
  });
});

describe("requisition lists", () => {
  it("creates, renames and deletes a list; names are unique per company, case-insensitive; other companies get not found", async () => {
    const buyer = await freshBuyer(null, { company: "Lister", name: "Lisa" });
    const other = await freshBuyer(null, { company: "Outsider", name: "Oscar" });
    const created = await runMutation(createList, as(buyer), { name: "  Weekly restock " });
    expect(created).toMatchObject({ ok: true, data: { name: "Weekly restock" } });
    if (!created.ok) return;
    const listId = created.data.listId;
    expect(await runMutation(createList, as(buyer), { name: "WEEKLY RESTOCK" })).toMatchObject({
      ok: false,
      code: "validation_failed",
      fieldErrors: { name: ["Your company already has a list with this name."] },
    });
    // Another company may use the same name.
    expect((await runMutation(createList, as(other), { name: "Weekly restock" })).ok).toBe(true);
    expect(await runMutation(createList, as(buyer), { name: "   " })).toMatchObject({ ok: false, fieldErrors: { name: ["Name is required."] } });

    expect(await runMutation(renameList, as(other), { listId, name: "Mine now" })).toMatchObject({ ok: false, code: "not_found", error: "List not found." });
    expect(await runMutation(deleteList, as(other), { listId })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(renameList, as(buyer), { listId, name: "Monday restock" })).toMatchObject({ ok: true, data: { name: "Monday restock" } });
    const [row] = await rows<{ name: string }>(sql`select name from requisition_lists where id = ${listId}`);
    expect(row!.name).toBe("Monday restock");
    expect((await runMutation(deleteList, as(buyer), { listId })).ok).toBe(true);
    expect(await rows(sql`select 1 from requisition_lists where id = ${listId}`)).toEqual([]);
    const audit = await rows<{ action: string }>(sql`select action from audit_events where entity_id = ${listId} and outcome = 'success' order by id`);
    expect(audit.map((a) => a.action)).toEqual(["list.create", "list.rename", "list.delete"]);
  });

  it("the database refuses a zero quantity, a second line for one product and a duplicate name", async () => {
    const buyer = await freshBuyer(null, { company: "Constrained", name: "Cora" });
    const p = await product("Pins", "0.10");
    const list = await runMutation(createList, as(buyer), { name: "Pins" });
    if (!list.ok) throw new Error(list.error);
    const listId = list.data.listId;
    expect(await constraintOf(sql`insert into requisition_list_lines (list_id, product_id, quantity) values (${listId}, ${p.id}, 0)`)).toBe("requisition_list_lines_quantity_check");
    await rows(sql`insert into requisition_list_lines (list_id, product_id, quantity) values (${listId}, ${p.id}, 1)`);
    expect(await constraintOf(sql`insert into requisition_list_lines (list_id, product_id, quantity) values (${listId}, ${p.id}, 2)`)).toBe("requisition_list_lines_pkey");
    expect(await constraintOf(sql`insert into requisition_lists (company_id, name) values (${buyer.companyId}, 'PINS')`)).toBe("requisition_lists_company_name_key");
  });

  it("adds, edits and removes lines, and turns the list into a cart at today's prices naming archived products", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const buyer = await freshBuyer(null, { company: "Stocker", name: "Stan" });
    const mate = await colleague(buyer.companyId);
    const other = await freshBuyer(null, { company: "Stranger", name: "Sue" });
    const gloves = await product("Gloves", "4.00");
    const masks = await product("Masks", "0.50");
    const old = await product("Old", "9.00");
    const list = await runMutation(createList, as(buyer), { name: "Safety" });
    if (!list.ok) throw new Error(list.error);
    const listId = list.data.listId;
    expect(await runMutation(addToList, as(buyer), { listId, productId: gloves.id, quantity: "2" })).toMatchObject({ ok: true, data: { quantity: 2 } });
    // A colleague of the same company adds to the same line.
    expect(await runMutation(addToList, as(mate), { listId, productId: gloves.id, quantity: "3" })).toMatchObject({ ok: true, data: { quantity: 5 } });
    expect((await runMutation(addToList, as(buyer), { listId, productId: masks.id, quantity: "20" })).ok).toBe(true);
    expect((await runMutation(addToList, as(buyer), { listId, productId: old.id, quantity: "1" })).ok).toBe(true);
    // Another company can neither add to nor read the list.
    expect(await runMutation(addToList, as(other), { listId, productId: masks.id, quantity: "1" })).toMatchObject({ ok: false, code: "not_found", error: "List not found." });
    expect(await runMutation(setListLine, as(other), { listId, productId: masks.id, quantity: "0" })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(listToCart, as(other), { listId })).toMatchObject({ ok: false, code: "not_found" });
    expect(await runMutation(addToList, as(buyer), { listId, productId: masks.id, quantity: "0" })).toMatchObject({ ok: false, fieldErrors: { quantity: ["Enter a quantity of at least 1."] } });

    expect(await runMutation(setListLine, as(mate), { listId, productId: masks.id, quantity: "30" })).toMatchObject({ ok: true });
    const lines = await rows<{ sku: string; quantity: number }>(sql`select p.sku, l.quantity from requisition_list_lines l join products p on p.id = l.product_id where l.list_id = ${listId} order by p.sku`);
    expect(lines).toEqual(
      [
        { sku: gloves.sku, quantity: 5 },
        { sku: masks.sku, quantity: 30 },
        { sku: old.sku, quantity: 1 },
      ].sort((a, b) => a.sku.localeCompare(b.sku)),
    );

    await runMutation(setProductArchived, as(admin), { id: old.id, archived: "true" });
    const k = key();
    const toCart = await runMutation(listToCart, as(mate, k), { listId });
    expect(toCart.ok).toBe(true);
    if (!toCart.ok) return;
    expect(toCart.data.skipped).toEqual([{ sku: old.sku, name: "Old", reason: "no longer available" }]);
    expect(await runMutation(listToCart, as(mate, k), { listId })).toMatchObject({ ok: true });
    expect(await cartOf(mate.id)).toEqual(
      [
        { sku: gloves.sku, quantity: 5 },
        { sku: masks.sku, quantity: 30 },
      ].sort((a, b) => a.sku.localeCompare(b.sku)),
    );
    const q = await runMutation(submitCart, as(mate), {});
    if (!q.ok) throw new Error(q.error);
    const [total] = await rows<{ total_minor: string }>(sql`select total_minor::text from quotations where order_id = ${q.data.orderId}`);
    expect(total!.total_minor).toBe("3500"); // 5 × 4.00 + 30 × 0.50

    expect(await runMutation(setListLine, as(buyer), { listId, productId: old.id, quantity: "0" })).toMatchObject({ ok: true });
    expect(await runMutation(setListLine, as(buyer), { listId, productId: old.id, quantity: "0" })).toMatchObject({ ok: false, code: "not_found" });
    const audit = await rows<{ action: string; n: number }>(
      sql`select action, count(*)::int as n from audit_events where entity_id = ${listId} and outcome = 'success' group by action order by action`,
    );
    expect(audit).toEqual([
      { action: "list.add_line", n: 4 },
      { action: "list.create", n: 1 },
      { action: "list.remove_line", n: 1 },
      { action: "list.set_line", n: 1 },
      { action: "list.to_cart", n: 1 },
    ]);
  });

  it("two buyers adding the same product to one list at once end with one line holding the sum", async () => {
    const buyer = await freshBuyer(null, { company: "Racer", name: "Ray" });
    const buyers = [buyer, ...(await Promise.all(Array.from({ length: 7 }, () => colleague(buyer.companyId))))];
    const p = await product("Screws", "0.20");
    const list = await runMutation(createList, as(buyer), { name: "Race" });
    if (!list.ok) throw new Error(list.error);
    const results = await Promise.all(buyers.map((b, i) => runMutation(addToList, as(b), { listId: list.data.listId, productId: p.id, quantity: String(i + 1) })));
    expect(results.map((r) => r.ok)).toEqual(buyers.map(() => true));
    const lines = await rows<{ n: number; quantity: number }>(
      sql`select count(*)::int as n, sum(quantity)::int as quantity from requisition_list_lines where list_id = ${list.data.listId}`,
    );
    expect(lines).toEqual([{ n: 1, quantity: 36 }]); // 1 + 2 + … + 8
  });
});
