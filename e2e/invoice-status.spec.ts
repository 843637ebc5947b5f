import { expect, test } from "@playwright/test";
import { labelled, openAs, visit } from "./admin-helpers";
import { storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";

// Issue 9: after finance verified the payment, /invoices said "Paid" while both order pages still
// said "Status: Open" and "Approved. Invoice …, due …". All three now read one definition.

test.describe("invoice status on the order pages", () => {
  test.use({ storageState: storageState("admin") });

  test("shows Paid on the buyer's and the staff's order page once finance verified the payment", async ({ page: admin, browser, baseURL }) => {
    // A long journey (order, payment, verification, three pages): its own timeout.
    test.slow();
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "IST", basePrice: "21.00", taxRate: "0", quantity: 1, expectedTotal: "€21.00" });
    const { invoiceNumber, reference, orderId } = order;
    const b = order.buyer.page;

    await visit(b, `/orders/${orderId}`);
    await expect(b.getByTestId("invoice-status")).toHaveText("Open");

    await visit(b, "/invoices");
    await labelled(b, "Amount").fill("21.00");
    await labelled(b, `Amount for ${invoiceNumber}`).fill("21.00");
    await labelled(b, "Payment reference").fill(reference);
    await b.getByRole("button", { name: "Record payment" }).click();
    await expect(b.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Payment of €21.00 recorded; we will verify it against our bank account.");

    const finance = await openAs(browser, baseURL, "finance");
    await visit(finance.page, "/admin/payments");
    await finance.page.getByTestId("payment-row").filter({ hasText: invoiceNumber }).getByRole("button", { name: "Verify payment" }).click();
    await expect(finance.page.getByTestId("payment-row").filter({ hasText: invoiceNumber })).toHaveCount(0, { timeout: 30_000 });
    await expect(finance.page.getByTestId("recent-payment-row").filter({ hasText: invoiceNumber })).toContainText("Verified");

    await visit(b, "/invoices");
    await expect(b.getByTestId(`invoice-row-${invoiceNumber}`)).toContainText("Paid");
    await visit(b, `/orders/${orderId}`);
    await expect(b.getByTestId("invoice-status")).toHaveText("Paid");
    await expect(b.getByTestId("current-step")).toHaveText(`Approved. Invoice ${invoiceNumber} is paid.`);

    await visit(order.sales.page, `/admin/orders/${orderId}`);
    await expect(order.sales.page.getByTestId("invoice-status")).toHaveText("Paid");
    await Promise.all([order.close(), finance.context.close()]);
  });
});
