import { describe, expect, it } from "vitest";
import { canTransition, closedStates, effectiveStatus, isExpiryDue, isQuotationExpired, nextState, openStates, orderEvents, orderStates } from "./order-state";

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


  it("lets the customer cancel until seller approval, and the staff also once approved", () => {
    expect(orderStates.filter((s) => canTransition(s, "cancel_by_customer"))).toEqual(["quoted", "awaiting_customer_approval", "awaiting_seller_approval"]);
    expect(orderStates.filter((s) => canTransition(s, "cancel_by_staff"))).toEqual(["quoted", "awaiting_customer_approval", "awaiting_seller_approval", "approved"]);
  });

  it("splits every submitted state into exactly one of open and closed", () => {
    expect([...openStates, ...closedStates].sort()).toEqual(orderStates.filter((s) => s !== "draft").sort());
  });
});

describe("quotation expiry", () => {
  const validUntil = new Date("2026-03-31T21:59:59.999Z");

  it("is valid up to and including validUntil, expired from the next millisecond", () => {
    expect(isQuotationExpired(validUntil, new Date("2026-03-31T21:59:59.999Z"))).toBe(false);
    expect(isQuotationExpired(validUntil, new Date("2026-03-31T22:00:00.000Z"))).toBe(true);
    expect(isQuotationExpired(validUntil, new Date("2026-03-01T00:00:00.000Z"))).toBe(false);
  });

  it("makes only a quoted order read as expired", () => {
    const after = new Date("2026-04-01T00:00:00Z");
    expect(effectiveStatus("quoted", validUntil, after)).toBe("expired");
    expect(effectiveStatus("quoted", validUntil, new Date("2026-03-31T00:00:00Z"))).toBe("quoted");
    expect(effectiveStatus("quoted", null, after)).toBe("quoted");
    // Once accepted, the quotation's validity no longer matters.
    expect(effectiveStatus("awaiting_seller_approval", validUntil, after)).toBe("awaiting_seller_approval");
    expect(effectiveStatus("expired", validUntil, after)).toBe("expired");
  });

  it("is due to move only from quoted", () => {
    const after = new Date("2026-04-01T00:00:00Z");
    expect(isExpiryDue("quoted", validUntil, after)).toBe(true);
    expect(isExpiryDue("expired", validUntil, after)).toBe(false);
    expect(isExpiryDue("approved", validUntil, after)).toBe(false);
    expect(isExpiryDue("quoted", validUntil, new Date("2026-03-31T12:00:00Z"))).toBe(false);
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
