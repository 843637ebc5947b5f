import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { orders } from "@/db/schema";
import { db } from "@/db/client";
import { DomainError } from "@/lib/domain/errors";
import { nextState, orderEvents, orderStates } from "@/lib/domain/order-state";
import { actorByEmail, request, rows, setupTestDatabase } from "@/lib/testing/helpers";
import { recordAudit } from "@/lib/services/audit";
import { insertOutboxEvent } from "@/db/queries/webhooks";
import { orderReference, transition } from "@/lib/services/orders/common";

setupTestDatabase();

const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(q))[0]!.n;

describe("transition matrix", () => {
  it("applies every allowed (state, event) pair and refuses the rest without persisting anything", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const sales = await actorByEmail("sales@demo.test");
    let allowed = 0;
    let refused = 0;
    for (const state of orderStates) {
      for (const event of orderEvents) {
        const [order] = await db
          .insert(orders)
          .values({ reference: orderReference(), companyId: buyer.companyId!, buyerId: buyer.id, currency: "EUR", status: state })
          .returning();
        const req = request();
        const outcome = await db
          .transaction((tx) => transition({ tx, actor: sales, audit: (e) => recordAudit(tx, { actor: sales, request: req }, e), emit: async (e) => void (await insertOutboxEvent(tx, e)) }, order!, event))
          .then((o) => o.status, (e: unknown) => e);
        const [after] = await db.select().from(orders).where(eq(orders.id, order!.id));
        const expected = nextState(state, event);
        const events = await count(sql`select count(*)::int as n from order_events where order_id = ${order!.id}`);
        const audits = await count(sql`select count(*)::int as n from audit_events where request_id = ${req.requestId}`);
        if (expected) {
          allowed++;
          expect(outcome, `${state} --${event}-->`).toBe(expected);
          expect([after!.status, after!.version, events, audits]).toEqual([expected, 2, 1, 1]);
        } else {
          refused++;
          expect(outcome, `${state} --${event}--> should be refused`).toBeInstanceOf(DomainError);
          expect([after!.status, after!.version, events, audits]).toEqual([state, 1, 0, 0]);
          // A buyer has one cart (draft) at a time: clear the refused draft for the next pair.
          if (state === "draft") await db.delete(orders).where(eq(orders.id, order!.id));
        }
      }
    }
    expect([allowed, refused]).toEqual([21, orderStates.length * orderEvents.length - 21]);
  });

  it("has the database refuse an illegal status change made directly", async () => {
    const buyer = await actorByEmail("buyer@acme.test");
    const legal: string[] = [];
    for (const from of orderStates) {
      for (const to of orderStates) {
        if (from === to) continue;
        const [order] = await db
          .insert(orders)
          .values({ reference: orderReference(), companyId: buyer.companyId!, buyerId: buyer.id, currency: "EUR", status: from })
          .returning();
        const ok = await db.execute(sql`update orders set status = ${to} where id = ${order!.id}`).then(() => true, () => false);
        if (ok) legal.push(`${from}>${to}`);
        else if (from === "draft") await db.delete(orders).where(eq(orders.id, order!.id));
      }
    }
    // Exactly the state machine's moves (minus self-moves such as revise, which keep the status).
    const machine = new Set<string>();
    for (const s of orderStates) for (const e of orderEvents) {
      const n = nextState(s, e);
      if (n && n !== s) machine.add(`${s}>${n}`);
    }
    expect(legal.sort()).toEqual([...machine].sort());
  });
});
