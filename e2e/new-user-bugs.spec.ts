import { expect, test, type Page } from "@playwright/test";
import { labelled, uid, visit } from "./admin-helpers";
import { storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";

// Bugs a new user hit (issue 9), each seen through the page. Waits are for the element or the
// response that proves the state, never for the network to go quiet.

/** The error text under a ui field (components/ui/field.tsx), one entry per message. */
const fieldErrors = (page: Page, id: string) => page.locator(`#${id}-error > span`);

test.describe("as a buyer", () => {
  test.use({ storageState: storageState("buyer") });

  test("a quantity of −3 on a product page gets one message, not two contradicting ones", async ({ page }) => {
    await visit(page, "/products/FAS-0002");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Hex bolt zinc-plated M5");
    await labelled(page, "Quantity").fill("-3");
    const added = page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/products/FAS-0002"));
    await page.getByRole("button", { name: "Add to cart" }).click();
    await added;
    await expect(fieldErrors(page, "field-quantity")).toHaveText(["Enter a quantity of at least 1."]);
    await expect(page.getByText("0 or more")).toHaveCount(0);
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: storageState("admin") });

  test("a 10,000-character paste into a 200-character field is not cut: the field says it is too long", async ({ page }) => {
    await visit(page, "/admin/products/new");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const long = "x".repeat(10_000);
    const name = labelled(page, "Name");
    await name.fill(long);
    await expect(name).toHaveValue(long);
    await expect(page.getByTestId("field-name-length")).toHaveText("10,000 characters: use at most 200 (9,800 too many).");

    const sku = `LEN-${uid()}`;
    await labelled(page, "SKU").fill(sku);
    await labelled(page, "Category").fill("E2E Test Products");
    await labelled(page, "Base price").fill("1.00");
    await page.getByRole("button", { name: "Create product" }).click();
    // Said once after the submit: the server's message next to the field, the text still all there.
    await expect(fieldErrors(page, "field-name")).toHaveText(["Use at most 200 characters."]);
    await expect(page.getByTestId("field-name-length")).toBeEmpty();
    await expect(name).toHaveValue(long);
    await expect(page).toHaveURL(/\/admin\/products\/new$/);

    // Typing again brings the live count back, and it goes away once the text fits.
    await name.fill("y".repeat(201));
    await expect(page.getByTestId("field-name-length")).toHaveText("201 characters: use at most 200 (1 too many).");
    await name.fill(`Length check ${sku}`);
    await expect(page.getByTestId("field-name-length")).toBeEmpty();
  });

  test("a form shows every field error at once", async ({ page }) => {
    await visit(page, "/admin/products/new");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await labelled(page, "SKU").fill("not a sku!");
    await page.getByRole("button", { name: "Create product" }).click();
    await expect(fieldErrors(page, "field-sku")).toHaveText(["Use letters, digits and . _ - / only."]);
    await expect(fieldErrors(page, "field-name")).toHaveText(["Name is required."]);
    await expect(fieldErrors(page, "field-category")).toHaveText(["Category is required."]);
    await expect(fieldErrors(page, "field-basePrice")).toHaveText(["Enter a price."]);
  });

  test("/invoices at 1280 px shows the Download PDF link inside its card", async ({ page, browser, baseURL }) => {
    test.slow(); // a whole quote-to-invoice journey first
    // 2 × €1,234.56 = €2,469.12, VAT 19% = €469.13: €2,938.25.
    const order = await invoicedOrder(page, browser, baseURL, { skuPrefix: "LAYOUT", basePrice: "1234.56", taxRate: "19", quantity: 2, expectedTotal: "€2,938.25" });
    try {
      const b = order.buyer.page;
      const { invoiceNumber, reference } = order;
      // A part payment awaiting verification adds "€2,000.00 awaiting verification" to the row, as it did for the new user.
      await labelled(b, "Amount").fill("2000.00");
      await labelled(b, `Amount for ${invoiceNumber}`).fill("2000.00");
      await labelled(b, "Payment reference").fill(reference);
      await b.getByRole("button", { name: "Record payment" }).click();
      await expect(b.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Payment of €2,000.00 recorded; we will verify it against our bank account.");

      await b.setViewportSize({ width: 1280, height: 800 });
      await visit(b, "/invoices");
      const row = b.getByTestId(`invoice-row-${invoiceNumber}`);
      await expect(row).toContainText("€2,000.00 awaiting verification");
      const card = b.getByRole("region", { name: "Invoices" });
      const link = row.getByRole("link", { name: "Download PDF" });
      await expect(link).toBeVisible();
      const c = (await card.boundingBox())!;
      const l = (await link.boundingBox())!;
      expect(l.x).toBeGreaterThanOrEqual(c.x);
      expect(l.x + l.width).toBeLessThanOrEqual(c.x + c.width);
      // Nothing hidden to scroll sideways to: every column fits the card.
      expect(await card.evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);
    } finally {
      await order.close();
    }
  });
});
