import { describe, expect, it } from "vitest";
import { canTransition, nextState, orderEvents, orderStates } from "./order-state";

describe("order state machine", () => {
  it("allows exactly the listed transitions", () => {
    const allowed: string[] = [];
    for (const s of orderStates) for (const e of orderEvents) {
      const to = nextState(s, e);
      if (to) allowed.push(`${s} --${e}--> ${to}`);
    }
    expect(allowed).toEqual([
      "draft --submit--> quoted",
      "quoted --revise--> quoted",
      "quoted --accept--> awaiting_seller_approval",
      "quoted --accept_over_limit--> awaiting_customer_approval",
      "quoted --decline--> declined",
      "quoted --expire--> expired",
      "quoted --cancel_by_customer--> cancelled",
      "quoted --cancel_by_staff--> cancelled",
      "awaiting_customer_approval --customer_approve--> awaiting_seller_approval",
      "awaiting_customer_approval --customer_reject--> rejected",
      "awaiting_customer_approval --cancel_by_customer--> cancelled",
      "awaiting_customer_approval --cancel_by_staff--> cancelled",
      "awaiting_seller_approval --seller_approve--> awaiting_seller_approval",
      "awaiting_seller_approval --final_approve--> approved",
      "awaiting_seller_approval --reject--> rejected",
      "awaiting_seller_approval --cancel_by_customer--> cancelled",
      "awaiting_seller_approval --cancel_by_staff--> cancelled",
      "approved --ship--> shipped",
      "approved --cancel_by_staff--> cancelled",
      "shipped --deliver--> delivered",
      "delivered --complete--> completed",
    ]);
  });

  it("has no way out of a final state", () => {
    for (const s of ["completed", "declined", "expired", "rejected", "cancelled"] as const) {
      for (const e of orderEvents) expect(nextState(s, e)).toBeNull();
    }
  });
});

describe("canTransition", () => {
  it("offers cancelling to the customer before approval and to staff until shipment", () => {
    const by = (e: "cancel_by_customer" | "cancel_by_staff") => orderStates.filter((s) => canTransition(s, e));
    expect(by("cancel_by_customer")).toEqual(["quoted", "awaiting_customer_approval", "awaiting_seller_approval"]);
    expect(by("cancel_by_staff")).toEqual(["quoted", "awaiting_customer_approval", "awaiting_seller_approval", "approved"]);
  });

  it("agrees with nextState for every pair", () => {
    for (const s of orderStates) for (const e of orderEvents) expect(canTransition(s, e)).toBe(nextState(s, e) !== null);
  });
});
