import { describe, expect, it } from "vitest";
import { convertedTotalText } from "./converted-total";

describe("convertedTotalText", () => {
  it("says nothing while every document is in the base currency", () => {
    expect(convertedTotalText({ currency: "EUR", minor: 1999n, documents: 1, notConverted: [], currencies: ["EUR"] })).toBeNull();
    expect(convertedTotalText({ currency: "EUR", minor: 0n, documents: 0, notConverted: [], currencies: [] })).toBeNull();
  });

  it("labels the total as converted and names the documents without a rate", () => {
    expect(convertedTotalText({ currency: "EUR", minor: 1654200n, documents: 3, notConverted: [], currencies: ["CHF", "EUR", "USD"] })).toBe(
      "≈ €16,542.00 total, converted at the documents' rates.",
    );
    expect(
      convertedTotalText({ currency: "EUR", minor: 16542n, documents: 3, notConverted: [{ currency: "USD", documents: 1, minor: 2000n }], currencies: ["CHF", "EUR", "USD"] }),
    ).toBe("≈ €165.42 total, converted at the documents' rates; not included: 1 USD document (US$20.00) without an exchange rate.");
  });
});

describe("the finance dashboard shows the converted totals under the per-currency figures", () => {
  it("invoiced, collected and outstanding, each with its own line", async () => {
    const { createElement } = await import("react");
    const { renderToStaticMarkup } = await import("react-dom/server");
    const { FinanceDashboardView } = await import("./finance-dashboard-view");
    const month = { thisMonth: { from: "2026-06-01", to: "2026-06-30" }, lastMonth: { from: "2026-05-01", to: "2026-05-31" } };
    const total = (minor: bigint, missing = 0) => ({
      currency: "EUR",
      minor,
      documents: 3,
      notConverted: missing ? [{ currency: "USD", documents: missing, minor: 2165n }] : [],
      currencies: ["CHF", "EUR", "USD"],
    });
    const data = {
      today: "2026-06-30",
      awaitingVerification: { count: 0, amounts: [], oldestRecordedAt: null },
      bankLines: { unmatched: 0, toConfirm: 0 },
      receivables: [],
      dso: { window: { from: "2026-04-02", to: "2026-06-30" }, windowDays: 90, figures: [] },
      collected: { ...month, amounts: [{ currency: "USD", thisMonthMinor: 1000n, lastMonthMinor: 0n }] },
      invoiced: { ...month, amounts: [{ currency: "CHF", thisMonthMinor: 1882n, lastMonthMinor: 0n }, { currency: "EUR", thisMonthMinor: 1999n, lastMonthMinor: 0n }] },
      creditUtilisation: { thresholdPercent: 80, total: 0, companies: [] },
    };
    const converted = {
      invoicedThisMonth: total(5997n, 1),
      invoicedLastMonth: total(0n),
      invoicedWindow: total(5997n, 1),
      window: { from: "2026-04-02", to: "2026-06-30" },
      outstanding: total(1076n),
      collectedThisMonth: total(4921n),
      collectedLastMonth: total(0n),
    };
    const html = renderToStaticMarkup(createElement(FinanceDashboardView, { data, clock: { now: new Date("2026-06-30T10:00:00Z"), timeZone: "Europe/Berlin" }, converted }));
    const line = (testId: string) => new RegExp(`data-testid="${testId}">([^<]*)<`).exec(html)?.[1]?.replaceAll("&#x27;", "'");
    expect(line("finance-invoiced-this-month-converted")).toBe("≈ €59.97 total, converted at the documents' rates; not included: 1 USD document (US$21.65) without an exchange rate.");
    expect(line("finance-collected-this-month-converted")).toBe("≈ €49.21 total, converted at the documents' rates.");
    expect(line("finance-outstanding-converted")).toBe("≈ €10.76 total, converted at the documents' rates.");
    expect(line("finance-invoiced-window-converted")).toBe("≈ €59.97 total, converted at the documents' rates; not included: 1 USD document (US$21.65) without an exchange rate.");
  });
});
