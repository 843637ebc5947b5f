import { expect, test } from "@playwright/test";
import { createProduct, labelled, receiveStock, uid, visit } from "./admin-helpers";
import { login, storageState } from "./fixtures";
import { downloadPdfText } from "./pdf";

// Issue 15: a customer buying in USD (the demo's Liberty Tool Works) sees the seller's EUR base prices
// converted at the demo ECB rate (1 EUR = 1.0832 USD, seeded for the last week), orders, accepts, and
// the invoice PDF is in dollars and names the rate. Finance records a rate on /admin/exchange-rates.

const dated = String.raw`\d{4}-\d{2}-\d{2}`;

test.describe("multi-currency", () => {
  test.use({ storageState: storageState("admin") });

  test("a USD buyer browses converted prices, orders, accepts, and gets a USD invoice naming the rate", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const sku = `FX-${id}`;
    const productId = await createProduct(admin, { sku, name: `E2E dollar widget ${id}`, basePrice: "19.99", taxRate: "19" });
    await receiveStock(admin, productId, 20);

    const context = await browser.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    const b = await context.newPage();
    await login(b, "buyer@liberty.test");
    await expect(b).toHaveURL(/\/$/);

    await visit(b, `/products/${sku}`);
    await expect(b.getByTestId("unit-price")).toHaveText("US$21.65 per each"); // 19.99 × 1.0832 = 21.653168
    await expect(b.getByTestId("price-explanation")).toHaveText(new RegExp(`^List price, converted from €19\\.99 at 1 EUR = 1\\.0832 USD \\(ECB, ${dated}\\)$`));

    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId("cart-total")).toHaveText("US$51.53"); // 43.30 + 19 % (8.227 → 8.23)
    await b.getByRole("button", { name: "Request quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
    await expect(b.getByTestId("quotation-total")).toHaveText("US$51.53");
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
    const quotationPdf = await downloadPdfText(b, "Download quotation PDF");
    expect(quotationPdf.text.replace(/\s+/g, " ")).toMatch(new RegExp(`Amounts in USD\\. Exchange rate used: 1 EUR = 1\\.0832 USD \\(ECB, ${dated}\\)\\.`));

    await labelled(b, "PO number").fill(`PO-${id}`);
    await b.getByRole("button", { name: "Accept quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");

    const sales = await browser.newContext({ baseURL, storageState: storageState("sales") });
    const s = await sales.newPage();
    await visit(s, `/admin/orders/${orderId}`);
    await s.getByRole("button", { name: "Approve order" }).click();
    await expect(s.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(s.getByTestId("invoice-total")).toHaveText("US$51.53");

    await visit(b, `/orders/${orderId}`);
    await expect(b.getByTestId("invoice-total")).toHaveText("US$51.53");
    const invoicePdf = await downloadPdfText(b, "Download invoice PDF");
    const text = invoicePdf.text.replace(/\s+/g, " ");
    expect(text).toContain("Total US$51.53");
    expect(text).toMatch(new RegExp(`Amounts in USD\\. Exchange rate used: 1 EUR = 1\\.0832 USD \\(ECB, ${dated}\\)\\.`));
    await Promise.all([context.close(), sales.close()]);
  });

  test("finance records a rate and sees it listed; a bad rate is refused next to its field", async ({ browser, baseURL }) => {
    const context = await browser.newContext({ baseURL, storageState: storageState("finance") });
    const f = await context.newPage();
    await visit(f, "/admin/exchange-rates");
    await expect(f.getByRole("heading", { level: 1 })).toHaveText("Exchange rates");
    await labelled(f, "Currency").fill("DKK");
    await labelled(f, "Rate (1 EUR =)").fill("seven");
    await labelled(f, "Date").fill("2002-03-04");
    await f.getByRole("button", { name: "Record rate" }).click();
    await expect(f.getByText("Enter a positive decimal such as 1.0832 (up to 10 decimals).")).toBeVisible();
    await labelled(f, "Rate (1 EUR =)").fill("7.4312");
    await f.getByRole("button", { name: "Record rate" }).click();
    await expect(f.getByText("Rate 7.4312 recorded.")).toBeVisible();
    await visit(f, "/admin/exchange-rates");
    await expect(f.getByTestId("rate-EUR-DKK-2002-03-04-manual").locator("td")).toHaveText(["2002-03-04", "1 EUR = … DKK", "7.4312", "manual"]);
    await context.close();
  });
});
