import { describe, expect, it } from "vitest";
import { dunningStage, isFinalDunningStage, kindsForRole, MANDATORY_EMAIL_KINDS, NOTIFICATION_KINDS, SECURITY_KINDS, wantsEmail } from "./kinds";

describe("notification kinds", () => {
  it("emails by default, honours an opt-out, and never lets approval mails be turned off", () => {
    expect(wantsEmail("invoice_issued", undefined)).toBe(true);
    expect(wantsEmail("invoice_issued", true)).toBe(true);
    expect(wantsEmail("invoice_issued", false)).toBe(false);
    expect(wantsEmail("approval_needed", false)).toBe(true);
    expect(MANDATORY_EMAIL_KINDS).toEqual(["approval_needed", "password_changed", "sessions_ended", "api_key_created"]);
    for (const kind of SECURITY_KINDS) expect(wantsEmail(kind, false)).toBe(true);
  });

  it("offers each role the kinds it can receive, and every kind reaches some role", () => {
    expect(kindsForRole("sales")).toEqual(["approval_needed", "return_requested", "low_stock", ...SECURITY_KINDS]);
    expect(kindsForRole("admin")).toEqual(["low_stock", ...SECURITY_KINDS]);
    expect(kindsForRole("buyer")).toEqual(expect.arrayContaining(["invoice_overdue", "quotation_expiring"]));
    expect(kindsForRole("buyer")).not.toContain("low_stock");
    expect(kindsForRole("finance")).toEqual(["approval_needed", "payment_recorded", ...SECURITY_KINDS]);
    for (const role of ["buyer", "customer_admin", "sales", "finance", "admin"] as const) expect(kindsForRole(role)).toEqual(expect.arrayContaining([...SECURITY_KINDS]));
    expect(kindsForRole("buyer")).not.toContain("approval_needed");
    // Returns: sales hear of a request; the customer side of its decision and receipt.
    for (const role of ["buyer", "customer_admin"] as const) expect(kindsForRole(role)).toEqual(expect.arrayContaining(["return_approved", "return_rejected", "return_received"]));
    for (const role of ["buyer", "customer_admin", "finance", "admin"] as const) expect(kindsForRole(role)).not.toContain("return_requested");
    const reached = new Set((["buyer", "customer_admin", "sales", "finance", "admin"] as const).flatMap(kindsForRole));
    expect([...reached].sort()).toEqual([...NOTIFICATION_KINDS].sort());
  });
});

describe("dunning stages", () => {
  it("reaches stage 1 the day after the due date, 2 after a week, 3 (the last) after 21 days", () => {
    expect([0, 1, 6, 7, 10, 20, 21, 400].map(dunningStage)).toEqual([0, 1, 1, 2, 2, 2, 3, 3]);
    expect(isFinalDunningStage(3)).toBe(true);
    expect(isFinalDunningStage(2)).toBe(false);
  });
});
