import { expect, test } from "@playwright/test";
import { labelled, openAs, uid, visit } from "./admin-helpers";
import { reloadHydrated, storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";
import { pdfText } from "./pdf";

// Paying an invoice end to end: a buyer records a bank transfer against their invoice, finance
// verifies it, and the invoice shows paid. The invoice comes from an order of this test's own
// product, so its total is exact; the payment is allocated to it by name (other tests' Acme
// invoices are open at the same time, and "oldest first" could pick one of them).

test.describe("payments", () => {
  test.use({ storageState: storageState("admin") });

  test("a buyer records a payment, finance verifies it, and the invoice shows paid", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    // 2 × €40.00 = €80.00, VAT 19% = €15.20: €95.20.
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "PAY", basePrice: "40.00", taxRate: "19", quantity: 2, expectedTotal: "€95.20" });
    const { invoiceNumber, reference } = order;
    const b = order.buyer.page;
    const row = b.getByTestId(`invoice-row-${invoiceNumber}`);
    await expect(row).toContainText("€95.20");
    await expect(row).toContainText("Open");
    expect(reference.replace(/\s/g, "")).toMatch(new RegExp(`^RF\\d{2}${invoiceNumber.replaceAll("-", "")}$`));

    await labelled(b, "Amount").fill("95.20");
    await labelled(b, `Amount for ${invoiceNumber}`).fill("95.20");
    await labelled(b, "Payment reference").fill(reference);
    await b.getByRole("button", { name: "Record payment" }).click();
    await expect(b.getByRole("status").filter({ hasText: /\S/ })).toHaveText("Payment of €95.20 recorded; we will verify it against our bank account.");
    await reloadHydrated(b);
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

    await reloadHydrated(b);
    const paid = b.getByTestId(`invoice-row-${invoiceNumber}`);
    await expect(paid).toContainText("Paid");
    await expect(paid).not.toContainText("awaiting verification");
    const after = await (await b.request.get("/api/statements/account")).text();
    expect(after).not.toContain(`${invoiceNumber},`);
    expect(await statementPdf()).not.toContain(invoiceNumber);
    await Promise.all([order.close(), finance.context.close()]);
  });
  test("the JSON API records a remittance once per Idempotency-Key, and finance verifies it through the API", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    // 1 × €33.00, VAT 0%.
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "API", basePrice: "33.00", taxRate: "0", quantity: 1, expectedTotal: "€33.00" });
    const b = order.buyer.page;
    const invoiceId = await b.getByTestId(`invoice-row-${order.invoiceNumber}`).getAttribute("data-invoice-id");
    expect(invoiceId).toMatch(/^[0-9a-f-]{36}$/);
    const key = `api-${uid()}`;
    const remit = (amount: string, idempotencyKey = key) =>
      b.request.post("/api/payments", {
        headers: { "content-type": "application/json", "idempotency-key": idempotencyKey },
        data: { amount, paidOn: new Date().toISOString().slice(0, 10), reference: order.reference, allocations: [{ invoiceId, amount }] },
      });
    // A retry (two at once, then one more) returns the first result and records one payment.
    const [first, second] = await Promise.all([remit("33.00"), remit("33.00")]);
    const third = await remit("33.00");
    expect(first.status()).toBe(200);
    const body = await first.json();
    expect(body).toMatchObject({ ok: true, data: { status: "pending_verification", amountMinor: "3300" } });
    expect(await second.json()).toEqual(body);
    expect(await third.json()).toEqual(body);
    // The same key with another amount is refused; nothing is written.
    const reused = await remit("32.00");
    expect(reused.status()).toBe(422);
    expect(await reused.json()).toMatchObject({ ok: false, code: "idempotency_key_reused" });
    // Bad input: a JSON error with a code and the field, never a 500.
    const bad = await remit("-1", `api-${uid()}`);
    expect(bad.status()).toBe(400);
    expect(await bad.json()).toMatchObject({ ok: false, code: "validation_failed", fieldErrors: { amount: [expect.any(String)] } });
    const form = await b.request.post("/api/payments", { headers: { "idempotency-key": `api-${uid()}` }, form: { amount: "1.00" } });
    expect(form.status()).toBe(415);
    const noKey = await b.request.post("/api/payments", { headers: { "content-type": "application/json" }, data: { amount: "1.00", paidOn: "2026-11-01" } });
    expect(noKey.status()).toBe(400);
    expect(await noKey.json()).toMatchObject({ ok: false, code: "validation_failed", error: expect.stringContaining("Idempotency-Key header") });
    // A customer cannot verify their own payment.
    const self = await b.request.post(`/api/payments/${body.data.paymentId}/verify`, { headers: { "content-type": "application/json", "idempotency-key": `api-${uid()}` }, data: {} });
    expect(self.status()).toBe(403);

    await visit(b, "/invoices");
    await expect(b.getByTestId(`invoice-row-${order.invoiceNumber}`)).toContainText("€33.00 awaiting verification");
    const finance = await openAs(browser, baseURL, "finance");
    const verify = () => finance.page.request.post(`/api/payments/${body.data.paymentId}/verify`, { headers: { "content-type": "application/json", "idempotency-key": `verify-${body.data.paymentId}` }, data: {} });
    const verified = await verify();
    expect(verified.status()).toBe(200);
    expect(await verified.json()).toMatchObject({ ok: true, data: { status: "verified" } });
    expect(await (await verify()).json()).toEqual(await verified.json());
    const rejectLater = await finance.page.request.post(`/api/payments/${body.data.paymentId}/reject`, { headers: { "content-type": "application/json", "idempotency-key": `api-${uid()}` }, data: { reason: "Too late" } });
    expect(rejectLater.status()).toBe(409);
    await reloadHydrated(b);
    await expect(b.getByTestId(`invoice-row-${order.invoiceNumber}`)).toContainText("Paid");
    await Promise.all([order.close(), finance.context.close()]);
  });
});
