import "server-only";
import { and, count, eq } from "drizzle-orm";
import { cartLines, orders } from "@/db/schema";
import type { DbOrTx } from "@/db/client";
import type { Actor } from "@/lib/domain/actor";

/**
 * How many products the actor's own cart holds, for the navigation on every portal page: one
 * indexed count (the one-draft-per-buyer index), without the prices and rules getCart works out.
 */
export async function countCartProducts(db: DbOrTx, actor: Actor): Promise<number> {
  if (!actor.companyId) return 0;
  const [row] = await db
    .select({ products: count() })
    .from(cartLines)
    .innerJoin(orders, eq(orders.id, cartLines.orderId))
    .where(and(eq(orders.buyerId, actor.id), eq(orders.companyId, actor.companyId), eq(orders.status, "draft")));
  return row?.products ?? 0;
}
