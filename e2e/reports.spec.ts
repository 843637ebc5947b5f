import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { createCompany, createProduct, labelled, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { sellerDay, storageState, waitForHydration } from "./fixtures";

test.use({ storageState: storageState("admin") });

/** The table's body rows as text, cell by cell (the row header included). */
async function tableRows(page: Page): Promise<string[][]> {
  return page.getByTestId("report-row").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent?.trim() ?? "")));
}

/** "€1,234.50" → "1234.50"; other cells as they are. */
const plain = (cell: string) => (/^-?€/.test(cell) ? cell.replace(/[€,]/g, "") : cell);

test("a report shows a company's invoiced order as chart and table, the CSV matches the table, and the chart neither shifts nor overflows at 375 px", async ({ page, browser, baseURL }) => {
  test.slow(); // a journey through the pages: company, product, buyer, quotation, approval
  const id = uid();
  const companyName = `Report Co ${id}`;
  const companyId = await createCompany(page, companyName);
  const sku = `REP-${id}`;
  const productId = await createProduct(page, { sku, name: `Report widget ${id}`, basePrice: "12.50", taxRate: "0" });
  await receiveStock(page, productId, 10);
  const buyer = await openAsNewBuyer(browser, baseURL, page, companyName);
  const sales = await openAs(browser, baseURL, "sales");
  const finance = await openAs(browser, baseURL, "finance");
  try {
    const b = buyer.page;
    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId("cart-total")).toHaveText("€25.00");
    await b.getByRole("button", { name: "Request quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
    await b.getByRole("button", { name: "Accept quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");
    await visit(sales.page, `/admin/orders/${orderId}`);
    await sales.page.getByRole("button", { name: "Approve order" }).click();
    // A new company has no credit limit, so finance approves as well.
    await expect(sales.page.getByText("Your sales approval is recorded. The order still needs the finance approval.")).toBeVisible();
    await visit(finance.page, `/admin/orders/${orderId}`);
    await finance.page.getByRole("button", { name: "Approve order" }).click();
    await expect(finance.page.getByTestId("order-status")).toHaveText("Approved and invoiced");

    // From the navigation to the index to the report.
    await visit(page, "/admin");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Reports" })).toBeVisible();
    await page.getByRole("link", { name: "Revenue by product" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Revenue by product" })).toBeVisible();
    await waitForHydration(page);

    // Choose the company in the form: its one product, invoiced 2 × €12.50.
    const form = page.getByRole("search", { name: "Report options" });
    await labelled(form, "Company").selectOption(companyId);
    await form.getByRole("button", { name: "Show report" }).click();
    await expect(page).toHaveURL((u) => u.searchParams.get("company") === companyId && u.searchParams.get("to") === sellerDay());
    const table = page.getByRole("table", { name: new RegExp(`^Revenue by product: .*${companyName}, amounts in EUR$`) });
    await expect(table).toBeVisible();
    await expect(table.locator("thead th")).toHaveText(["SKU", "Product", "Category", "Quantity", "Invoiced"]);
    expect(await tableRows(page)).toEqual([[sku, `Report widget ${id}`, "E2E Test Products", "2", "€25.00"]]);
    await expect(page.getByRole("img", { name: /^Invoiced by product, top 1 \(EUR\)\. Bar chart of Invoiced by product \(sku\)/ })).toBeVisible();

    // Revenue by month for the company: booked = invoiced = €25.00 this month, nothing collected yet.
    await visit(page, `/admin/reports/revenue-by-month?company=${companyId}`);
    const rows = await tableRows(page);
    const month = new Intl.DateTimeFormat("en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${sellerDay().slice(0, 7)}-01T00:00:00Z`));
    expect(rows.filter((r) => r.slice(1).some((c) => c !== "€0.00"))).toEqual([[month, "€25.00", "€25.00", "€0.00"]]);
    expect(rows).toHaveLength(12); // the last twelve months, each listed

    // The CSV of this view: the same rows and columns, amounts as decimals with the currency.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^revenue-by-month-\\d{4}-\\d{2}-01-to-${sellerDay()}-EUR\\.csv$`));
    const csv = parse(await readFile((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => [r.month, r.booked, r.invoiced, r.collected])).toEqual(rows.map((r) => r.map(plain)));
    expect(new Set(csv.map((r) => r.currency))).toEqual(new Set(["EUR"]));

    // A bad date: the message is next to the field, the report shows the default range meanwhile.
    await visit(page, `/admin/reports/revenue-by-month?company=${companyId}&from=2026-02-30`);
    await expect(page.locator("#field-from-error")).toHaveText("Enter a date as YYYY-MM-DD.");
    await expect(page.getByTestId("report-notice")).toContainText("the report shows the defaults");
    const bad = await page.request.get(`/api/admin/reports/revenue-by-month/csv?from=2026-02-30`);
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: "validation_failed" });
  } finally {
    await Promise.all([buyer.context.close(), sales.context.close(), finance.context.close()]);
  }

  // No layout shift: the chart's box is the same in the server's HTML (before any script) and
  // after hydration, and the page records no layout shift.
  const reportUrl = `/admin/reports/revenue-by-month?company=${companyId}`;
  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 375, height: 812 },
  ]) {
    const { context, page: p } = await openAs(browser, baseURL, "admin");
    try {
      await p.setViewportSize(viewport);
      await p.addInitScript(() => {
        const w = window as unknown as { __shift: number; __before: number[] | null };
        w.__shift = 0;
        w.__before = null;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__shift += e.value;
        }).observe({ type: "layout-shift", buffered: true });
        document.addEventListener("DOMContentLoaded", () => {
          const r = document.querySelector("[data-testid=chart]")?.getBoundingClientRect();
          w.__before = r ? [r.x, r.y, r.width, r.height] : null;
        });
      });
      await p.goto(reportUrl);
      await waitForHydration(p);
      const chart = p.getByTestId("chart");
      await expect(chart).toBeVisible();
      const after = await chart.evaluate((el) => {
        const r = el.getBoundingClientRect();
        return [r.x, r.y, r.width, r.height];
      });
      const before = await p.evaluate(() => (window as unknown as { __before: number[] | null }).__before);
      // The chart's own box is the same size; where it sits may move by a pixel when the web font
      // above it swaps in, which is not the chart's doing (and far below any visible shift).
      expect(before).not.toBeNull();
      expect([before![2], before![3]]).toEqual([after[2], after[3]]);
      expect(Math.abs(before![0]! - after[0]!)).toBeLessThanOrEqual(2);
      expect(Math.abs(before![1]! - after[1]!)).toBeLessThanOrEqual(2);
      const shift = await p.evaluate(() => (window as unknown as { __shift: number }).__shift);
      console.log(`[reports] ${viewport.width} px: chart ${after.map((n) => Math.round(n)).join("×")}, cumulative layout shift ${shift.toFixed(4)}`);
      expect(shift).toBeLessThan(0.01);
      // The y-axis labels are drawn, not clipped away: the point at a label's centre hits the label.
      const label = chart.locator("svg[role=img]:visible .visx-axis-left text").first();
      await label.scrollIntoViewIfNeeded();
      const labelHit = await label.evaluate((text) => {
        const r = text.getBoundingClientRect();
        return text.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2));
      });
      expect(labelHit).toBe(true);
      if (viewport.width === 375) {
        // Fits the phone: no horizontal scroll, and the compact drawing is the one shown.
        expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
        const svg = chart.locator("svg[role=img]:visible");
        await expect(svg).toHaveCount(1);
        await expect(svg).toHaveAttribute("viewBox", "0 0 360 260");
        const box = (await svg.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(375);
      }
    } finally {
      await context.close();
    }
  }
});
