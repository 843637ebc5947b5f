import { describe, expect, it } from "vitest";
import { hasData, labelStep, plotNumber, tickLabel, yDomain } from "./chart-math";

describe("chart math", () => {
  it("plots money in major units of its currency, counts as they are", () => {
    expect(plotNumber(123456n, { kind: "money", currency: "EUR" })).toBe(1234.56);
    expect(plotNumber(5500n, { kind: "money", currency: "JPY" })).toBe(5500);
    expect(plotNumber(-700n, { kind: "money", currency: "EUR" })).toBe(-7);
    expect(plotNumber(null, { kind: "count" })).toBeNull();
    expect(plotNumber(3, { kind: "count" })).toBe(3);
  });

  it("keeps zero in the y domain, pads 5 %, and has a unit domain when everything is zero", () => {
    expect(yDomain([10, 20, null])).toEqual([0, 21]);
    expect(yDomain([-10, 10])).toEqual([-11, 11]);
    expect(yDomain([-4])).toEqual([-4.2, 0]);
    expect(yDomain([0, null])).toEqual([0, 1]);
  });

  it("has data only when some value is neither missing nor zero", () => {
    expect(hasData([{ values: [0n, null, 0] }])).toBe(false);
    expect(hasData([{ values: [0n] }, { values: [null, -1n] }])).toBe(true);
    expect(hasData([])).toBe(false);
  });

  it("prints every n-th category label so at most maxLabels show", () => {
    expect(labelStep(12, 12)).toBe(1);
    expect(labelStep(12, 6)).toBe(2);
    expect(labelStep(13, 6)).toBe(3);
    expect(labelStep(3, 6)).toBe(1);
  });

  it("writes short tick labels", () => {
    expect(tickLabel(12500, { kind: "money", currency: "EUR" })).toBe("€12.5k");
    expect(tickLabel(25, { kind: "money", currency: "EUR" })).toBe("€25");
    expect(tickLabel(3, { kind: "count" })).toBe("3");
    expect(tickLabel(1.25, { kind: "hours" })).toBe("1.3 h");
  });
});
