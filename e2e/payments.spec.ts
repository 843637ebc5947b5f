import { expect, test } from "@playwright/test";
import { createProduct, labelled, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { storageState } from "./fixtures";
import { pdfText } from "./pdf";

// Paying an invoice end to end: a buyer records a bank transfer against their invoice, finance
// verifies it, and the invoice shows paid. The invoice comes from an order of this test's own
// product, so its total is exact; the payment is allocated to it by name (other tests' Acme
// invoices are open at the same time, and "oldest first" could pick one of them).

test.describe("payments", () => {
  test.use({ storageState: storageState("admin") });

  test("a buyer records a payment, finance verifies it, and the invoice shows paid", async ({ page: admin, browser, baseURL }) => {
    test.setTimeout(120_000);
    const id = uid();
    const sku = `PAY-${id}`;
    // 2 × €40.00 = €80.00, VAT 19% = €15.20: €95.20.
    const productId = await createProduct(admin, { sku, name: `E2E Payable ${id}`, basePrice: "40.00", taxRate: "19" });
    await receiveStock(admin, productId, 10);
    const buyer = await openAsNewBuyer(browser, baseURL, admin);
    const b = buyer.page;
    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId("cart-total")).toHaveText("€95.20");
    await b.waitForLoadState("networkidle");
    await b.getByRole("button", { name: "Request quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
    await b.waitForLoadState("networkidle");
    await b.getByRole("button", { name: "Accept quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");

    const sales = await openAs(browser, baseURL, "sales");
    await visit(sales.page, `/admin/orders/${orderId}`);
    await sales.page.getByRole("button", { name: "Approve order" }).click();
    await expect(sales.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
    const invoiceNumber = (await sales.page.getByTestId("invoice-number").innerText()).trim();

    await visit(b, "/invoices");
    const row = b.getByTestId(`invoice-row-${invoiceNumber}`);
    await expect(row).toContainText("€95.20");
    await expect(row).toContainText("Open");
    const reference = (await row.getByText(/^RF\d{2}/).innerText()).trim();
    expect(reference.replace(/\s/g, "")).toMatch(new RegExp(`^RF\\d{2}${invoiceNumber.replaceAll("-", "")}$`));

    await labelled(b, "Amount").fill("95.20");
    await labelled(b, `Amount for ${invoiceNumber}`).fill("95.20");
    await labelled(b, "Payment reference").fill(reference);
    await b.getByRole("button", { name: "Record payment" }).click();
    await expect(b.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Payment of €95.20 recorded; we will verify it against our bank account.");
    await b.reload();
    await expect(b.getByTestId(`invoice-row-${invoiceNumber}`)).toContainText("€95.20 awaiting verification");
    // The statement of account lists the open item with what awaits verification.
    const statement = await b.request.get("/api/statements/account");
    expect(statement.status()).toBe(200);
    const lines = (await statement.text()).trim().split("\n");
    expect(lines[0]).toBe("invoice,issue_date,due_date,currency,total,paid,awaiting_verification,due,days_past_due,ageing,payment_reference");
    expect(lines.find((l) => l.startsWith(`${invoiceNumber},`))).toMatch(new RegExp(`^${invoiceNumber},\\d{4}-\\d{2}-\\d{2},\\d{4}-\\d{2}-\\d{2},EUR,95\\.20,0\\.00,95\\.20,95\\.20,0,current,RF\\d{2}`));
    // The same statement as PDF, through the page's link: one line per open item, then its payment reference.
    const statementPdf = async () => {
      const href = await b.getByRole("link", { name: "Statement of account (PDF)", exact: true }).getAttribute("href");
      expect(href).toBe("/api/statements/account?format=pdf");
      const response = await b.request.get(href!);
      expect(response.status()).toBe(200);
      expect(response.headers()).toMatchObject({ "content-type": "application/pdf", "cache-control": "no-store" });
      expect(response.headers()["content-disposition"]).toMatch(/^attachment; filename="statement-of-account-acme-industrial-supply-\d{4}-\d{2}-\d{2}\.pdf"$/);
      const body = await response.body();
      expect(body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
      return pdfText(body);
    };
    const pdf = await statementPdf();
    expect(pdf).toContain("Statement of account");
    expect(pdf).toContain("Acme Industrial Supply");
    expect(pdf).toMatch(new RegExp(`^${invoiceNumber} \\d{4}-\\d{2}-\\d{2} \\d{4}-\\d{2}-\\d{2} €95\\.20 €0\\.00 €95\\.20 €95\\.20 0\\nPayment reference ${reference}$`, "m"));
    expect(pdf).toContain("Currency Current 1–30 days 31–60 days 61–90 days Over 90 days Total due");

    const finance = await openAs(browser, baseURL, "finance");
    await visit(finance.page, "/admin/payments");
    const payment = finance.page.getByTestId("payment-row").filter({ hasText: invoiceNumber });
    await expect(payment).toHaveCount(1);
    await payment.getByRole("button", { name: "Verify payment" }).click();
    await expect(finance.page.getByTestId("payment-row").filter({ hasText: invoiceNumber })).toHaveCount(0);
    await expect(finance.page.getByTestId("recent-payment-row").filter({ hasText: invoiceNumber })).toContainText("Verified");

    await b.reload();
    const paid = b.getByTestId(`invoice-row-${invoiceNumber}`);
    await expect(paid).toContainText("Paid");
    await expect(paid).not.toContainText("awaiting verification");
    const after = await (await b.request.get("/api/statements/account")).text();
    expect(after).not.toContain(`${invoiceNumber},`);
    expect(await statementPdf()).not.toContain(invoiceNumber);
    await Promise.all([buyer.context.close(), sales.context.close(), finance.context.close()]);
  });
});
