import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { FinanceDashboardData } from "@/db/queries/analytics/finance";
import { FinanceDashboardView } from "./finance-dashboard-view";

const clock = { now: new Date("2026-06-30T10:00:00Z"), timeZone: "Europe/Berlin" };
const buckets = (current: bigint, a: bigint, b: bigint, c: bigint, d: bigint) => ({ current, "1-30": a, "31-60": b, "61-90": c, "90+": d });

const empty: FinanceDashboardData = {
  today: "2026-06-30",
  awaitingVerification: { count: 0, amounts: [], oldestRecordedAt: null },
  bankLines: { unmatched: 0, toConfirm: 0 },
  receivables: [],
  dso: { window: { from: "2026-04-02", to: "2026-06-30" }, windowDays: 90, figures: [] },
  collected: { thisMonth: { from: "2026-06-01", to: "2026-06-30" }, lastMonth: { from: "2026-05-01", to: "2026-05-31" }, amounts: [] },
  creditUtilisation: { thresholdPercent: 80, total: 0, companies: [] },
};

const full: FinanceDashboardData = {
  ...empty,
  awaitingVerification: { count: 3, amounts: [{ currency: "EUR", minor: 12_345n }, { currency: "USD", minor: 700n }], oldestRecordedAt: new Date("2026-06-27T08:00:00Z") },
  bankLines: { unmatched: 2, toConfirm: 1 },
  receivables: [
    { currency: "EUR", buckets: buckets(100n, 600n, 0n, 0n, 10_000n), invoices: { current: 1, "1-30": 2, "31-60": 0, "61-90": 0, "90+": 1 }, overdueMinor: 10_600n, totalMinor: 10_700n },
  ],
  dso: { ...empty.dso, figures: [{ currency: "EUR", outstandingMinor: 10_700n, invoicedMinor: 0n, days: null }, { currency: "USD", outstandingMinor: 4_000n, invoicedMinor: 5_000n, days: 72 }] },
  collected: { ...empty.collected, amounts: [{ currency: "EUR", thisMonthMinor: 2_800n, lastMonthMinor: 1_400n }] },
  creditUtilisation: {
    thresholdPercent: 80,
    total: 1,
    companies: [{ companyId: "0b5c7c55-9a43-4c3b-9d53-8e0f1f7a6a01", companyName: "Acme", currency: "EUR", exposureMinor: 16_000n, creditLimitMinor: 17_000n, utilisationPercent: 94.1 }],
  },
};

const render = (data: FinanceDashboardData) => renderToStaticMarkup(createElement(FinanceDashboardView, { data, clock }));
const hrefs = (html: string) => [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));

describe("FinanceDashboardView", () => {
  it("shows each figure, formatted, linking to the filtered list behind it", () => {
    const html = render(full);
    expect(html).toContain('<h2 id="finance-heading"');
    expect(html).toContain(">Finance</h2>");
    expect(html).toContain('data-testid="finance-awaiting-verification">3<');
    expect(html).toContain("€123.45");
    expect(html).toContain("US$7.00");
    expect(html).toContain("(3 days waiting)");
    expect(html).toContain("€28.00"); // collected this month
    expect(html).toContain("€14.00"); // last month
    expect(html).toContain("94.1 %");
    expect(html).toContain("72.0");
    expect(html).toContain("— (nothing invoiced)");
    expect(hrefs(html)).toEqual([
      "/admin/payments?status=pending_verification",
      "/admin/payments/reconciliation?status=suggested",
      "/admin/payments/reconciliation?status=unmatched",
      "/admin/payments?status=verified",
      "/admin/payments/ageing?bucket=current",
      "/admin/payments/ageing?bucket=1-30",
      "/admin/payments/ageing?bucket=90%2B",
      "/admin/payments/ageing?bucket=overdue",
      "/admin/customers/0b5c7c55-9a43-4c3b-9d53-8e0f1f7a6a01",
    ]);
  });

  it("says what will appear and why when there is nothing yet, with no table of zeros", () => {
    const html = render(empty);
    expect(html).not.toContain("<table");
    expect(html).toContain("Remittances that customers record wait here until finance verifies or rejects them.");
    expect(html).toContain("Imported statement lines that no invoice matched wait here for a decision.");
    expect(html).toContain("Verified payments appear here by the date they were paid.");
    expect(html).toContain("Issued invoices that are not yet fully paid appear here by how many days they are past their due date.");
    expect(html).toContain("invoiced over the last 90 days");
    expect(html).toContain("reach 80 % of its credit limit. Companies without a limit are not listed.");
    // The queues still link to their lists, where new work will arrive.
    expect(hrefs(html)).toEqual(["/admin/payments?status=pending_verification", "/admin/payments/reconciliation?status=unmatched", "/admin/payments?status=verified"]);
  });
});
