// Who must approve an order, and why: one module for the customer-side spending limits and the
// seller-side approval rules.

export type SpendingCheck = { overLimit: boolean; reason: string | null };

/** A buyer's order above their per-order or monthly limit needs their company admin's approval. */
export function spendingLimitCheck(args: {
  totalMinor: bigint;
  orderLimitMinor: bigint | null;
  monthlyLimitMinor: bigint | null;
  spentThisMonthMinor: bigint;
  format: (minor: bigint) => string;
}): SpendingCheck {
  const { totalMinor, orderLimitMinor, monthlyLimitMinor, spentThisMonthMinor, format } = args;
  if (orderLimitMinor !== null && totalMinor > orderLimitMinor) {
    return { overLimit: true, reason: `The total ${format(totalMinor)} is above the buyer's per-order limit of ${format(orderLimitMinor)}.` };
  }
  if (monthlyLimitMinor !== null && spentThisMonthMinor + totalMinor > monthlyLimitMinor) {
    return {
      overLimit: true,
      reason: `With this order the buyer's spending this month would be ${format(spentThisMonthMinor + totalMinor)}, above the monthly limit of ${format(monthlyLimitMinor)}.`,
    };
  }
  return { overLimit: false, reason: null };
}

export type SellerApprovalPlan = { steps: ("sales" | "finance")[]; reasons: string[] };

/** Every order needs sales approval; large orders and orders beyond the credit limit also finance. */
export function sellerApprovalPlan(args: {
  totalMinor: bigint;
  financeThresholdMinor: bigint;
  creditLimitMinor: bigint;
  exposureMinor: bigint;
  format: (minor: bigint) => string;
}): SellerApprovalPlan {
  const { totalMinor, financeThresholdMinor, creditLimitMinor, exposureMinor, format } = args;
  const reasons = ["Every order needs a sales approval."];
  let finance = false;
  if (totalMinor >= financeThresholdMinor) {
    finance = true;
    reasons.push(`Finance approval: the total ${format(totalMinor)} is at or above the ${format(financeThresholdMinor)} threshold.`);
  }
  if (exposureMinor + totalMinor > creditLimitMinor) {
    finance = true;
    reasons.push(
      `Finance approval: unpaid invoices and orders awaiting approval of ${format(exposureMinor)} plus this order would exceed the credit limit of ${format(creditLimitMinor)}.`,
    );
  }
  return { steps: finance ? ["sales", "finance"] : ["sales"], reasons };
}

/** Which outstanding step a staff member's approval fills, or why it cannot. */
export function approvalStepFor(
  role: string,
  required: readonly ("sales" | "finance")[],
  given: readonly { step: string; approverId: string }[],
  actorId: string,
): { step: "sales" | "finance" } | { error: string } {
  if (given.some((g) => g.approverId === actorId)) {
    return { error: "You have already approved this order; another person must give the remaining approval." };
  }
  const outstanding = required.filter((s) => !given.some((g) => g.step === s));
  if (outstanding.length === 0) return { error: "All approvals for this order have been given." };
  const candidates = role === "admin" ? outstanding : outstanding.filter((s) => s === role);
  const step = candidates[0];
  if (!step) {
    return { error: `This order is waiting for a ${outstanding.join(" and ")} approval, which your role cannot give.` };
  }
  return { step };
}
