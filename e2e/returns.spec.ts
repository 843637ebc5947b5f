import { expect, test, type Page } from "@playwright/test";
import { labelled, visit } from "./admin-helpers";
import { e2eDatabase } from "./db";
import { reloadHydrated, storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";

// Returns (issue 14): the buyer asks to return part of what shipped (a field error for more than
// shipped), sales approve it and mark it received, the credit note for exactly those goods appears
// on both order pages and the goods are back on hand. The order is this test's own (a product and a
// buyer of its own), so every figure is exact.

const messages = (page: Page) => page.getByRole("status").filter({ hasText: /\S/ });

test.describe("returns", () => {
  test.use({ storageState: storageState("admin") });

  test("the buyer requests a return of shipped goods, sales approve and receive it: credit note issued, stock back", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: order, approval, shipment, return
    // 4 × €10.00 + 19% VAT = €47.60; 14 units on hand before.
    const order = await invoicedOrder(admin, browser, baseURL, { skuPrefix: "RETN", basePrice: "10.00", taxRate: "19", quantity: 4, expectedTotal: "€47.60" });
    const s = order.sales.page;
    const b = order.buyer.page;
    const sku = (await s.getByTestId("ship-line-1").locator("td").first().locator("span").innerText()).trim();

    // Three of four ship.
    await labelled(s, `Quantity to ship of ${sku}`).fill("3");
    await labelled(s, "Carrier").fill("DHL");
    await s.getByRole("button", { name: "Ship these quantities" }).click();
    await expect(s).toHaveURL(new RegExp(`/admin/orders/${order.orderId}\\?done=partly-shipped$`));

    // The buyer: more than shipped is refused next to the line's field.
    await visit(b, `/orders/${order.orderId}`);
    await labelled(b, `Quantity to return of ${sku}`).fill("4");
    await labelled(b, "Reason for the return").fill("Damaged in transit");
    await b.getByRole("button", { name: "Request a return" }).click();
    await expect(b.getByText("Line 1: at most 3 each can be returned (3 shipped, 0 already being returned).").first()).toBeVisible();
    await expect(b.getByTestId(/^return-RET-/)).toHaveCount(0);

    await labelled(b, `Quantity to return of ${sku}`).fill("2");
    await labelled(b, "Reason for the return").fill("Damaged in transit");
    await b.getByRole("button", { name: "Request a return" }).click();
    await expect(messages(b).filter({ hasText: /^Return RET-\d{4}-\d{6} requested\./ })).toBeVisible();
    const entry = b.getByTestId(/^return-RET-/);
    await expect(entry).toHaveCount(1);
    await expect(entry.getByTestId("return-status")).toHaveText("Requested");
    const number = ((await entry.getAttribute("data-testid")) ?? "").replace(/^return-/, "");

    // Sales approve, then mark it received: the credit note for 2 × €10.00 + 19% = €23.80.
    await visit(s, `/admin/orders/${order.orderId}`);
    await s.getByRole("button", { name: "Approve return" }).click();
    await expect(s.getByTestId(`return-${number}`).getByTestId("return-status")).toHaveText("Approved");
    await s.getByRole("button", { name: "Mark return received" }).click();
    await expect(s.getByTestId(`return-${number}`).getByTestId("return-status")).toHaveText("Received");
    await expect(s.getByTestId(`return-${number}`).getByTestId("return-credit-note")).toContainText(/Credit note CN-\d{4}-\d{6}: €23\.80/);

    // The buyer sees it received with its credit note, and each step on the timeline.
    await reloadHydrated(b);
    await expect(b.getByTestId(`return-${number}`).getByTestId("return-status")).toHaveText("Received");
    await expect(b.getByTestId(`return-${number}`).getByTestId("return-credit-note")).toContainText(/Credit note CN-\d{4}-\d{6}: €23\.80/);
    const steps = b.getByTestId("timeline").getByRole("listitem").filter({ hasText: number });
    await expect(steps).toHaveCount(3);

    // Stock back: 14 − 3 shipped + 2 returned.
    const db = await e2eDatabase(1);
    if (db) {
      const [row] = await db<{ on_hand: number; reserved: number }[]>`select i.on_hand, i.reserved from inventory i join products p on p.id = i.product_id where p.sku = ${sku}`;
      expect(row).toEqual({ on_hand: 13, reserved: 1 });
      await db.end();
    }

    // At 375 px the returns card stacks; nothing scrolls sideways.
    await b.setViewportSize({ width: 375, height: 812 });
    await reloadHydrated(b);
    await expect(b.getByTestId(`return-${number}`)).toBeVisible();
    const overflow = await b.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await order.close();
  });
});
