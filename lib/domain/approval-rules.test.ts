import { describe, expect, it } from "vitest";
import { approvalStepFor, sellerApprovalPlan, spendingLimitCheck } from "./approval-rules";

const format = (m: bigint) => `€${Number(m) / 100}`;

describe("approval rules", () => {
  it("asks finance for large orders and for orders beyond the credit limit", () => {
    expect(sellerApprovalPlan({ totalMinor: 50_000n, financeThresholdMinor: 1_000_000n, creditLimitMinor: 5_000_000n, exposureMinor: 0n, format }).steps).toEqual(["sales"]);
    expect(sellerApprovalPlan({ totalMinor: 1_000_000n, financeThresholdMinor: 1_000_000n, creditLimitMinor: 5_000_000n, exposureMinor: 0n, format })).toEqual({
      steps: ["sales", "finance"],
      reasons: ["Every order needs a sales approval.", "Finance approval: the total €10000 is at or above the €10000 threshold."],
    });
    expect(sellerApprovalPlan({ totalMinor: 60_000n, financeThresholdMinor: 1_000_000n, creditLimitMinor: 100_000n, exposureMinor: 50_000n, format }).reasons[1]).toBe(
      "Finance approval: unpaid invoices and orders awaiting approval of €500 plus this order would exceed the credit limit of €1000.",
    );
  });

  it("checks per-order and monthly spending limits", () => {
    expect(spendingLimitCheck({ totalMinor: 10_001n, orderLimitMinor: 10_000n, monthlyLimitMinor: null, spentThisMonthMinor: 0n, format }).overLimit).toBe(true);
    expect(spendingLimitCheck({ totalMinor: 10_000n, orderLimitMinor: 10_000n, monthlyLimitMinor: null, spentThisMonthMinor: 0n, format }).overLimit).toBe(false);
    expect(spendingLimitCheck({ totalMinor: 5_000n, orderLimitMinor: null, monthlyLimitMinor: 20_000n, spentThisMonthMinor: 16_000n, format }).reason).toMatch(/monthly limit of €200/);
  });

  it("gives each role its step and refuses a second approval by the same person", () => {
    expect(approvalStepFor("sales", ["sales", "finance"], [], "u1")).toEqual({ step: "sales" });
    expect(approvalStepFor("admin", ["sales", "finance"], [{ step: "sales", approverId: "u1" }], "u2")).toEqual({ step: "finance" });
    expect(approvalStepFor("admin", ["sales", "finance"], [{ step: "sales", approverId: "u1" }], "u1")).toEqual({ error: expect.stringMatching(/already approved/) });
    expect(approvalStepFor("finance", ["sales"], [], "u3")).toEqual({ error: "This order is waiting for a sales approval, which your role cannot give." });
    expect(approvalStepFor("sales", ["sales"], [{ step: "sales", approverId: "u1" }], "u4")).toEqual({ error: "All approvals for this order have been given." });
  });
});
