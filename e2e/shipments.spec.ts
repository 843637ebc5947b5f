import { expect, test, type Page } from "@playwright/test";
import { labelled, openAs, visit } from "./admin-helpers";
import { reloadHydrated, storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";
import { downloadPdfText } from "./pdf";

// Partial shipments and backorders (issue 14): sales ships part of an approved order with a carrier
// and tracking number, the buyer sees what shipped and what remains and downloads the delivery note
// (another company gets 404), then sales ships the rest and the order is shipped. The order is this
// test's own (a product and a buyer of its own), so every figure is exact.

const messages = (page: Page) => page.getByRole("status").filter({ hasText: /\S/ });

test.describe("shipments", () => {
  test.use({ storageState: storageState("admin") });

  test("sales ships part of an order, the buyer sees the backorder and the delivery note, sales ships the rest", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: order, approval, two shipments
    // 5 × €10.00 + 19% VAT = €59.50.
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "SHIP", basePrice: "10.00", taxRate: "19", quantity: 5, expectedTotal: "€59.50" });
    const s = order.sales.page;
    const b = order.buyer.page;
    const sku = (await s.getByTestId("ship-line-1").locator("td").first().locator("span").innerText()).trim();
    expect(sku).toMatch(/^SHIP-/);

    // More than remains: the error stands next to the line's field; nothing ships.
    await labelled(s, `Quantity to ship of ${sku}`).fill("9");
    await labelled(s, "Carrier").fill("DHL Express");
    await s.getByRole("button", { name: "Ship these quantities" }).click();
    await expect(s.getByText("Line 1: only 5 each remain to ship.").first()).toBeVisible();
    await expect(s.getByTestId("shipment-entry")).toHaveCount(0);

    // Two of five ship; three stay backordered.
    const tracking = `JD-PART-${order.orderId.slice(0, 8)}`;
    await labelled(s, `Quantity to ship of ${sku}`).fill("2");
    await labelled(s, "Carrier").fill("DHL Express");
    await labelled(s, "Tracking number").fill(tracking);
    await s.getByRole("button", { name: "Ship these quantities" }).click();
    await expect(s).toHaveURL(new RegExp(`/admin/orders/${order.orderId}\\?done=partly-shipped$`));
    await expect(messages(s)).toHaveText("Shipment recorded. The rest of the order stays backordered until it ships.");
    await expect(s.getByTestId("order-status")).toHaveText("Approved and invoiced");
    await expect(s.getByTestId("partly-shipped")).toHaveText("Partly shipped");
    await expect(s.getByTestId("shipping-line-1").getByTestId("line-remaining")).toHaveText("3 each");
    await expect(labelled(s, `Quantity to ship of ${sku}`)).toHaveValue("3");
    // A partly shipped order ships the rest; it is not cancelled.
    await expect(s.getByRole("button", { name: "Cancel order" })).toHaveCount(0);
    const dn1 = (await s.getByTestId("shipment-entry").getByRole("link", { name: /^DN-/ }).first().innerText()).trim();
    expect(dn1).toMatch(/^DN-\d{4}-\d{6}$/);

    // The buyer: shipped and remaining per line, the shipment with its tracking number, on the timeline, and its delivery note.
    await visit(b, `/orders/${order.orderId}`);
    await expect(b.getByTestId("partly-shipped")).toHaveText("Partly shipped");
    await expect(b.getByTestId("shipping-line-1").getByTestId("line-shipped")).toHaveText("2 each");
    await expect(b.getByTestId("shipping-line-1").getByTestId("line-remaining")).toHaveText("3 each");
    await expect(b.getByTestId("shipping-progress")).toHaveText("3 units still to ship (backordered).");
    await expect(b.getByTestId("shipment-tracking")).toHaveText(`DHL Express, tracking number ${tracking}`);
    await expect(b.getByTestId("timeline").getByRole("listitem").filter({ hasText: "Partly shipped" })).toContainText(`${dn1}: 2 units with DHL Express ${tracking}; 3 to follow`);
    const note = await downloadPdfText(b, `Download delivery note ${dn1} (PDF)`);
    const text = note.text.replace(/\s+/g, " ");
    expect(text).toContain(`Delivery note ${dn1}`);
    expect(text).toContain(`Tracking number ${tracking}`);
    expect(text).toContain("Carrier DHL Express");
    expect(text).toContain("5 each 0 each 2 each 3 each");
    expect(text).toContain("Still to follow: 3 units (backordered).");
    expect(text).toContain("SHIP TO");
    // Another company's buyer: no such document.
    const globex = await openAs(browser, baseURL, "globexBuyer");
    expect((await globex.page.request.get(note.href)).status()).toBe(404);
    await globex.context.close();

    // At 375 px the shipments card stacks; nothing scrolls sideways.
    await b.setViewportSize({ width: 375, height: 812 });
    await reloadHydrated(b);
    await expect(b.getByTestId("shipment-entry")).toBeVisible();
    const overflow = await b.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The rest ships (the form offers what remains) and the order is shipped.
    await visit(s, `/admin/orders/${order.orderId}`);
    await labelled(s, "Carrier").fill("UPS");
    await s.getByRole("button", { name: "Ship these quantities" }).click();
    await expect(s).toHaveURL(new RegExp(`/admin/orders/${order.orderId}\\?done=shipped$`));
    await expect(s.getByTestId("order-status")).toHaveText("Shipped");
    await expect(s.getByTestId("partly-shipped")).toHaveCount(0);

    await reloadHydrated(b);
    await expect(b.getByTestId("order-status")).toHaveText("Shipped");
    await expect(b.getByTestId("shipping-progress")).toHaveText("Everything on this order has shipped.");
    await expect(b.getByTestId("shipment-entry")).toHaveCount(2);
    await expect(b.getByTestId("shipping-line-1").getByTestId("line-remaining")).toHaveText("0 each");
    await order.close();
  });
});
