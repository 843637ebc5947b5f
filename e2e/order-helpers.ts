import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { createProduct, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";

export type InvoicedOrder = {
  buyer: { context: BrowserContext; page: Page };
  sales: { context: BrowserContext; page: Page };
  orderId: string;
  invoiceNumber: string;
  /** The invoice's RF payment reference as the buyer's invoices page shows it. */
  reference: string;
  close: () => Promise<void>;
};

/**
 * Through the pages: a product of this test's own, a new buyer of Acme orders `quantity` of it,
 * accepts the quotation, sales approves, and the invoice is issued. Its total is exact and the
 * invoice belongs to this test alone (other tests' Acme invoices are open at the same time).
 */
export async function invoicedOrder(
  admin: Page,
  browser: Browser,
  baseURL: string | undefined,
  p: { skuPrefix: string; basePrice: string; taxRate: string; quantity: number; expectedTotal: string },
): Promise<InvoicedOrder> {
  const id = uid();
  const sku = `${p.skuPrefix}-${id}`;
  const productId = await createProduct(admin, { sku, name: `E2E ${p.skuPrefix} ${id}`, basePrice: p.basePrice, taxRate: p.taxRate });
  await receiveStock(admin, productId, p.quantity + 10);
  const buyer = await openAsNewBuyer(browser, baseURL, admin);
  const b = buyer.page;
  await visit(b, "/cart");
  await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, ${p.quantity}`);
  await b.getByRole("button", { name: "Add lines" }).click();
  await expect(b.getByTestId("cart-total")).toHaveText(p.expectedTotal);
  await b.getByRole("button", { name: "Request quotation" }).click();
  await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
  const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
  await b.getByRole("button", { name: "Accept quotation" }).click();
  await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");

  const sales = await openAs(browser, baseURL, "sales");
  await visit(sales.page, `/admin/orders/${orderId}`);
  await sales.page.getByRole("button", { name: "Approve order" }).click();
  await expect(sales.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
  const invoiceNumber = (await sales.page.getByTestId("invoice-number").innerText()).trim();

  await visit(b, "/invoices");
  const reference = (await b.getByTestId(`invoice-row-${invoiceNumber}`).getByText(/^RF\d{2}/).innerText()).trim();
  return {
    buyer,
    sales,
    orderId,
    invoiceNumber,
    reference,
    close: async () => {
      await Promise.all([buyer.context.close(), sales.context.close()]);
    },
  };
}
