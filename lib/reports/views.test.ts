import { describe, expect, it } from "vitest";
import { csvHeader, csvRecords, formatCell, monthLabel, reportView } from "./views";

describe("report views", () => {
  it("labels months long and short", () => {
    expect(monthLabel("2026-03")).toBe("Mar 2026");
    expect(monthLabel("2026-03", true)).toBe("Mar 26");
  });

  it("gives the table and the CSV the same rows and columns, amounts as decimals with the currency", () => {
    const view = reportView({
      name: "revenue-by-month",
      currencies: ["EUR"],
      currency: "EUR",
      rows: [
        { month: "2026-02", bookedMinor: 0n, invoicedMinor: -700n, collectedMinor: 0n },
        { month: "2026-03", bookedMinor: 123456n, invoicedMinor: 100000n, collectedMinor: 5n },
      ],
    });
    expect(view.columns.map((c) => c.label)).toEqual(["Month", "Booked", "Invoiced", "Collected"]);
    expect(csvHeader(view, true)).toEqual(["key", "month", "booked", "invoiced", "collected", "currency"]);
    expect(csvRecords(view, "EUR", true)).toEqual([
      ["2026-02", "Feb 2026", "0.00", "-7.00", "0.00", "EUR"],
      ["2026-03", "Mar 2026", "1234.56", "1000.00", "0.05", "EUR"],
    ]);
    expect(view.rows.map((r) => formatCell(r.cells.invoiced ?? null, "money", "EUR"))).toEqual(["-€7.00", "€1,000.00"]);
    expect(view.chart.series.map((s) => s.values)).toEqual([
      [0n, 123456n],
      [-700n, 100000n],
      [0n, 5n],
    ]);
  });

  it("cycle times: one row per month and stage, the chart's median per stage with gaps as null", () => {
    const view = reportView({
      name: "approval-cycle-times",
      currencies: [],
      currency: null,
      rows: [
        { month: "2026-02", stage: "sales", orders: 2, medianHours: 1.5, p90Hours: 2.25 },
        { month: "2026-03", stage: "finance", orders: 1, medianHours: 4, p90Hours: 4 },
        { month: "2026-03", stage: "total", orders: 1, medianHours: 10, p90Hours: 10 },
      ],
    });
    expect(csvHeader(view, false)).toEqual(["key", "month", "stage", "orders", "median", "p90"]);
    expect(csvRecords(view, null, false)[0]).toEqual(["2026-02:sales", "Feb 2026", "Sales", "2", "1.50", "2.25"]);
    expect(view.chart.series.map((s) => [s.key, s.values])).toEqual([
      ["sales", [1.5, null]],
      ["finance", [null, 4]],
      ["total", [null, 10]],
    ]);
  });
});
