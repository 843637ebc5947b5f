import "server-only";
import type { Tx } from "@/db/client";
import { addRequisitionListQuantity, insertRequisitionList, requisitionListOptions } from "@/db/queries/lists";
import { productsBySku } from "@/db/queries/products";
import { recordAudit } from "./audit";
import { demoProducts } from "./seed-catalog";

// Requisition lists for the demo: each demo company gets two, made of catalogue products with
// ample stock at quantities their ordering rules accept, so "Add all to cart" works at once.

const plans: Record<string, { name: string; picks: number[] }[]> = {
  "Acme Industrial Supply": [
    { name: "Weekly workshop restock", picks: [0, 3, 7] },
    { name: "Safety supplies", picks: [12, 15] },
  ],
  "Globex Manufacturing": [
    { name: "Lyon plant consumables", picks: [5, 9, 20] },
    { name: "Monthly maintenance", picks: [25, 30] },
  ],
};

/** Adds the demo lists to companies that have none; running it again changes nothing. */
export async function seedDemoLists(tx: Tx, companyIds: Map<string, string>): Promise<number> {
  const items = demoProducts().filter((p) => p.onHand >= 300);
  const bySku = await productsBySku(tx, items.map((p) => p.sku));
  let created = 0;
  for (const [companyName, lists] of Object.entries(plans)) {
    const companyId = companyIds.get(companyName);
    if (!companyId || (await requisitionListOptions(tx, companyId)).length > 0) continue;
    for (const plan of lists) {
      const list = await insertRequisitionList(tx, { companyId, name: plan.name, createdBy: null });
      const lines: { sku: string; quantity: number }[] = [];
      for (const pick of plan.picks) {
        const item = items[pick % items.length]!;
        const product = bySku.get(item.sku.toLowerCase());
        if (!product || product.archivedAt) continue;
        const quantity = Math.max(item.minOrderQuantity, item.orderMultiple) * 2;
        await addRequisitionListQuantity(tx, { listId: list.id, productId: product.id, quantity });
        lines.push({ sku: product.sku, quantity });
      }
      await recordAudit(tx, { actor: "system", request: null }, { action: "list.create", entityType: "requisition_list", entityId: list.id, companyId, after: { name: list.name, lines } });
      created++;
    }
  }
  return created;
}
