import { expect, test } from "@playwright/test";
import { labelled, openAs, uid, visit } from "./admin-helpers";
import { storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";
import { pdfText } from "./pdf";
import { formatIban, ibanOf } from "@/lib/domain/iban";

// Issue 14, staff side of "invoice numbers link to their order, the order page links its
// invoices": on the staff order page the invoice number opens the invoice itself (its PDF); away
// from the order (a reconciliation suggestion) it opens the order page at its invoice card. The
// reconciliation page lists the bank accounts, the demo seed's among them.

test.describe("staff document links", () => {
  test.use({ storageState: storageState("admin") });

  test("the invoice number opens the invoice from its order page and the order from a reconciliation suggestion", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // an order through to its invoice, then a statement import
    // 2 × €13.57 = €27.14, VAT 0%.
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "LNK", basePrice: "13.57", taxRate: "0", quantity: 2, expectedTotal: "€27.14" });
    const { invoiceNumber, orderId, reference: paymentReference } = order;
    const s = order.sales.page;

    // On the order page: the number is a link to the invoice's PDF, and following it shows that invoice.
    await visit(s, `/admin/orders/${orderId}`);
    const orderReference = (await s.getByRole("heading", { level: 1 }).innerText()).trim();
    const numberLink = s.getByTestId("invoice-number").getByRole("link", { name: invoiceNumber, exact: true });
    const href = await numberLink.getAttribute("href");
    expect(href).toMatch(/^\/api\/documents\/invoices\/[0-9a-f-]{36}$/);
    await numberLink.click();
    await expect(s).toHaveURL(new RegExp(`${href}$`));
    const pdf = await s.request.get(href!);
    expect([pdf.status(), pdf.headers()["content-type"]]).toEqual([200, "application/pdf"]);
    const text = await pdfText(await pdf.body());
    expect(text).toContain(invoiceNumber);
    expect(text).toContain(orderReference);

    // A reconciliation suggestion names the invoice; its number opens the order page at the invoice card.
    const finance = await openAs(browser, baseURL, "finance");
    const f = finance.page;
    const id = uid();
    const bankName = `E2E Links Bank ${id}`;
    const iban = ibanOf("DE", String(Date.now()).padStart(18, "0").slice(-18));
    const statement = ["Booking date,Amount,Currency,Payer,Reference", `2026-11-21,27.14,EUR,Acme Industrial Supply,Invoice ${paymentReference}`].join("\n");
    await visit(f, "/admin/payments/reconciliation");
    // The demo seed's accounts are listed before any statement of theirs is imported.
    const accounts = f.getByRole("table", { name: "Bank accounts" });
    await expect(accounts.getByTestId("bank-account").filter({ hasText: "CH52 0070 0110 0045 6789 0" })).toContainText("Demo Bank (Schweiz) AG");
    await labelled(f, "Bank").fill(bankName);
    await labelled(f, "Account IBAN").fill(formatIban(iban));
    await f.getByLabel("Statement file").setInputFiles({ name: "statement.csv", mimeType: "text/csv", buffer: Buffer.from(statement) });
    await expect(f.getByRole("group", { name: `Columns of ${bankName}'s statement` })).toBeVisible();
    await f.getByRole("button", { name: "Import statement" }).click();
    await expect(f.getByRole("status").filter({ hasText: /Imported/ })).toContainText("Imported 1 new line");
    // The new account is listed with its one statement.
    await expect(accounts.getByTestId("bank-account").filter({ hasText: formatIban(iban) })).toContainText(bankName);
    await expect(accounts.getByTestId("bank-account").filter({ hasText: formatIban(iban) }).getByRole("cell").nth(2)).toHaveText("1");

    const suggestion = f.getByTestId("statement-line").filter({ hasText: invoiceNumber }).getByTestId("suggestion");
    await expect(suggestion).toContainText("Pays in full");
    await suggestion.getByRole("link", { name: invoiceNumber, exact: true }).click();
    await expect(f).toHaveURL(new RegExp(`/admin/orders/${orderId}#invoice$`));
    await expect(f.getByRole("heading", { level: 1 })).toHaveText(orderReference);
    const card = f.locator("#invoice");
    await expect(card.getByRole("heading", { name: "Invoice" })).toBeVisible();
    await expect(card.getByTestId("invoice-number")).toHaveText(invoiceNumber);
    await expect(card).toBeInViewport();

    await Promise.all([finance.context.close(), order.close()]);
  });
});
