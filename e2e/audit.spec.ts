import { readFile } from "node:fs/promises";
import { expect, test } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { labelled, openAs, visit } from "./admin-helpers";
import { sellerDay, storageState } from "./fixtures";
import { invoicedOrder } from "./order-helpers";

test.use({ storageState: storageState("admin") });

test("an order's History shows its events by reference; actor and date filters; the CSV export matches the screen", async ({ page, browser, baseURL }) => {
  test.slow(); // a long journey: three times the configured timeout
  const order = await invoicedOrder(page, browser, baseURL, { skuPrefix: "AUD", basePrice: "10.00", taxRate: "0", quantity: 2, expectedTotal: "€20.00" });
  try {
    await visit(page, `/admin/orders/${order.orderId}`);
    const reference = (await page.getByRole("heading", { level: 1 }).innerText()).trim();
    expect(reference).toMatch(/^ORD-/);

    // History from the order page: the order's own events and its quotation's and invoice's.
    await page.getByRole("link", { name: `History of ${reference}` }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/admin/audit" && u.searchParams.get("entityType") === "order" && u.searchParams.get("entityId") === order.orderId);
    await expect(page.getByTestId("audit-history-of")).toContainText(`History of order ${reference}, with its quotations, invoice and credit notes.`);
    const rows = page.getByTestId("audit-row");
    const byAction = (action: string) => rows.filter({ has: page.locator("td:nth-child(3)", { hasText: new RegExp(`^${action.replace(".", "\\.")}$`) }) });
    await expect(byAction("invoice.issue").getByTestId("audit-entity")).toHaveText([order.invoiceNumber]);
    await expect(byAction("quotation.issue").getByTestId("audit-entity")).toHaveText([/^Q-\d{4}-\d+ v1$/]);
    await expect(byAction("order.final_approve").getByTestId("audit-entity")).toHaveText([reference]);
    // Every entity is a reference linked to this order's page, none a bare id.
    const entities = rows.getByTestId("audit-entity");
    const count = await entities.count();
    expect(count).toBe(await rows.count());
    for (let i = 0; i < count; i++) await expect(entities.nth(i)).toHaveAttribute("href", `/admin/orders/${order.orderId}`);
    await expect(byAction("order.final_approve").locator("td:nth-child(2)")).toHaveText([/^sales@demo\.test\s*Sales$/]);

    // The CSV export of this view: the same events, in the same order, with the same references.
    const onScreen = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({ id: tr.getAttribute("data-event-id"), action: tr.querySelector("td:nth-child(3)")?.textContent, entity: tr.querySelector("[data-testid=audit-entity]")?.textContent })),
    );
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
    expect(download.suggestedFilename()).toBe(`audit-${sellerDay()}.csv`);
    const csv = parse(await readFile((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => ({ id: r.id, action: r.action, entity: r.entity_reference }))).toEqual(onScreen);
    expect(new Set(csv.map((r) => r.entity_reference))).toEqual(new Set(onScreen.map((r) => r.entity)));

    // Actor and date: sales's events of today (in the seller's zone) hold this order's final approval.
    await visit(page, "/admin/audit");
    const filter = page.getByRole("search", { name: "Filter audit events" });
    await labelled(filter, "Actor").fill("sales@demo.test");
    await labelled(filter, "From").fill(sellerDay());
    await labelled(filter, "To").fill(sellerDay());
    await filter.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL((u) => u.searchParams.get("actor") === "sales@demo.test" && u.searchParams.get("from") === sellerDay() && u.searchParams.get("to") === sellerDay());
    await expect(byAction("order.final_approve").filter({ hasText: reference })).toHaveCount(1);
    for (const actor of await rows.locator("td:nth-child(2)").allInnerTexts()) expect(actor).toMatch(/^sales@demo\.test/);
    for (const time of await rows.locator("td:nth-child(1)").allInnerTexts()) expect(time.startsWith(sellerDay())).toBe(true);

    // The day after: nothing yet.
    const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
    await visit(page, `/admin/audit?actor=sales%40demo.test&from=${sellerDay(tomorrow)}`);
    await expect(page.getByText("No matching events")).toBeVisible();
    await expect(rows).toHaveCount(0);
  } finally {
    await order.close();
  }
});

test("bad filter values get a clear message on the page and a 400 from the export, never a 500", async ({ page }) => {
  const response = await visit(page, "/admin/audit?from=2026-02-30&outcome=maybe&before=abc");
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("audit-filter-problems")).toHaveText(
    "These filters cannot be used: From: Enter a real date (yyyy-mm-dd). Outcome: Choose success or denied. Page: Use the Older / Newer links; this page cursor is not valid.",
  );
  await expect(page.getByTestId("audit-row")).toHaveCount(0);

  const exported = await page.request.get("/api/admin/audit/export?entityType=orders");
  expect(exported.status()).toBe(400);
  expect(await exported.json()).toEqual({ ok: false, code: "validation_failed", error: "Entity type: Choose one of the listed entity types." });
});

test.describe("without audit.read", () => {
  test.use({ storageState: storageState("sales") });

  test("the export is refused and no History link is shown", async ({ page, browser, baseURL }) => {
    const exported = await page.request.get("/api/admin/audit/export");
    expect(exported.status()).toBe(403);
    await visit(page, "/admin/products");
    const hrefs = await page.locator('a[href^="/admin/products/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    const productHref = hrefs.find((h) => /\/admin\/products\/[0-9a-f-]{36}$/.test(h));
    expect(productHref).toBeDefined();
    await visit(page, productHref!);
    await expect(page).toHaveURL(/\/admin\/products\/[0-9a-f-]{36}$/);
    await expect(page.getByRole("link", { name: /^History of / })).toHaveCount(0);
    // The control: an admin sees it on the same page.
    const admin = await openAs(browser, baseURL, "admin");
    await visit(admin.page, productHref!);
    await expect(admin.page.getByRole("link", { name: /^History of / })).toHaveCount(1);
    await admin.context.close();
  });
});
