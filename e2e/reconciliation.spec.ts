import { expect, test } from "@playwright/test";
import { labelled, openAs, uid, visit } from "./admin-helpers";
import { reloadHydrated, storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";
import { formatIban, ibanOf } from "@/lib/domain/iban";

// Bank reconciliation end to end: an invoice of this test's own order is paid by bank transfer;
// finance imports the bank's CSV statement (mapping its columns the first time), confirms the
// suggested match, and the buyer sees the invoice paid and the order moved on. The same file
// imported again adds nothing; undoing the match makes the invoice open again.

test.describe("bank reconciliation", () => {
  test.use({ storageState: storageState("admin") });

  test("finance imports a statement and confirms the suggested match; the invoice shows paid", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    // 3 × €21.37 = €64.11, VAT 0%.
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "REC", basePrice: "21.37", taxRate: "0", quantity: 3, expectedTotal: "€64.11" });
    const { invoiceNumber, reference, orderId } = order;
    const b = order.buyer.page;

    // The bank's export: the customer's transfer with the RF reference (as people type it, in
    // lower case), and an outgoing payment that is not a receivable.
    const bankName = `E2E Bank ${id}`;
    // This run's own account (lines are stored once per account), its check digits computed.
    const iban = ibanOf("DE", String(Date.now()).padStart(18, "0").slice(-18));
    const statement = [
      "Booking date,Amount,Currency,Payer,Reference",
      `2026-11-20,64.11,EUR,Acme Industrial Supply,Invoice ${reference.toLowerCase()}`,
      `2026-11-20,-12.00,EUR,Stationery Shop,Order 5531`,
    ].join("\n");
    const finance = await openAs(browser, baseURL, "finance");
    const f = finance.page;
    await visit(f, "/admin/payments");
    await f.getByRole("link", { name: "Bank reconciliation" }).click();
    await expect(f.getByRole("heading", { name: "Bank reconciliation" })).toBeVisible();
    await labelled(f, "Bank").fill(bankName);
    await f.getByLabel("Statement file").setInputFiles({ name: "statement.csv", mimeType: "text/csv", buffer: Buffer.from(statement) });
    // A mistyped IBAN (last digit) is refused next to the field, and the form keeps what was typed.
    const typo = iban.slice(0, -1) + ((Number(iban.at(-1)) + 1) % 10);
    await labelled(f, "Account IBAN").fill(formatIban(typo));
    await f.getByRole("button", { name: "Import statement" }).click();
    await expect(labelled(f, "Account IBAN")).toHaveAccessibleDescription(/Enter a valid IBAN/);
    await expect(labelled(f, "Account IBAN")).toHaveValue(formatIban(typo));
    await labelled(f, "Account IBAN").fill(formatIban(iban).toLowerCase());
    await f.getByLabel("Statement file").setInputFiles({ name: "statement.csv", mimeType: "text/csv", buffer: Buffer.from(statement) });
    // First import from this bank: the columns are mapped (guessed from the headers, checked here).
    const mapping = f.getByRole("group", { name: `Columns of ${bankName}'s statement` });
    await expect(mapping).toBeVisible();
    await expect(labelled(mapping, "Booking date")).toHaveValue("Booking date");
    await expect(mapping.getByLabel("Amount (signed)")).toHaveValue("Amount");
    await expect(mapping.getByLabel("Payer (counterparty)")).toHaveValue("Payer");
    await expect(labelled(mapping, "Reference")).toHaveValue("Reference");
    await f.getByRole("button", { name: "Import statement" }).click();
    await expect(f.getByRole("status").filter({ hasText: /Imported/ })).toContainText("Imported 2 new lines, 1 outgoing.");

    const line = f.getByTestId("statement-line").filter({ hasText: invoiceNumber });
    await expect(line).toHaveCount(1);
    await expect(line.getByTestId("suggestion")).toContainText("Pays in full");
    await expect(line.getByTestId("suggestion")).toContainText(/9\d% sure/);
    await line.getByRole("checkbox").check();
    await f.getByRole("button", { name: "Confirm selected matches" }).click();
    await expect(f.getByRole("status").filter({ hasText: /Confirmed/ })).toHaveText("Confirmed 1 match; the payments are verified and applied.");
    await expect(f.getByTestId("statement-line").filter({ hasText: invoiceNumber })).toHaveCount(0);

    await reloadHydrated(b);
    await expect(b.getByTestId(`invoice-row-${invoiceNumber}`)).toContainText("Paid");
    await visit(b, `/orders/${orderId}`);
    await expect(b.getByTestId("timeline")).toContainText("Invoice paid");

    // The same statement again: the bank mapping is remembered and nothing new is added.
    await visit(f, "/admin/payments/reconciliation");
    await labelled(f, "Bank").fill(bankName);
    await labelled(f, "Account IBAN").fill(iban);
    await f.getByLabel("Statement file").setInputFiles({ name: "statement.csv", mimeType: "text/csv", buffer: Buffer.from(statement) });
    await expect(f.getByText(`Using the remembered column mapping of ${bankName}.`)).toBeVisible();
    await f.getByRole("button", { name: "Import statement" }).click();
    await expect(f.getByRole("status").filter({ hasText: /Nothing new/ })).toHaveText("Nothing new: all 2 lines of this statement were imported before.");

    // Undo the confirmed match, with a reason: the invoice is open again.
    await f.getByRole("link", { name: /^Confirmed/ }).click();
    const confirmed = f.getByTestId("statement-line").filter({ hasText: invoiceNumber });
    await confirmed.getByLabel("Why undo?").fill("Confirmed by mistake");
    await confirmed.getByRole("button", { name: "Undo match" }).click();
    await expect(f.getByTestId("statement-line").filter({ hasText: invoiceNumber })).toHaveCount(0);
    await reloadHydrated(b);
    await visit(b, "/invoices");
    await expect(b.getByTestId(`invoice-row-${invoiceNumber}`)).toContainText("Open");
    await Promise.all([order.close(), finance.context.close()]);
  });
});
