import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { createProduct, expectStock, labelled, openAs, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { reloadHydrated, storageState } from "./fixtures";
import { downloadPdfText } from "./pdf";

// Orders end to end: cart → quotation → acceptance → seller approvals → invoice → shipment, and the
// ways out (cancellation with a credit note, expiry). Every test orders products of its own, with
// stock received for it, so quantities and totals are exact; and a buyer of its own in Acme, so
// its cart and orders are its alone (the demo buyer's cart is shared by whoever signs in as them).
// Figures are worked out by hand below: tax per line, rounded half up; total = Σ (net + tax).

const ACME = "Acme Industrial Supply";
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** The text of a cell made of stacked blocks, e.g. a product name with its price explanation under it. */
const stacked = (...parts: string[]) => new RegExp(`^${parts.map(escape).join("\\s*")}$`);
const orderUrl = /\/orders\/([0-9a-f-]{36})\?submitted=1$/;
/** Form messages (role "status"), without the layout's toast region, which is a status too but empty. */
const messages = (page: Page) => page.getByRole("status").filter({ hasText: /\S/ });

/** Pastes lines into the cart's quick order form and submits it. */
async function pasteQuickOrder(buyer: Page, lines: string[]): Promise<void> {
  await buyer.getByLabel("Paste lines: SKU, quantity").fill(lines.join("\n"));
  await buyer.getByRole("button", { name: "Add lines" }).click();
}

/** From the cart: "Request quotation", then the new order's page. Returns the order id and quotation number. */
async function requestQuotation(buyer: Page): Promise<{ orderId: string; quotationNumber: string; reference: string }> {
  await buyer.getByRole("button", { name: "Request quotation" }).click();
  await expect(buyer).toHaveURL(orderUrl);
  const orderId = orderUrl.exec(buyer.url())![1]!;
  await expect(buyer.getByTestId("order-status")).toHaveText("Quotation issued");
  const quotationNumber = (await buyer.getByTestId("quotation-number").innerText()).trim();
  expect(quotationNumber).toMatch(/^Q-\d{4}-\d{6}$/);
  await expect(messages(buyer)).toHaveText(`Quotation ${quotationNumber} issued.`);
  await expect(buyer.getByTestId("quotation-version")).toHaveText("1");
  const reference = (await buyer.getByRole("heading", { level: 1 }).innerText()).trim();
  expect(reference).toMatch(/^ORD-[A-Z2-9]{8}$/);
  return { orderId, quotationNumber, reference };
}

/** On the customer's order page: accepts the quotation with a PO number. */
async function acceptQuotation(buyer: Page, poNumber: string, expectedStatus = "Waiting for seller approval"): Promise<void> {
  await labelled(buyer, "PO number").fill(poNumber);
  await buyer.getByRole("button", { name: "Accept quotation" }).click();
  await expect(buyer.getByTestId("order-status")).toHaveText(expectedStatus);
  await expect(buyer.getByTestId("order-po-number")).toHaveText(poNumber);
  await expect(buyer.getByRole("button", { name: "Accept quotation" })).toHaveCount(0);
}

/** On the staff order page: "Approve order" with a comment; returns the notice shown after the redirect. */
async function approveAsStaff(staff: Page, orderId: string, comment: string, done: "approved" | "approved-sales" | "approved-finance"): Promise<string> {
  await visit(staff, `/admin/orders/${orderId}`);
  await expect(staff.getByTestId("order-status")).toHaveText("Waiting for seller approval");
  await labelled(staff, "Comment").fill(comment);
  await staff.getByRole("button", { name: "Approve order" }).click();
  await expect(staff).toHaveURL(new URL(`/admin/orders/${orderId}?done=${done}`, staff.url()).toString());
  const notice = messages(staff);
  await expect(notice).toHaveCount(1);
  return (await notice.innerText()).trim();
}

test.describe("orders", () => {
  test.use({ storageState: storageState("admin") });

  test("a buyer orders by quick order, accepts the quotation, sales approves, and the goods ship", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const pump = { sku: `ORD-P-${id}`, name: `E2E Order Pump ${id}` };
    const seal = { sku: `ORD-S-${id}`, name: `E2E Order Seal ${id}` };
    // 3 × €12.50 = €37.50, VAT 19% = €7.125 → €7.13 (half up; half-even would give €7.12).
    // 6 × €0.25 = €1.50, VAT 7% = €0.105 → €0.11 (half-even: €0.10). Total €44.63 + €1.61 = €46.24.
    const pumpId = await createProduct(admin, { ...pump, basePrice: "12.50", taxRate: "19" });
    const sealId = await createProduct(admin, { ...seal, basePrice: "0.25", taxRate: "7" });
    await receiveStock(admin, pumpId, 50);
    await receiveStock(admin, sealId, 100);
    const buyer = await openAsNewBuyer(browser, baseURL, admin);
    const b = buyer.page;

    await b.getByRole("link", { name: "Cart", exact: true }).click();
    await expect(b).toHaveURL(/\/cart$/);
    await expect(b.getByText("Your cart is empty", { exact: true })).toBeVisible();

    // One unknown SKU and one bad quantity: every bad line is named and nothing is added.
    await pasteQuickOrder(b, [`${pump.sku}, 3`, `NO-SUCH-${id}, 2`, `${seal.sku}; six`]);
    await expect(b.getByTestId("quick-order-errors").getByRole("listitem")).toHaveText([
      `Line 2: no product has SKU NO-SUCH-${id}.`,
      `Line 3: the quantity "six" is not a whole number of at least 1.`,
    ]);
    await expect(messages(b)).toHaveText("2 lines need fixing; nothing was added.");
    await visit(b, "/cart");
    await expect(b.getByText("Your cart is empty", { exact: true })).toBeVisible();
    await expect(b.locator("[data-testid^=cart-line-]")).toHaveCount(0);
    await expect(b.getByRole("button", { name: "Request quotation" })).toBeDisabled();

    // Lower-case SKU and a tab, as pasted from a spreadsheet.
    await pasteQuickOrder(b, [`${pump.sku.toLowerCase()}, 3`, `${seal.sku}\t6`]);
    await expect(messages(b)).toHaveText("2 lines added to your cart.");
    const pumpRow = b.getByTestId(`cart-line-${pump.sku}`);
    const sealRow = b.getByTestId(`cart-line-${seal.sku}`);
    await expect(b.getByLabel(`Quantity for ${pump.sku}`)).toHaveValue("3");
    await expect(b.getByLabel(`Quantity for ${seal.sku}`)).toHaveValue("6");
    await expect(pumpRow.locator("td:nth-child(n+5):nth-child(-n+7)")).toHaveText(["€37.50", "19%", "€44.63"]);
    await expect(sealRow.locator("td:nth-child(n+5):nth-child(-n+7)")).toHaveText(["€1.50", "7%", "€1.61"]);
    await expect(b.getByTestId("cart-subtotal")).toHaveText("€39.00");
    await expect(b.getByTestId("cart-tax-19")).toHaveText("€7.13");
    await expect(b.getByTestId("cart-tax-7")).toHaveText("€0.11");
    await expect(b.getByText("VAT 19%", { exact: true })).toBeVisible();
    await expect(b.getByTestId("cart-total")).toHaveText("€46.24");

    const { orderId, quotationNumber, reference } = await requestQuotation(b);
    await expect(b.getByTestId("quotation-line-" + pump.sku).locator("td")).toHaveText([
      pump.sku,
      stacked(pump.name, "List price"),
      "3 each",
      "€12.50",
      "0%",
      "€37.50",
      "19%",
      "€44.63",
    ]);
    await expect(b.getByTestId("quotation-line-" + seal.sku).locator("td")).toHaveText([seal.sku, stacked(seal.name, "List price"), "6 each", "€0.25", "0%", "€1.50", "7%", "€1.61"]);
    await expect(b.getByTestId("quotation-subtotal")).toHaveText("€39.00");
    await expect(b.getByTestId("quotation-tax-19")).toHaveText("€7.13");
    await expect(b.getByTestId("quotation-tax-7")).toHaveText("€0.11");
    await expect(b.getByTestId("quotation-total")).toHaveText("€46.24");

    const quotationPdf = await downloadPdfText(b, "Download quotation PDF");
    expect(quotationPdf.text).toContain(quotationNumber);
    expect(quotationPdf.text).toContain(pump.sku);
    expect(quotationPdf.text).toContain(seal.sku);
    expect(quotationPdf.text).toContain("Subtotal €39.00");
    expect(quotationPdf.text).toContain("VAT 19% on €37.50 €7.13");
    expect(quotationPdf.text).toContain("VAT 7% on €1.50 €0.11");
    expect(quotationPdf.text).toContain("Total €46.24");

    const po = `PO-${id}`;
    await acceptQuotation(b, po);
    await expect(b.getByTestId("current-step")).toContainText("Waiting for the seller's approval.");
    await expect(b.getByTestId("approval-reasons").getByRole("listitem")).toHaveText(["Every order needs a sales approval."]);
    // Accepting reserved the stock.
    await expectStock(admin, pumpId, { onHand: 50, reserved: 3, available: 47 });
    await expectStock(admin, sealId, { onHand: 100, reserved: 6, available: 94 });

    const sales = await openAs(browser, baseURL, "sales");
    await visit(sales.page, `/admin/orders/approvals?q=${reference}`);
    await expect(sales.page.getByTestId("approval-row")).toHaveCount(1);
    await expect(sales.page.getByTestId("approval-row").locator("td:nth-child(-n+3)")).toHaveText([stacked(reference, quotationNumber), ACME, "€46.24"]);
    const notice = await approveAsStaff(sales.page, orderId, "Looks fine.", "approved");
    const invoiceNumber = (await sales.page.getByTestId("invoice-number").innerText()).trim();
    expect(invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(notice).toBe(`Order approved. Invoice ${invoiceNumber} issued.`);
    await expect(sales.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(sales.page.getByTestId("invoice-total")).toHaveText("€46.24");

    await reloadHydrated(b);
    await expect(b.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(b.getByTestId("invoice-number")).toHaveText(invoiceNumber);
    await expect(b.getByTestId("invoice-total")).toHaveText("€46.24");
    await expect(b.getByTestId("invoice-status")).toHaveText("Open");
    const due = (await b.getByTestId("invoice-due-date").innerText()).trim();
    expect(due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect(b.getByTestId("current-step")).toHaveText(`Approved. Invoice ${invoiceNumber}, due ${due}.`);
    await expect(b.getByTestId("approval-sales").locator("td")).toHaveText(["Sales", "Approved", "Sam Sales", /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \(Europe\/Berlin\)$/, "Looks fine."]);
    const invoicePdf = await downloadPdfText(b, "Download invoice PDF");
    expect(invoicePdf.text).toContain(invoiceNumber);
    expect(invoicePdf.text).toContain("Total €46.24");
    expect(invoicePdf.text).toContain(`PO ${po}`);

    // Sales ships it; the buyer sees the carrier and tracking number.
    const tracking = `JD${id.replace(/-/g, "")}`;
    await labelled(sales.page, "Carrier").fill("DHL Express");
    await labelled(sales.page, "Tracking number").fill(tracking);
    await sales.page.getByRole("button", { name: "Ship these quantities" }).click();
    await expect(sales.page).toHaveURL(new RegExp(`/admin/orders/${orderId}\\?done=shipped$`));
    await expect(messages(sales.page)).toHaveText("Order marked as shipped.");
    await expect(sales.page.getByTestId("order-status")).toHaveText("Shipped");

    await reloadHydrated(b);
    await expect(b.getByTestId("order-status")).toHaveText("Shipped");
    await expect(b.getByTestId("shipment")).toHaveText(`Carrier: DHL Express, tracking number ${tracking}`);
    await expect(b.getByTestId("timeline").getByRole("listitem")).toHaveCount(4);

    // Shipping took the goods off the shelf and ended the reservation.
    await expectStock(admin, pumpId, { onHand: 47, reserved: 0, available: 47 });
    await expectStock(admin, sealId, { onHand: 94, reserved: 0, available: 94 });

    await Promise.all([buyer.context.close(), sales.context.close()]);
  });

  test("an order of €10,000 or more needs finance approval after sales", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const sku = `ORD-L-${id}`;
    // 4 × €2,500.00 = €10,000.00 net, VAT 19% = €1,900.00: €11,900.00, at or above the €10,000.00 threshold.
    const productId = await createProduct(admin, { sku, name: `E2E Order Compressor ${id}`, basePrice: "2500.00", taxRate: "19" });
    await receiveStock(admin, productId, 10);
    const buyer = await openAsNewBuyer(browser, baseURL, admin);
    const b = buyer.page;
    await visit(b, "/cart");
    await pasteQuickOrder(b, [`${sku}, 4`]);
    await expect(messages(b)).toHaveText("1 line added to your cart.");
    await expect(b.getByTestId("cart-total")).toHaveText("€11,900.00");
    const { orderId, quotationNumber, reference } = await requestQuotation(b);
    await expect(b.getByTestId("quotation-subtotal")).toHaveText("€10,000.00");
    await expect(b.getByTestId("quotation-tax-19")).toHaveText("€1,900.00");
    await expect(b.getByTestId("quotation-total")).toHaveText("€11,900.00");
    await acceptQuotation(b, `PO-L-${id}`);
    const financeReason = "Finance approval: the total €11,900.00 is at or above the €10,000.00 threshold.";
    const reasons = b.getByTestId("approval-reasons").getByRole("listitem");
    await expect(reasons.nth(0)).toHaveText("Every order needs a sales approval.");
    await expect(reasons.nth(1)).toHaveText(financeReason);

    const sales = await openAs(browser, baseURL, "sales");
    const finance = await openAs(browser, baseURL, "finance");
    // Finance can approve as soon as the order is accepted; sales sees it too.
    for (const staff of [sales.page, finance.page]) {
      await visit(staff, `/admin/orders/approvals?q=${reference}`);
      await expect(staff.getByTestId("approval-row")).toHaveCount(1);
      await expect(staff.getByTestId("approval-row").locator("td:nth-child(-n+3)")).toHaveText([stacked(reference, quotationNumber), ACME, "€11,900.00"]);
      await expect(staff.getByTestId("approval-row").locator("td:nth-child(5)")).toHaveText("Sales + Finance");
    }

    expect(await approveAsStaff(sales.page, orderId, "Sales OK.", "approved-sales")).toBe("Your sales approval is recorded. The order still needs the finance approval.");
    await expect(sales.page.getByTestId("order-status")).toHaveText("Waiting for seller approval");
    await expect(sales.page.getByTestId("invoice-number")).toHaveCount(0);
    await expect(sales.page.getByTestId("approval-unavailable")).toHaveText("You have already approved this order; another person must give the remaining approval.");
    await reloadHydrated(b);
    await expect(b.getByTestId("order-status")).toHaveText("Waiting for seller approval");
    await expect(b.getByTestId("invoice-number")).toHaveCount(0);
    await expect(b.getByTestId("approval-sales").locator("td:nth-child(-n+3)")).toHaveText(["Sales", "Approved", "Sam Sales"]);

    // Gone from the sales queue, still in finance's, now marked as having the sales approval.
    await visit(sales.page, `/admin/orders/approvals?q=${reference}`);
    await expect(sales.page.getByText("Nothing waiting for you", { exact: true })).toBeVisible();
    await expect(sales.page.getByTestId("approval-row")).toHaveCount(0);
    await visit(finance.page, "/admin/orders/approvals");
    const financeRow = finance.page.getByTestId("approval-row").filter({ hasText: reference });
    await expect(financeRow).toHaveCount(1);
    await expect(financeRow.locator("td:nth-child(5)")).toHaveText(stacked("Sales + Finance", "Given: Sales"));
    await expect(financeRow.locator("td:nth-child(6)").getByRole("listitem")).toContainText([financeReason]);
    await financeRow.getByRole("link", { name: reference }).click();
    await expect(finance.page).toHaveURL(new RegExp(`/admin/orders/${orderId}$`));

    const notice = await approveAsStaff(finance.page, orderId, "Credit checked.", "approved");
    const invoiceNumber = (await finance.page.getByTestId("invoice-number").innerText()).trim();
    expect(invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
    expect(notice).toBe(`Order approved. Invoice ${invoiceNumber} issued.`);
    await expect(finance.page.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(finance.page.getByTestId("invoice-total")).toHaveText("€11,900.00");
    await visit(finance.page, `/admin/orders/approvals?q=${reference}`);
    await expect(finance.page.getByTestId("approval-row")).toHaveCount(0);

    await reloadHydrated(b);
    await expect(b.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(b.getByTestId("invoice-number")).toHaveText(invoiceNumber);
    await expect(b.getByTestId("invoice-total")).toHaveText("€11,900.00");
    await expect(b.getByTestId("approval-finance").locator("td:nth-child(-n+3)")).toHaveText(["Finance", "Approved", "Fiona Finance"]);
    await expectStock(admin, productId, { onHand: 10, reserved: 4, available: 6 });

    await Promise.all([buyer.context.close(), sales.context.close(), finance.context.close()]);
  });

  test("staff cancel an approved order: the invoice is credited in full and the stock released", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const sku = `ORD-C-${id}`;
    // 5 × €19.99 = €99.95, VAT 19% = €18.9905 → €18.99: €118.94.
    const productId = await createProduct(admin, { sku, name: `E2E Order Valve ${id}`, basePrice: "19.99", taxRate: "19" });
    await receiveStock(admin, productId, 20);
    const buyer = await openAsNewBuyer(browser, baseURL, admin);
    const b = buyer.page;
    await visit(b, "/cart");
    await pasteQuickOrder(b, [`${sku}, 5`]);
    await expect(b.getByTestId("cart-total")).toHaveText("€118.94");
    const { orderId } = await requestQuotation(b);
    await acceptQuotation(b, `PO-C-${id}`);
    const sales = await openAs(browser, baseURL, "sales");
    await approveAsStaff(sales.page, orderId, "", "approved");
    const invoiceNumber = (await sales.page.getByTestId("invoice-number").innerText()).trim();
    expect(invoiceNumber).toMatch(/^INV-\d{4}-\d{6}$/);
    await expectStock(admin, productId, { onHand: 20, reserved: 5, available: 15 });

    const reason = `Customer ordered the wrong size (${id})`;
    await visit(admin, `/admin/orders/${orderId}`);
    await expect(admin.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(admin.getByTestId("cancel-warning")).toHaveText(
      `This order is invoiced: invoice ${invoiceNumber} (€118.94) will be cancelled by a credit note for its full amount.`,
    );
    await labelled(admin, "Reason for cancelling").fill(reason);
    await admin.getByRole("button", { name: "Cancel order" }).click();
    await expect(admin).toHaveURL(new RegExp(`/admin/orders/${orderId}\\?done=cancelled$`));
    await expect(admin.getByTestId("order-status")).toHaveText("Cancelled");
    const creditNoteNumber = (await admin.getByTestId("credit-note-number").innerText()).trim();
    expect(creditNoteNumber).toMatch(/^CN-\d{4}-\d{6}$/);
    await expect(messages(admin)).toHaveText(`Order cancelled. Credit note ${creditNoteNumber} issued for invoice ${invoiceNumber}.`);
    await expect(admin.getByTestId("credit-note-total")).toHaveText("€118.94");
    await expect(admin.getByTestId("invoice-status")).toHaveText("Cancelled");
    await expect(admin.getByTestId("order-close-reason")).toContainText(reason);
    await expect(admin.getByRole("button", { name: "Cancel order" })).toHaveCount(0);

    await reloadHydrated(b);
    await expect(b.getByTestId("order-status")).toHaveText("Cancelled");
    await expect(b.getByTestId("current-step")).toHaveText(stacked("The order was cancelled.", `Reason: ${reason}`));
    await expect(b.getByTestId("invoice-status")).toHaveText("Cancelled");
    await expect(b.getByTestId("credit-note-number")).toHaveText(creditNoteNumber);
    await expect(b.getByTestId("credit-note-total")).toHaveText("€118.94");
    await expect(b.getByRole("button", { name: "Cancel order" })).toHaveCount(0);
    const creditNotePdf = await downloadPdfText(b, "Download credit note PDF");
    expect(creditNotePdf.text).toContain(creditNoteNumber);
    expect(creditNotePdf.text).toContain(`Cancels invoice ${invoiceNumber}`);
    expect(creditNotePdf.text).toContain("Total €118.94");

    await expectStock(admin, productId, { onHand: 20, reserved: 0, available: 20 });
    await Promise.all([buyer.context.close(), sales.context.close()]);
  });

  test("a quotation past its validity cannot be accepted and its lines go back to the cart", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    // No clock to move in a production server: the quotation's validity is moved into the past in the
    // e2e database instead (quotations are immutable by trigger, so the trigger is disabled for that
    // one statement, in one transaction). Only possible against PostgreSQL; serve.ts may fall back to PGlite.
    // This connects as TEST_DATABASE_URL's role (the owner, a superuser locally) on purpose: the app role may not.
    const sql = await e2eDatabase(1);
    if (!sql) {
      test.skip(true, "the e2e database is not reachable over PostgreSQL (PGlite run?)");
      return;
    }
    try {
      const id = uid();
      const sku = `ORD-X-${id}`;
      const name = `E2E Order Filter ${id}`;
      // 4 × €3.35 = €13.40, VAT 19% = €2.546 → €2.55: €15.95.
      const productId = await createProduct(admin, { sku, name, basePrice: "3.35", taxRate: "19" });
      await receiveStock(admin, productId, 10);
      const buyer = await openAsNewBuyer(browser, baseURL, admin);
      const b = buyer.page;

      await visit(b, `/products/${sku}`);
      await b.getByRole("spinbutton", { name: "Quantity", exact: true }).fill("4");
      await b.getByRole("button", { name: "Add to cart" }).click();
      await expect(messages(b)).toHaveText("Added to cart. View cart");
      await b.getByRole("link", { name: "View cart" }).click();
      await expect(b).toHaveURL(/\/cart$/);
      await expect(b.getByTestId("cart-total")).toHaveText("€15.95");
      const { orderId, quotationNumber } = await requestQuotation(b);

      // Valid until the end of yesterday in the company's time zone; issued 15 days ago.
      const moved = await sql.begin(async (tx) => {
        await tx`alter table quotations disable trigger quotations_immutable`;
        const rows = await tx`
          update quotations q
             set issued_at = q.issued_at - interval '15 days',
                 valid_until = (date_trunc('day', now() at time zone c.time_zone) - interval '1 second') at time zone c.time_zone
            from orders o join companies c on c.id = o.company_id
           where o.id = q.order_id and q.order_id = ${orderId} and q.number = ${quotationNumber}
          returning c.time_zone`;
        await tx`alter table quotations enable trigger quotations_immutable`;
        return rows;
      });
      expect(moved).toHaveLength(1);
      expect(moved[0]!.time_zone).toBe("Europe/Berlin");
      const yesterday = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(new Date(Date.now() - 86_400_000));
      const validUntil = `${yesterday} 23:59 (Europe/Berlin)`;

      // The page still shows the quotation as open: accepting it now is refused.
      await acceptQuotationExpectingExpiry(b, quotationNumber, validUntil);
      await expectStock(admin, productId, { onHand: 10, reserved: 0, available: 10 });

      await reloadHydrated(b);
      await expect(b.getByTestId("order-status")).toHaveText("Quotation expired");
      await expect(b.getByTestId("quotation-valid-until")).toHaveText(validUntil);
      await expect(b.getByTestId("current-step")).toContainText(`Quotation ${quotationNumber} expired on ${validUntil}.`);
      await expect(b.getByRole("button", { name: "Accept quotation" })).toHaveCount(0);
      await expect(b.getByRole("button", { name: "Decline quotation" })).toHaveCount(0);
      await expect(b.getByRole("button", { name: "Cancel order" })).toHaveCount(0);
      const staff = await openAs(browser, baseURL, "sales");
      await visit(staff.page, `/admin/orders/${orderId}`);
      await expect(staff.page.getByTestId("order-status")).toHaveText("Quotation expired");
      await expect(staff.page.getByRole("button", { name: "Issue revised quotation" })).toHaveCount(0);
      await staff.context.close();

      await b.getByRole("button", { name: "Request a new quotation" }).click();
      await expect(b).toHaveURL(/\/cart$/);
      await expect(b.locator("[data-testid^=cart-line-]")).toHaveCount(1);
      await expect(b.getByLabel(`Quantity for ${sku}`)).toHaveValue("4");
      await expect(b.getByTestId(`cart-line-${sku}`).locator("td:nth-child(n+5):nth-child(-n+7)")).toHaveText(["€13.40", "19%", "€15.95"]);
      await expect(b.getByTestId("cart-total")).toHaveText("€15.95");
      await expect(b.getByRole("button", { name: "Request quotation" })).toBeEnabled();
      await buyer.context.close();
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  test("a buyer of another company gets 404 for an Acme order and its quotation PDF", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const sku = `ORD-I-${id}`;
    await createProduct(admin, { sku, name: `E2E Order Gauge ${id}`, basePrice: "8.40", taxRate: "19" });
    const buyer = await openAsNewBuyer(browser, baseURL, admin);
    const b = buyer.page;
    await visit(b, "/cart");
    await pasteQuickOrder(b, [`${sku}, 2`]);
    await expect(b.getByTestId("cart-total")).toHaveText("€19.99"); // 2 × €8.40 = €16.80 + €3.192 → €3.19
    const { orderId, reference, quotationNumber } = await requestQuotation(b);
    const pdfHref = await b.getByRole("link", { name: "Download quotation PDF", exact: true }).getAttribute("href");
    expect(pdfHref).toMatch(/^\/api\/documents\/quotations\/[0-9a-f-]{36}$/);
    // The control: the owner gets the document.
    expect((await b.request.get(pdfHref!)).status()).toBe(200);

    const globex = await openAs(browser, baseURL, "globexBuyer");
    const g = globex.page;
    const res = await g.goto(`/orders/${orderId}`);
    expect(res?.status()).toBe(404);
    await expect(g.getByRole("heading", { name: "Page not found" })).toBeVisible();
    for (const leak of [reference, quotationNumber, sku]) await expect(g.locator("body")).not.toContainText(leak);
    const pdf = await g.request.get(pdfHref!);
    expect(pdf.status()).toBe(404);
    expect(pdf.headers()["content-type"]).toMatch(/^application\/json/);
    expect(await pdf.json()).toEqual({ ok: false, code: "not_found", error: "Not found." });
    // Nor does the order show in their list.
    await visit(g, "/orders");
    await expect(g.locator("body")).not.toContainText(reference);

    await Promise.all([buyer.context.close(), globex.context.close()]);
  });
});

/** Clicks "Accept quotation" on a page rendered while the quotation was open, after its validity passed. */
async function acceptQuotationExpectingExpiry(buyer: Page, quotationNumber: string, validUntil: string): Promise<void> {
  await expect(buyer.getByTestId("order-status")).toHaveText("Quotation issued");
  await labelled(buyer, "PO number").fill("PO-TOO-LATE");
  await buyer.getByRole("button", { name: "Accept quotation" }).click();
  // The page was opened from the cart, so the "issued" banner is still there too.
  await expect(messages(buyer)).toHaveText([
    `Quotation ${quotationNumber} issued.`,
    `Quotation ${quotationNumber} expired on ${validUntil}. Request a new quotation at current prices.`,
  ]);
}
