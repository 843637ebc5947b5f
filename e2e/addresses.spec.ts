import { expect, test, type Locator, type Page } from "@playwright/test";
import { createCompany, createProduct, labelled, openAsNewBuyer, receiveStock, uid, visit } from "./admin-helpers";
import { storageState } from "./fixtures";
import { downloadPdfText } from "./pdf";

// Address books (issue 14): staff keep a company's billing and ship-to addresses on the customer
// page; a buyer picks a ship-to (not the default) when requesting a quotation; the order pages and
// the quotation PDF show that address, and editing the address book afterwards changes none of them.

const orderUrl = /\/orders\/([0-9a-f-]{36})\?submitted=1$/;

/** Opens a <details> editor (it may already be open after a save re-rendered the page). */
async function open(details: Locator): Promise<void> {
  if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
}

type Address = { label?: string; name?: string; line1: string; postalCode: string; city: string; country: string; isDefault?: boolean };

async function fillAddress(form: Locator, a: Address): Promise<void> {
  if (a.label !== undefined) await labelled(form, "Label").fill(a.label);
  if (a.name !== undefined) await labelled(form, "Name").fill(a.name);
  await labelled(form, "Street and number").fill(a.line1);
  await labelled(form, "Postal code").fill(a.postalCode);
  await labelled(form, "City").fill(a.city);
  await labelled(form, "Country").selectOption(a.country);
  if (a.isDefault !== undefined) await labelled(form, "Default ship-to address").setChecked(a.isDefault);
}

async function addShipTo(admin: Page, a: Address): Promise<void> {
  const editor = admin.getByTestId("new-ship-to-editor");
  await open(editor);
  const form = admin.getByTestId("new-ship-to-form");
  await fillAddress(form, a);
  await form.getByRole("button", { name: "Add ship-to address" }).click();
  await expect(admin.getByTestId(`ship-to-${a.label}`)).toBeVisible();
}

test.describe("addresses", () => {
  test.use({ storageState: storageState("admin") });

  test("staff keep a company's addresses; the buyer ships to a non-default one; order pages and the quotation PDF show it", async ({ page: admin, browser, baseURL }) => {
    test.slow();
    const id = uid();
    const companyName = `E2E Address Co ${id}`;
    const companyId = await createCompany(admin, companyName);

    // Billing address: a missing city is reported next to the field, then saved.
    const billingEditor = admin.getByTestId("billing-address-editor");
    await open(billingEditor);
    const billing = admin.getByTestId("billing-form");
    await fillAddress(billing, { line1: "Rechnungsweg 1", postalCode: "20095", city: "", country: "DE" });
    await billing.getByRole("button", { name: "Save billing address" }).click();
    await expect(labelled(billing, "City")).toHaveAccessibleDescription(/City is required\./);
    await labelled(billing, "City").fill("Hamburg");
    await billing.getByRole("button", { name: "Save billing address" }).click();
    const billingBlock = admin.locator("section").filter({ has: admin.getByRole("heading", { name: "Billing address" }) }).locator("address");
    await expect(billingBlock).toHaveText(/^E2E Address Co \S+\s*Rechnungsweg 1\s*20095 Hamburg\s*Germany$/);

    // Two ship-to addresses: the first becomes the default.
    await addShipTo(admin, { label: "North yard", line1: "Nordkai 3", postalCode: "24103", city: "Kiel", country: "DE" });
    await addShipTo(admin, { label: "South depot", line1: "Südring 8", postalCode: "80331", city: "München", country: "DE" });
    await expect(admin.getByTestId("ship-to-North yard").getByText("Default", { exact: true })).toHaveCount(1);
    await expect(admin.getByTestId("ship-to-South depot").getByText("Default", { exact: true })).toHaveCount(0);

    // Staff edit an address: the street of the South depot changes.
    const south = admin.getByTestId("ship-to-South depot");
    await open(south.locator("details"));
    const southForm = south.locator("form").first();
    await labelled(southForm, "Street and number").fill("Südring 10");
    await southForm.getByRole("button", { name: "Save ship-to address" }).click();
    await expect(south.locator("address")).toContainText("Südring 10");

    const sku = `ADDR-${id}`;
    const productId = await createProduct(admin, { sku, name: `E2E Address Item ${id}`, basePrice: "5.00", taxRate: "19" });
    await receiveStock(admin, productId, 20);

    const buyer = await openAsNewBuyer(browser, baseURL, admin, companyName);
    const b = buyer.page;
    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId(`cart-line-${sku}`)).toBeVisible();
    const shipTo = labelled(b, "Ship to");
    await expect(shipTo.locator("option:checked")).toHaveText(/^North yard: .*\(default\)$/);
    await shipTo.selectOption({ label: `South depot: Südring 10, 80331 München, Germany` });
    await b.getByRole("button", { name: "Request quotation" }).click();
    await expect(b).toHaveURL(orderUrl);
    const orderId = orderUrl.exec(b.url())![1]!;
    const shown = /South depot\s*E2E Address Co \S+\s*Südring 10\s*80331 München\s*Germany/;
    await expect(b.getByTestId("order-ship-to")).toHaveText(shown);

    const pdf = await downloadPdfText(b, "Download quotation PDF");
    expect(pdf.text).toContain("SHIP TO");
    expect(pdf.text).toContain("Südring 10");
    expect(pdf.text).toContain("80331 München");
    expect(pdf.text).toContain("Rechnungsweg 1"); // the billing address, under "Prepared for"

    // Staff see the same on their order page; a later edit of the address book leaves the order as placed.
    await visit(admin, `/admin/customers/${companyId}`);
    await open(admin.getByTestId("ship-to-South depot").locator("details"));
    const again = admin.getByTestId("ship-to-South depot").locator("form").first();
    await labelled(again, "Street and number").fill("Umzugsweg 99");
    await again.getByRole("button", { name: "Save ship-to address" }).click();
    await expect(admin.getByTestId("ship-to-South depot").locator("address")).toContainText("Umzugsweg 99");
    await visit(admin, `/admin/orders/${orderId}`);
    await expect(admin.getByTestId("order-ship-to")).toHaveText(shown);
    await visit(b, `/orders/${orderId}`);
    await expect(b.getByTestId("order-ship-to")).toHaveText(shown);
    await buyer.context.close();
  });
});
