import { describe, expect, it } from "vitest";
import { returnCredit } from "./returns";

describe("returnCredit", () => {
  it("credits pro rata, half up", () => {
    expect(returnCredit({ quantity: 4, netMinor: 1000n, taxMinor: 190n }, { quantity: 0, netMinor: 0n, taxMinor: 0n }, 1)).toEqual({ netMinor: 250n, taxMinor: 48n, totalMinor: 298n });
  });
  it("adds up to the line exactly over several returns (never more)", () => {
    const line = { quantity: 2, netMinor: 101n, taxMinor: 19n };
    const first = returnCredit(line, { quantity: 0, netMinor: 0n, taxMinor: 0n }, 1);
    expect(first).toEqual({ netMinor: 51n, taxMinor: 10n, totalMinor: 61n });
    const second = returnCredit(line, { quantity: 1, netMinor: first.netMinor, taxMinor: first.taxMinor }, 1);
    expect(second).toEqual({ netMinor: 50n, taxMinor: 9n, totalMinor: 59n });
    expect(first.totalMinor + second.totalMinor).toBe(120n);
  });
  it("refuses more than invoiced", () => {
    expect(() => returnCredit({ quantity: 2, netMinor: 100n, taxMinor: 0n }, { quantity: 2, netMinor: 100n, taxMinor: 0n }, 1)).toThrow(/exceeds/);
  });
});
