import { describe, expect, it } from "vitest";
import { defaultReportPeriod, parseReportQuery } from "./params";

const today = "2026-12-04";

describe("report parameters", () => {
  it("defaults to the last twelve months, every company, the most used currency", () => {
    expect(defaultReportPeriod(today)).toEqual({ from: "2026-01-01", to: today });
    expect(parseReportQuery({}, today)).toEqual({ query: { period: { from: "2026-01-01", to: today }, companyId: null, currency: null }, problems: [] });
  });

  it("takes a valid range, company and currency (lower-case code upper-cased)", () => {
    const id = "0b6f3f0e-9c1a-4c55-8d1e-2f1f2a3b4c5d";
    expect(parseReportQuery({ from: "2025-03-01", to: "2025-05-31", company: id.toUpperCase(), currency: "jpy" }, today)).toEqual({
      query: { period: { from: "2025-03-01", to: "2025-05-31" }, companyId: id, currency: "JPY" },
      problems: [],
    });
  });

  it("names each refused value and falls back to its default", () => {
    const { query, problems } = parseReportQuery({ from: "2026-13-01", company: "acme", currency: "euro" }, today);
    expect(query).toEqual({ period: { from: "2026-01-01", to: today }, companyId: null, currency: null });
    expect(problems.map((p) => p.field)).toEqual(["from", "company", "currency"]);
    expect(parseReportQuery({ from: "2026-05-01", to: "2026-04-01" }, today).problems).toEqual([{ field: "to", message: "The end date must not be before the start date." }]);
    expect(parseReportQuery({ from: "x".repeat(100) }, today).problems).toEqual([{ field: "from", message: "This value is too long." }]);
    // A repeated parameter: the first value counts.
    expect(parseReportQuery({ currency: ["USD", "EUR"] }, today).query.currency).toBe("USD");
  });
});
