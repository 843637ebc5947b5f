import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { activeUsersByRole, adminDashboardData, lowStock } from "@/db/queries/analytics/stock";
import { listProducts } from "@/db/queries/products";
import { db } from "@/db/client";
import { runMutation } from "@/lib/mutation";
import type { Actor } from "@/lib/domain/actor";
import { receiveStock } from "@/lib/services/inventory";
import { addToCart } from "@/lib/services/orders/cart";
import { acceptQuotation, submitCart } from "@/lib/services/orders/quotations";
import { createProduct, setProductArchived } from "@/lib/services/products";
import { actorByEmail, request, rows, setupTestDatabase, uniqueEmail } from "@/lib/testing/helpers";
import { invoicedOrder, testKey } from "@/lib/testing/invoices";
import { sellerClock } from "@/lib/time-zone";

// The admin section's figures on known data. They are platform-wide, and other test files share the
// database, so each figure is read before and after this file's own rows and the difference asserted.

setupTestDatabase();

const as = (actor: Actor) => ({ actor, request: request(), idempotencyKey: testKey("stock") });

async function product(admin: Actor, sku: string, reorderPoint: number, received: number): Promise<string> {
  const p = await runMutation(createProduct, as(admin), { sku, name: `Stock ${sku}`, category: "Stock test", basePrice: "1.00", taxRate: "0", lowStockThreshold: String(reorderPoint) });
  if (!p.ok) throw new Error(p.error);
  if (received > 0) {
    const r = await runMutation(receiveStock, as(admin), { productId: p.data.id, quantity: String(received) });
    if (!r.ok) throw new Error(r.error);
  }
  return p.data.id;
}

describe("low stock", () => {
  it("lists active products whose available stock (on hand − reserved) is below their reorder point, never those with none", async () => {
    const admin = await actorByEmail("admin@demo.test");
    const before = await lowStock(db, 10_000);
    const tag = testKey("LS").toUpperCase();
    const below = await product(admin, `${tag}-BELOW`, 5, 4); // 4 < 5: low
    const atPoint = await product(admin, `${tag}-AT`, 5, 5); // 5 is not below 5
    const noPoint = await product(admin, `${tag}-NONE`, 0, 0); // out of stock, but no reorder point
    const archived = await product(admin, `${tag}-ARCH`, 5, 1);
    expect((await runMutation(setProductArchived, as(admin), { id: archived, archived: "true" })).ok).toBe(true);
    // Reserved stock counts against availability: 10 on hand, 6 reserved by an accepted order → 4 available.
    const reserved = await product(admin, `${tag}-RES`, 5, 10);
    const { buyer } = await invoicedOrder("1.00");
    expect((await runMutation(addToCart, as(buyer), { productId: reserved, quantity: "6" })).ok).toBe(true);
    const quote = await runMutation(submitCart, as(buyer), {});
    if (!quote.ok) throw new Error(quote.error);
    expect((await runMutation(acceptQuotation, as(buyer), { orderId: quote.data.orderId })).ok).toBe(true);

    const after = await lowStock(db, 10_000);
    expect(after.total).toBe(before.total + 2);
    const mine = after.items.filter((i) => i.sku.startsWith(tag));
    expect(mine).toEqual([
      { id: below, sku: `${tag}-BELOW`, name: `Stock ${tag}-BELOW`, onHand: 4, reserved: 0, available: 4, reorderPoint: 5 },
      { id: reserved, sku: `${tag}-RES`, name: `Stock ${tag}-RES`, onHand: 10, reserved: 6, available: 4, reorderPoint: 5 },
    ]);
    expect(after.items.map((i) => i.id)).not.toContain(atPoint);
    expect(after.items.map((i) => i.id)).not.toContain(noPoint);
    expect(after.items.map((i) => i.id)).not.toContain(archived);
    // Least available first, and the limit keeps the total.
    const availableInOrder = after.items.map((i) => i.available);
    expect(availableInOrder).toEqual([...availableInOrder].sort((a, b) => a - b));
    const first = await lowStock(db, 1);
    expect(first.items).toHaveLength(1);
    expect(first.total).toBe(after.total);

    // The products list's "Low stock only" filter is the same definition the dashboard links to.
    const listed = await listProducts(db, { lowStock: true, q: tag });
    expect(listed.total).toBe(2);
    // Equal availability: the list breaks the tie by id, so compare in SKU order.
    expect(listed.rows.map((r) => [r.sku, r.stock.status, r.stock.available]).sort()).toEqual([
      [`${tag}-BELOW`, "low", 4],
      [`${tag}-RES`, "low", 4],
    ]);
    const unfiltered = await listProducts(db, { q: tag, status: "all" });
    expect(unfiltered.total).toBe(5);
    expect(unfiltered.rows.find((r) => r.id === atPoint)?.stock.status).toBe("in_stock");
    expect(unfiltered.rows.find((r) => r.id === noPoint)?.stock.status).toBe("out");
  });
});

describe("admin dashboard", () => {
  it("counts active users by role, companies, and denied attempts in the 24 hours before the clock", async () => {
    const clock = sellerClock();
    const before = await adminDashboardData(db, clock);
    const [company] = await rows<{ id: string }>(sql`insert into companies (name, currency, active) values (${testKey("Admin dash")}, 'EUR', false) returning id`);
    for (const [role, active] of [["customer_admin", true], ["customer_admin", true], ["buyer", true], ["buyer", false]] as const) {
      await rows(sql`insert into users (email, name, password_hash, role, company_id, active) values (${uniqueEmail("dash")}, 'Dash', 'x', ${role}, ${company!.id}, ${active})`);
    }
    // Two refused actions: a buyer may not create products.
    const buyer = await actorByEmail("buyer@acme.test");
    for (let i = 0; i < 2; i++) {
      const refused = await runMutation(createProduct, as(buyer), { sku: testKey("NOPE"), name: "No", category: "No", basePrice: "1.00", taxRate: "0" });
      expect(refused.ok).toBe(false);
    }

    const after = await adminDashboardData(db, { ...clock, now: new Date() });
    const delta = (role: string) => after.users.byRole.find((r) => r.role === role)!.count - before.users.byRole.find((r) => r.role === role)!.count;
    expect(after.users.byRole.map((r) => r.role)).toEqual(["buyer", "customer_admin", "sales", "finance", "admin"]);
    expect([delta("buyer"), delta("customer_admin"), delta("sales"), delta("finance"), delta("admin")]).toEqual([1, 2, 0, 0, 0]);
    expect(after.users.total).toBe(before.users.total + 3);
    expect(after.users.byRole.reduce((n, r) => n + r.count, 0)).toBe(after.users.total);
    expect(after.companies).toEqual({ total: before.companies.total + 1, active: before.companies.active });
    expect(after.deniedAttempts24h).toBe(before.deniedAttempts24h + 2);
    expect(after.lowStock).toEqual(await lowStock(db, 5));

    // A day and an hour later the refusals have left the 24-hour window.
    const later = await adminDashboardData(db, { ...clock, now: new Date(Date.now() + 25 * 3_600_000) });
    expect(later.deniedAttempts24h).toBe(0);
    expect(await activeUsersByRole(db)).toEqual(after.users.byRole);
  });
});
