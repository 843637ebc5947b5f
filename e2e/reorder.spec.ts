import { expect, test, type Page } from "@playwright/test";
import { createProduct, labelled, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { e2eDatabase } from "./db";

// Reorder and lists (issue 14), through the pages: quantity and "Add to cart" on a catalogue row
// (also without JavaScript) with the cart count following; a requisition list filled from the
// product page, edited, added to the cart and submitted; the quotation accepted with a confirmation
// of what happens next; the invoice number leading to its order, paid from the order page; "Order
// again" on that order naming the product withdrawn since; the list page at 375 px.

async function searchCatalogue(page: Page, sku: string) {
  await visit(page, `/?q=${encodeURIComponent(sku)}`);
  await expect(page.getByTestId("catalog-row")).toHaveCount(1);
  return page.getByTestId("catalog-row");
}

test("catalogue row → cart, list → cart → quotation → accepted → invoice → pay from the order, order again", async ({ browser, baseURL }) => {
  test.slow();
  const id = uid();
  const admin = await openAs(browser, baseURL, "admin");
  const skuA = `RO-A-${id}`;
  const skuB = `RO-B-${id}`;
  const productA = await createProduct(admin.page, { sku: skuA, name: `E2E Reorder Anchor ${id}`, basePrice: "12.50", taxRate: "0" });
  const productB = await createProduct(admin.page, { sku: skuB, name: `E2E Reorder Bracket ${id}`, basePrice: "4.00", taxRate: "0" });
  await receiveStock(admin.page, productA, 100);
  await receiveStock(admin.page, productB, 100);
  const buyer = await openAsNewBuyer(browser, baseURL, admin.page);
  const b = buyer.page;

  // ---- A catalogue row takes a quantity; the cart count in the navigation follows.
  const row = await searchCatalogue(b, skuA);
  await expect(b.getByTestId("cart-count")).toHaveCount(0);
  await row.getByLabel(`Quantity of ${skuA} (each)`).fill("3");
  await row.getByRole("button", { name: `Add to cart (${skuA})` }).click();
  await expect(row.getByTestId("catalog-added")).toHaveText("Added to cart. View cart");
  await expect(b.getByTestId("cart-count")).toHaveText("1");

  // Without JavaScript: the same form posts and the page comes back with the count.
  const noJs = await browser.newContext({ baseURL, storageState: await buyer.context.storageState(), javaScriptEnabled: false });
  const n = await noJs.newPage();
  await n.goto(`/?q=${encodeURIComponent(skuB)}`);
  const plainRow = n.getByTestId("catalog-row");
  await plainRow.getByLabel(`Quantity of ${skuB} (each)`).fill("2");
  await plainRow.getByRole("button", { name: `Add to cart (${skuB})` }).click();
  await expect(n.getByTestId("cart-count")).toHaveText("2");
  await noJs.close();

  await visit(b, "/cart");
  await expect(b.getByTestId("cart-total")).toHaveText("€45.50"); // 3 × 12.50 + 2 × 4.00
  // Empty the cart again: the list below fills it.
  for (const sku of [skuA, skuB]) await b.getByRole("button", { name: `Remove ${sku}` }).click();
  await expect(b.getByTestId("cart-count")).toHaveCount(0);

  // ---- A requisition list: created, filled from the product page, edited, added to the cart.
  const listName = `E2E restock ${id}`;
  await visit(b, "/lists");
  await labelled(b, "List name").fill(listName);
  await b.getByRole("button", { name: "Create list" }).click();
  await expect(b).toHaveURL(/\/lists\/[0-9a-f-]{36}\?created=1$/);
  await expect(b.getByRole("heading", { level: 1 })).toHaveText(listName);
  const listUrl = new URL(b.url()).pathname;

  for (const [sku, quantity] of [
    [skuA, "4"],
    [skuB, "10"],
  ] as const) {
    await visit(b, `/products/${sku}`);
    await b.getByLabel(`List for ${sku}`).selectOption({ label: listName });
    await b.getByLabel(`Quantity for the list, ${sku}`).fill(quantity);
    await b.getByRole("button", { name: `Add to list (${sku})` }).click();
    await expect(b.getByText(`Added to ${listName}: ${sku} now ${quantity} on the list.`)).toBeVisible();
  }
  await visit(b, listUrl);
  await expect(b.getByTestId("list-line")).toHaveCount(2);
  await b.getByLabel(`Quantity for ${skuA}`).fill("6");
  await b.getByRole("button", { name: `Update ${skuA}` }).click();
  await expect(b.getByLabel(`Quantity for ${skuA}`)).toHaveValue("6");
  await b.getByRole("button", { name: "Add all to cart" }).click();
  await expect(b.getByTestId("copy-result")).toContainText("2 products added to your cart at today's prices.");
  await expect(b.getByTestId("cart-count")).toHaveText("2");

  // Another company's buyer does not find the list.
  const globex = await openAs(browser, baseURL, "globexBuyer");
  const foreign = await globex.page.goto(listUrl);
  expect(foreign?.status()).toBe(404);
  await globex.context.close();

  // ---- Quotation, accepted with a confirmation of what comes next.
  await visit(b, "/cart");
  await expect(b.getByTestId("cart-total")).toHaveText("€115.00"); // 6 × 12.50 + 10 × 4.00
  await b.getByRole("button", { name: "Request quotation" }).click();
  await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
  const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
  await b.getByRole("button", { name: "Accept quotation" }).click();
  await expect(b).toHaveURL(new RegExp(`/orders/${orderId}\\?accepted=1$`));
  const banner = b.getByTestId("accepted-banner");
  await expect(banner).toContainText(/^Quotation Q-\d{4}-\d{6} accepted\./);
  await expect(banner).toContainText("The stock is reserved for you. The seller reviews the order next; once it is approved, the invoice is issued and shown on this page.");
  await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");

  const sales = await openAs(browser, baseURL, "sales");
  await visit(sales.page, `/admin/orders/${orderId}`);
  await sales.page.getByRole("button", { name: "Approve order" }).click();
  await expect(sales.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
  const invoiceNumber = (await sales.page.getByTestId("invoice-number").innerText()).trim();
  await sales.context.close();

  // ---- The invoice number leads to its order; the order lists the invoice with its balance and "Pay".
  await visit(b, "/invoices");
  await b.getByTestId(`invoice-row-${invoiceNumber}`).getByRole("link", { name: `${invoiceNumber}: open its order` }).click();
  await expect(b).toHaveURL(new RegExp(`/orders/${orderId}$`));
  const invoiceBlock = b.getByTestId(`order-invoice-${invoiceNumber}`);
  await expect(invoiceBlock.getByTestId("invoice-total")).toHaveText("€115.00");
  await expect(invoiceBlock.getByTestId("invoice-amount-due")).toHaveText("€115.00");
  await expect(invoiceBlock.getByTestId("invoice-status")).toHaveText("Open");
  await invoiceBlock.getByRole("link", { name: `Pay invoice ${invoiceNumber}` }).click();
  await expect(b).toHaveURL(/\/invoices\?pay=[0-9a-f-]{36}#record-payment$/);
  await expect(b.getByTestId("paying-invoice")).toHaveText(`Paying invoice ${invoiceNumber}: the amount still due and its payment reference are filled in.`);
  await expect(labelled(b, "Amount")).toHaveValue("115.00");
  await expect(b.getByLabel(`Amount for ${invoiceNumber}`)).toHaveValue("115.00");
  await b.getByRole("button", { name: "Record payment" }).click();
  await expect(b.getByRole("status").filter({ hasText: /Payment of/ })).toHaveText("Payment of €115.00 recorded; we will verify it against our bank account.");
  await visit(b, `/orders/${orderId}`);
  await expect(invoiceBlock.getByTestId("invoice-amount-due")).toHaveText("€115.00€115.00 awaiting verification");
  await expect(invoiceBlock.getByRole("link", { name: `Pay invoice ${invoiceNumber}` })).toHaveCount(0);

  // Staff: the payment's allocation names the invoice, linked to its order.
  const finance = await openAs(browser, baseURL, "finance");
  await visit(finance.page, "/admin/payments");
  await finance.page.getByRole("link", { name: invoiceNumber }).first().click();
  await expect(finance.page).toHaveURL(new RegExp(`/admin/orders/${orderId}#invoice$`));
  await finance.context.close();

  // ---- Order again, after the bracket was withdrawn: the anchor goes in at today's price, the bracket is named.
  await visit(admin.page, `/admin/products/${productB}`);
  await admin.page.getByRole("button", { name: "Archive product" }).click();
  await expect(admin.page.getByRole("button", { name: "Restore product" })).toBeVisible();
  await visit(b, `/orders/${orderId}`);
  await b.getByRole("button", { name: "Order again" }).click();
  await expect(b.getByTestId("copy-result")).toContainText(`1 product added to your cart at today's prices. Not added: ${skuB} E2E Reorder Bracket ${id} (no longer available).`);
  await expect(b.getByTestId("cart-count")).toHaveText("1");
  await visit(b, "/cart");
  await expect(b.getByTestId("cart-total")).toHaveText("€75.00");

  // In SQL: one reorder audited, the cart holds 6 anchors, the list still its two lines.
  const sql = await e2eDatabase();
  if (sql) {
    try {
      const [audit] = await sql<{ n: number }[]>`select count(*)::int as n from audit_events where action = 'order.reorder' and entity_id = ${orderId}`;
      expect(audit!.n).toBe(1);
      const cart = await sql<{ sku: string; quantity: number }[]>`
        select p.sku, l.quantity from cart_lines l join orders o on o.id = l.order_id join products p on p.id = l.product_id
        join users u on u.id = o.buyer_id where u.email = ${buyer.email} and o.status = 'draft'`;
      expect(cart).toEqual([{ sku: skuA, quantity: 6 }]);
    } finally {
      await sql.end();
    }
  }

  // ---- The list page at 375 px: the lines stack as cards, nothing scrolls sideways.
  await b.setViewportSize({ width: 375, height: 812 });
  await visit(b, listUrl);
  await expect(b.getByTestId("list-line")).toHaveCount(2);
  await expect(b.getByText("No longer available")).toBeVisible();
  const width = await b.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(width.scroll).toBeLessThanOrEqual(width.client);

  await Promise.all([admin.context.close(), buyer.context.close()]);
});
