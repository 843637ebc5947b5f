import { expect, test, type Locator, type Page } from "@playwright/test";
import { createProduct, createUser, labelled, openAs, receiveStock, strongPassword, uid, visit } from "./admin-helpers";
import { login, storageState, waitForHydration } from "./fixtures";

// The phone project (playwright.config.ts: 375 × 812, touch, Chromium). The navigation is a
// "Menu" disclosure there; the buyer reaches every section through it and orders one product from
// the catalogue to the invoice, and no page scrolls sideways. Staff reach every section too.

const PHONE_WIDTH = 375;
const list = (page: Page) => page.locator("#main-nav-list");
const menuButton = (page: Page) => page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Menu" });

/**
 * Neither the page nor, with `regions`, any scroll region in it (a wide table's wrapper) is wider
 * than the screen: on the catalogue, cart, order and invoice pages every figure is in sight.
 */
async function expectNoSidewaysScroll(page: Page, { regions = false } = {}): Promise<void> {
  const found = await page.evaluate(() => {
    const doc = document.documentElement;
    const scrolling = [...document.querySelectorAll<HTMLElement>("main *")]
      .filter((el) => {
        const overflowX = getComputedStyle(el).overflowX;
        return (overflowX === "auto" || overflowX === "scroll") && el.getClientRects().length > 0 && el.scrollWidth > el.clientWidth;
      })
      .map((el) => el.getAttribute("aria-label") ?? el.tagName.toLowerCase());
    return { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, scrolling };
  });
  expect(found.clientWidth).toBe(PHONE_WIDTH);
  expect(found.scrollWidth, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(found.clientWidth);
  if (regions) expect(found.scrolling, `scroll regions wider than the screen on ${page.url()}`).toEqual([]);
}

/** Visible, and left and right edges on the screen. */
async function expectOnScreen(locator: Locator): Promise<void> {
  await expect(locator).toBeVisible();
  const box = (await locator.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(PHONE_WIDTH);
}

async function openMenu(page: Page): Promise<void> {
  const button = menuButton(page);
  await expect(button).toHaveAttribute("aria-expanded", "false");
  await expect(list(page)).toBeHidden();
  await button.click();
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await expect(button).toHaveAttribute("aria-controls", "main-nav-list");
  await expect(list(page)).toBeVisible();
}

/** Opens the menu, follows one of its links, and checks the menu closed on the way. */
async function goVia(page: Page, name: string | RegExp, url: RegExp): Promise<void> {
  await openMenu(page);
  const link = list(page).getByRole("link", { name });
  await expectOnScreen(link);
  await link.click();
  await expect(page).toHaveURL(url);
  await expect(menuButton(page)).toHaveAttribute("aria-expanded", "false");
  await expect(list(page)).toBeHidden();
}

test.describe("on a phone", () => {
  test.describe("a buyer", () => {
    test.use({ storageState: { cookies: [], origins: [] } });

    test("reaches every section from the menu and orders from the catalogue to the invoice without scrolling sideways", async ({ page, browser, baseURL }) => {
      test.slow(); // a long journey: three times the configured timeout
      const id = uid();
      const product = { sku: `PHN-${id}`, name: `E2E Phone Pump ${id}` };
      const email = `e2e-phone-${id.toLowerCase()}@example.test`;
      // Staff set-up in a desktop context: a product of this test's own with stock, and a buyer of its own in Acme.
      const admin = await openAs(browser, baseURL, "admin");
      const productId = await createProduct(admin.page, { ...product, basePrice: "12.50", taxRate: "19" });
      await receiveStock(admin.page, productId, 20);
      await createUser(admin.page, { email, name: `Phoebe Phone ${id}`, role: "Buyer", company: "Acme Industrial Supply", password: strongPassword });
      await admin.context.close();

      await login(page, email, strongPassword);
      await expect(page).toHaveURL(/\/$/);
      await waitForHydration(page);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Catalogue");
      await expect(page.getByTestId("catalog-row").first()).toBeVisible();
      await expectNoSidewaysScroll(page, { regions: true });

      // The menu lists every section of the portal, each on the screen; Escape closes it and
      // gives the focus back to the button.
      await openMenu(page);
      await expect(list(page).getByRole("link")).toHaveText(["Catalogue", "Cart", "Orders", "Lists", "Invoices", "Account"]);
      for (const link of await list(page).getByRole("link").all()) await expectOnScreen(link);
      await expect(list(page).getByRole("link", { name: "Catalogue" })).toHaveAttribute("aria-current", "page");
      await list(page).getByRole("link", { name: "Orders" }).focus();
      await page.keyboard.press("Escape");
      await expect(menuButton(page)).toHaveAttribute("aria-expanded", "false");
      await expect(list(page)).toBeHidden();
      await expect(menuButton(page)).toBeFocused();

      for (const [name, url, heading] of [
        ["Orders", /\/orders$/, "Orders"],
        ["Invoices", /\/invoices$/, "Invoices"],
        ["Account", /\/account$/, "Account"],
        ["Cart", /\/cart$/, "Cart"],
        ["Catalogue", /\/$/, "Catalogue"],
      ] as const) {
        await goVia(page, name, url);
        await expect(page.getByRole("heading", { level: 1 })).toHaveText(heading);
        await expectNoSidewaysScroll(page, { regions: name !== "Account" });
      }
      // Notifications sit in the header, beside the menu.
      await page.getByTestId("notifications-menu").click();
      await expect(page).toHaveURL(/\/notifications$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Notifications");
      await expectNoSidewaysScroll(page);
      await goVia(page, "Catalogue", /\/$/);

      // The catalogue: a card per product with its price, availability and minimum order in sight.
      await labelled(page, "Search products").fill(product.sku);
      await page.getByRole("button", { name: "Search" }).click();
      await expect(page).toHaveURL(new RegExp(`[?&]q=${product.sku}`));
      const card = page.getByTestId("catalog-row");
      await expect(card).toHaveCount(1);
      await expectOnScreen(card.getByRole("link", { name: product.name }));
      await expect(card.locator('td[data-label="Price"]')).toHaveText(/^€12\.50 per each/);
      await expectOnScreen(card.locator('td[data-label="Price"]'));
      await expectOnScreen(card.locator('td[data-label="Availability"]'));
      await expect(card.locator('td[data-label="Min. order"]')).toHaveText("1");
      await expectOnScreen(card.locator('td[data-label="Min. order"]'));
      await expectNoSidewaysScroll(page, { regions: true });

      // Add to cart on the product page; the cart's count beside the menu follows.
      await expect(page.getByTestId("cart-count-shortcut")).toHaveCount(0);
      await card.getByRole("link", { name: product.name }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(product.name);
      await expectNoSidewaysScroll(page);
      await labelled(page, "Quantity").fill("3");
      await page.getByRole("button", { name: "Add to cart" }).click();
      await expect(page.getByText("Added to cart.")).toBeVisible();
      await expect(page.getByTestId("cart-count-shortcut")).toHaveText("1");
      await openMenu(page);
      await expect(list(page).getByTestId("cart-count")).toHaveText("1");
      await list(page).getByRole("link", { name: "Cart, 1 product" }).click();
      await expect(page).toHaveURL(/\/cart$/);

      // The cart: quantity, unit price and total of the line on the screen.
      const line = page.getByTestId(`cart-line-${product.sku}`);
      await expect(page.getByLabel(`Quantity for ${product.sku}`)).toHaveValue("3");
      await expectOnScreen(page.getByLabel(`Quantity for ${product.sku}`));
      await expectOnScreen(line.getByRole("button", { name: `Update ${product.sku}` }));
      // 3 × €12.50 = €37.50, VAT 19% = €7.125 → €7.13: €44.63.
      for (const [label, text] of [
        ["Unit price", /^€12\.50 per each/],
        ["Net", "€37.50"],
        ["Total", "€44.63"],
      ] as const) {
        await expect(line.locator(`td[data-label="${label}"]`)).toHaveText(text);
        await expectOnScreen(line.locator(`td[data-label="${label}"]`));
      }
      await expect(page.getByTestId("cart-total")).toHaveText("€44.63");
      await expectOnScreen(page.getByTestId("cart-total"));
      await expectNoSidewaysScroll(page, { regions: true });

      // Submit: the order page shows the quotation line as a card.
      await page.getByRole("button", { name: "Request quotation" }).click();
      await expect(page).toHaveURL(/\/orders\/[0-9a-f-]{36}\?submitted=1$/);
      const orderId = /\/orders\/([0-9a-f-]{36})/.exec(page.url())![1]!;
      await expect(page.getByTestId("order-status")).toHaveText("Quotation issued");
      await expect(page.getByTestId("cart-count-shortcut")).toHaveCount(0);
      const quoted = page.getByTestId(`quotation-line-${product.sku}`);
      for (const [label, text] of [
        ["Qty", "3 each"],
        ["Unit price", "€12.50"],
        ["Total", "€44.63"],
      ] as const) {
        await expect(quoted.locator(`td[data-label="${label}"]`)).toHaveText(text);
        await expectOnScreen(quoted.locator(`td[data-label="${label}"]`));
      }
      await expectOnScreen(page.getByTestId("quotation-total"));
      await expectNoSidewaysScroll(page, { regions: true });
      await labelled(page, "PO number").fill(`PO-${id}`);
      await page.getByRole("button", { name: "Accept quotation" }).click();
      await expect(page.getByTestId("order-status")).toHaveText("Waiting for seller approval");

      // Sales approves (on a desktop), which issues the invoice.
      const sales = await openAs(browser, baseURL, "sales");
      await visit(sales.page, `/admin/orders/${orderId}`);
      await sales.page.getByRole("button", { name: "Approve order" }).click();
      await expect(sales.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
      const invoiceNumber = (await sales.page.getByTestId("invoice-number").innerText()).trim();
      await sales.context.close();

      // The buyer opens the order from the orders list, then the invoice from the invoices list.
      await goVia(page, "Orders", /\/orders$/);
      const orderRow = page.getByTestId("order-row").filter({ has: page.locator(`a[href="/orders/${orderId}"]`) });
      await expect(orderRow.locator('td[data-label="Total"]')).toHaveText("€44.63");
      await expectOnScreen(orderRow.locator('td[data-label="Total"]'));
      await expectNoSidewaysScroll(page, { regions: true });
      await orderRow.getByRole("link").click();
      await expect(page).toHaveURL(new RegExp(`/orders/${orderId}$`));
      await expect(page.getByTestId("order-status")).toHaveText("Approved and invoiced");
      await expect(page.getByTestId("invoice-number")).toHaveText(invoiceNumber);
      await expect(page.getByTestId("invoice-total")).toHaveText("€44.63");
      await expectOnScreen(page.getByTestId("invoice-total"));
      await expect(page.getByTestId("approval-sales").locator('td[data-label="Decision"]')).toHaveText("Approved");
      await expectNoSidewaysScroll(page, { regions: true });

      await goVia(page, "Invoices", /\/invoices$/);
      const invoice = page.getByTestId(`invoice-row-${invoiceNumber}`);
      for (const [label, text] of [
        ["Total", "€44.63"],
        ["Paid", "€0.00"],
        ["Amount due", "€44.63"],
      ] as const) {
        await expect(invoice.locator(`td[data-label="${label}"]`)).toHaveText(text);
        await expectOnScreen(invoice.locator(`td[data-label="${label}"]`));
      }
      await expectOnScreen(invoice.getByRole("link", { name: "Download PDF" }));
      await expectNoSidewaysScroll(page, { regions: true });
    });
  });

  test.describe("a customer admin", () => {
    test.use({ storageState: storageState("customerAdmin") });

    test("the account's tables (users, sessions, API keys, webhooks) are cards without sideways scrolling", async ({ page }) => {
      for (const path of ["/account", "/account/api-keys", "/account/webhooks"]) {
        await visit(page, path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const tables = page.locator("main table");
        const count = await tables.count();
        for (let i = 0; i < count; i++) await expect(tables.nth(i).locator("thead"), `${path}: table ${i + 1} is not stacked`).toBeHidden();
        await expectNoSidewaysScroll(page, { regions: true });
        const scroll = await page.evaluate(() => ({ width: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
        expect(scroll.width, `${path} scrolls sideways`).toBeLessThanOrEqual(scroll.inner);
      }
      const users = page.getByRole("region", { name: "Company users" });
      await visit(page, "/account");
      await expectOnScreen(users.locator('td[data-label="Role"]').first());
    });
  });

  test.describe("staff", () => {
    test.use({ storageState: storageState("admin") });

    test("the menu lists every section, and Customers, Payments, Audit and Users are reached from it", async ({ page }) => {
      await visit(page, "/admin");
      await expectNoSidewaysScroll(page);
      await openMenu(page);
      await expect(list(page).getByRole("link")).toHaveText([
        "Dashboard",
        "Orders",
        "Products",
        "Price lists",
        "Exchange rates",
        "Customers",
        "Payments",
        "Reports",
        "Audit",
        "Users",
        "API keys",
        "Webhooks",
        "Account",
        "Sent mail",
      ]);
      for (const link of await list(page).getByRole("link").all()) await expectOnScreen(link);
      await menuButton(page).click();
      await expect(list(page)).toBeHidden();

      for (const [name, url] of [
        ["Customers", /\/admin\/customers$/],
        ["Payments", /\/admin\/payments$/],
        ["Audit", /\/admin\/audit$/],
        ["Users", /\/admin\/users$/],
      ] as const) {
        await goVia(page, name, url);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        await openMenu(page);
        await expect(list(page).getByRole("link", { name })).toHaveAttribute("aria-current", "page");
        await page.keyboard.press("Escape");
        await expect(list(page)).toBeHidden();
        await expectNoSidewaysScroll(page);
      }
    });

    test("every staff table is a stack of cards, and no staff page scrolls sideways", async ({ page }) => {
      test.slow(); // many pages
      // Each page's tables stack into cards below md (their header rows are hidden), and neither the
      // page nor a table's scroll region is wider than the screen.
      const pages = [
        "/admin/orders",
        "/admin/orders/approvals",
        "/admin/customers",
        "/admin/payments",
        "/admin/payments?status=verified",
        "/admin/payments/ageing",
        "/admin/audit",
        "/admin/users",
        "/admin/products",
        "/admin/price-lists",
        "/admin/mail",
        "/admin/webhooks",
        "/admin/api-keys",
        "/admin/reports/revenue-by-customer",
        "/admin/reports/receivables-ageing",
      ];
      for (const path of pages) {
        await visit(page, path);
        await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
        const tables = page.locator("main table");
        const count = await tables.count();
        for (let i = 0; i < count; i++) await expect(tables.nth(i).locator("thead"), `${path}: table ${i + 1} is not stacked`).toBeHidden();
        await expectNoSidewaysScroll(page, { regions: true });
        const scroll = await page.evaluate(() => ({ width: document.scrollingElement!.scrollWidth, inner: window.innerWidth }));
        expect(scroll.width, `${path} scrolls sideways`).toBeLessThanOrEqual(scroll.inner);
      }
      // Pages of one customer and one product: their tables too.
      await visit(page, "/admin/customers");
      await page.locator("main table tbody tr").first().getByRole("link").first().click();
      await expect(page).toHaveURL(/\/admin\/customers\/[0-9a-f-]{36}$/);
      await expect(page.locator("main table thead").first()).toBeHidden();
      await expectNoSidewaysScroll(page, { regions: true });
      await visit(page, "/admin/products");
      await page.locator("main table tbody tr").first().getByRole("link").first().click();
      await expect(page).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}$/);
      await expectNoSidewaysScroll(page, { regions: true });
      // A card names each figure: the first order's total is in sight.
      await visit(page, "/admin/orders");
      const total = page.locator("main table tbody tr").first().locator('td[data-label="Total"]');
      await expectOnScreen(total);
    });

    test("without JavaScript the menu is a link that shows the list", async ({ browser, baseURL }) => {
      const context = await browser.newContext({
        baseURL,
        storageState: storageState("admin"),
        javaScriptEnabled: false,
        viewport: { width: PHONE_WIDTH, height: 812 },
        isMobile: true,
        hasTouch: true,
      });
      const page = await context.newPage();
      await page.goto("/admin");
      const menu = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Menu" });
      await expect(list(page)).toBeHidden();
      await menu.click();
      await expect(page).toHaveURL(/#main-nav-list$/);
      await expect(list(page)).toBeVisible();
      await list(page).getByRole("link", { name: "Users" }).click();
      await expect(page).toHaveURL(/\/admin\/users$/);
      await expect(list(page)).toBeHidden();
      await context.close();
    });
  });
});
