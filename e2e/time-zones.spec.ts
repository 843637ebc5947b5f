import { expect, test, type Locator } from "@playwright/test";
import { createCompany, createProduct, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { storageState } from "./fixtures";

// One rule for times: a customer reads every time in their company's zone, staff in the seller's
// zone (SELLER_TIME_ZONE, Europe/Berlin by default), and the zone is named, next to the time or in
// the column header. The company here is in Tokyo, eight hours from Berlin, so a page in the wrong
// zone shows another hour (and, late in the day, another date). Expected texts are worked out here
// from each <time datetime> with Intl, not with the app's own formatter.

const CUSTOMER_ZONE = "Asia/Tokyo";
const SELLER_ZONE = "Europe/Berlin";

/** "2026-12-03 14:05": the instant on the zone's wall clock. */
function wallClock(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return `${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")}`;
}

/** Every <time> in `scope` reads its own datetime in `timeZone`, the zone named after it. Returns how many there are. */
async function expectTimesIn(scope: Locator, timeZone: string): Promise<number> {
  const times = await scope.locator("time[datetime]").all();
  for (const t of times) {
    const iso = (await t.getAttribute("datetime"))!;
    await expect(t).toHaveText(`${wallClock(iso, timeZone)} (${timeZone})`);
  }
  return times.length;
}

/** The exact instant a <time> carries (waiting for it like any assertion, not for the whole test's timeout). */
async function instantOf(time: Locator): Promise<string> {
  await expect(time).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  return (await time.getAttribute("datetime"))!;
}

test.describe("time zones", () => {
  test.use({ storageState: storageState("admin") });

  test("a Tokyo buyer reads every time in Tokyo time, staff in the seller's zone, each named", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const companyName = `E2E Tokyo Trading ${id}`;
    await createCompany(admin, companyName, { timeZone: CUSTOMER_ZONE });
    const sku = `TZ-${id}`;
    const productId = await createProduct(admin, { sku, name: `E2E Zoned Lamp ${id}`, basePrice: "12.00", taxRate: "19" });
    await receiveStock(admin, productId, 5);

    const buyer = await openAsNewBuyer(browser, baseURL, admin, companyName);
    const b = buyer.page;
    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId("cart-total")).toHaveText("€28.56");
    await b.getByRole("button", { name: "Request quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
    const reference = (await b.getByRole("heading", { level: 1 }).innerText()).trim();

    // The buyer's order page: submission, quotation issue, validity and the timeline, all in Tokyo time.
    const validUntil = await instantOf(b.getByTestId("quotation-valid-until").locator("time"));
    // Valid until the end of a Tokyo day: 23:59 on the Tokyo clock.
    await expect(b.getByTestId("quotation-valid-until")).toHaveText(`${wallClock(validUntil, CUSTOMER_ZONE)} (${CUSTOMER_ZONE})`);
    expect(wallClock(validUntil, CUSTOMER_ZONE)).toMatch(/ 23:59$/);
    await expect(b.getByTestId("timeline").locator("time")).not.toHaveCount(0);
    expect(await expectTimesIn(b.locator("body"), CUSTOMER_ZONE)).toBeGreaterThanOrEqual(4);
    const submitted = await instantOf(b.getByTestId("order-submitted-at"));

    // The buyer's orders list: the same zone, named in the column header, the same instant as on the order page.
    await visit(b, "/orders");
    await expect(b.getByRole("columnheader", { name: `Updated (${CUSTOMER_ZONE})` })).toBeVisible();
    const row = b.getByTestId("order-row").filter({ hasText: reference });
    const updated = row.locator("time");
    await expect(updated).toHaveCount(1);
    const updatedIso = await instantOf(updated);
    await expect(updated).toHaveText(wallClock(updatedIso, CUSTOMER_ZONE));
    expect(Math.abs(Date.parse(updatedIso) - Date.parse(submitted))).toBeLessThan(60_000);

    // Staff read the same order in the seller's zone: the validity is the same instant on Berlin's clock (15:59 in winter, 16:59 in summer).
    const sales = await openAs(browser, baseURL, "sales");
    const s = sales.page;
    await visit(s, `/admin/orders/${orderId}`);
    await expect(s.getByTestId("order-status")).toHaveText("Quotation issued");
    await expect(s.getByTestId("quotation-valid-until")).toHaveText(`${wallClock(validUntil, SELLER_ZONE)} (${SELLER_ZONE})`);
    expect(wallClock(validUntil, SELLER_ZONE)).toMatch(/ 1[56]:59$/);
    expect(await expectTimesIn(s.locator("body"), SELLER_ZONE)).toBeGreaterThanOrEqual(4);
    // And the staff orders list names the seller's zone.
    await visit(s, `/admin/orders?q=${encodeURIComponent(reference)}`);
    await expect(s.getByRole("columnheader", { name: `Updated (${SELLER_ZONE})` })).toBeVisible();
    const staffUpdated = s.getByRole("row").filter({ hasText: reference }).locator("time");
    await expect(staffUpdated).toHaveText(wallClock(updatedIso, SELLER_ZONE));

    await Promise.all([buyer.context.close(), sales.context.close()]);
  });
});
