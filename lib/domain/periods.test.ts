import { describe, expect, it } from "vitest";
import { addMonths, lastMonths, monthOf, monthPeriod, monthsOf, parsePeriod, periodInstants, previousMonth, rangeOfDays } from "./periods";

describe("periods", () => {
  it("steps months across years", () => {
    expect(addMonths("2026-01", -1)).toBe("2025-12");
    expect(addMonths("2025-12", 1)).toBe("2026-01");
    expect(addMonths("2026-03", -14)).toBe("2025-01");
    expect(previousMonth("2026-12")).toBe("2026-11");
    expect(monthOf("2026-02-28")).toBe("2026-02");
  });

  it("spans whole months, leap days included", () => {
    expect(monthPeriod("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthPeriod("2026-02")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(monthPeriod("2026-12")).toEqual({ from: "2026-12-01", to: "2026-12-31" });
  });

  it("lists the last n months oldest first, and the months a period touches", () => {
    expect(lastMonths("2026-03-15", 4)).toEqual(["2025-12", "2026-01", "2026-02", "2026-03"]);
    expect(monthsOf({ from: "2025-11-30", to: "2026-01-01" })).toEqual(["2025-11", "2025-12", "2026-01"]);
    expect(rangeOfDays("2026-03-01", 90)).toEqual({ from: "2025-12-02", to: "2026-03-01" });
  });

  it("turns a period into seller-zone instants, daylight saving included", () => {
    const { start, end } = periodInstants({ from: "2026-03-29", to: "2026-03-29" }, "Europe/Berlin");
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z");
  });

  it("parses a period from parameters, naming the field at fault", () => {
    const fallback = { from: "2026-01-01", to: "2026-12-31" };
    expect(parsePeriod({}, fallback)).toEqual({ period: fallback, problems: [] });
    expect(parsePeriod({ from: "2026-06-01" }, fallback)).toEqual({ period: { from: "2026-06-01", to: "2026-12-31" }, problems: [] });
    expect(parsePeriod({ from: "2026-02-30" }, fallback).problems).toEqual([{ field: "from", message: "Enter a date as YYYY-MM-DD." }]);
    expect(parsePeriod({ from: "2026-06-01", to: "2026-05-01" }, fallback)).toEqual({ period: fallback, problems: [{ field: "to", message: "The end date must not be before the start date." }] });
    expect(parsePeriod({ from: "2010-01-01", to: "2026-01-01" }, fallback).problems[0]?.field).toBe("from");
    // 9999-12-31 is a calendar date, but the day after it is not: periodInstants threw (a 500 on /admin/reports/revenue?from=9999-01-01&to=9999-12-31).
    expect(() => periodInstants({ from: "9999-01-01", to: "9999-12-31" }, "Europe/Berlin")).toThrow(RangeError);
    expect(parsePeriod({ from: "9999-01-01", to: "9999-12-31" }, fallback)).toEqual({
      period: fallback,
      problems: [
        { field: "from", message: "Enter a date between 1900 and 2999." },
        { field: "to", message: "Enter a date between 1900 and 2999." },
      ],
    });
    expect(parsePeriod({ from: "2999-01-01", to: "2999-12-31" }, fallback).problems).toEqual([]);
  });
});
