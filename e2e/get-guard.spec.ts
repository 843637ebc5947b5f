import { expect, test, type APIResponse } from "@playwright/test";
import { createProduct, openAs, uid, visit } from "./admin-helpers";
import { storageState } from "./fixtures";

// Every GET route handler goes through one guard (withGet in lib/api.ts): the same JSON error shape,
// the same status codes as the POST side, and never a cached answer.

const someId = "00000000-0000-4000-8000-000000000000";
const getHandlers = [
  `/api/documents/quotations/${someId}`,
  "/api/statements/account",
  "/api/admin/products/export",
  `/api/admin/price-lists/${someId}/export`,
  "/api/admin/receivables/ageing",
];

async function expectJsonError(res: APIResponse, status: number, body: { code: string; error: string }) {
  expect(res.status()).toBe(status);
  expect(res.headers()["content-type"]).toMatch(/^application\/json/);
  expect(res.headers()["cache-control"]).toBe("no-store");
  expect(await res.json()).toEqual({ ok: false, ...body });
}

test.describe("GET handlers without a session", () => {
  test("answer 401 with the JSON error, never a redirect or a page", async ({ playwright, baseURL }) => {
    const anonymous = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
    for (const path of getHandlers) {
      await expectJsonError(await anonymous.get(path, { maxRedirects: 0 }), 401, { code: "unauthenticated", error: "Your session has ended. Sign in again." });
    }
    await anonymous.dispose();
  });
});

test.describe("GET handlers for a customer", () => {
  test.use({ storageState: storageState("buyer") });

  test("a staff export is 403 for a customer; the customer's own statement streams as CSV", async ({ page }) => {
    for (const path of ["/api/admin/products/export", `/api/admin/price-lists/${someId}/export`, "/api/admin/receivables/ageing"]) {
      await expectJsonError(await page.request.get(path), 403, { code: "forbidden", error: "You are not allowed to do this." });
    }
    const statement = await page.request.get("/api/statements/account");
    expect(statement.status()).toBe(200);
    expect(statement.headers()).toMatchObject({ "content-type": "text/csv; charset=utf-8", "cache-control": "no-store" });
    expect((await statement.text()).split("\n")[0]).toBe(
      "invoice,issue_date,due_date,currency,total,paid,awaiting_verification,due,days_past_due,ageing,payment_reference",
    );
    await expectJsonError(await page.request.get("/api/statements/account?format=xml"), 400, { code: "invalid_format", error: "The format must be csv or pdf." });
  });
});

test.describe("GET handlers for staff", () => {
  test.use({ storageState: storageState("admin") });

  test("another company's document is 404 with the JSON error; the owner's streams as a PDF", async ({ page: admin, browser, baseURL }) => {
    const id = uid();
    const sku = `GET-G-${id}`;
    await createProduct(admin, { sku, name: `E2E Guard Gauge ${id}`, basePrice: "5.00", taxRate: "19" });

    const buyer = await openAs(browser, baseURL, "buyer");
    const b = buyer.page;
    await visit(b, "/cart");
    await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
    await b.getByRole("button", { name: "Add lines" }).click();
    await expect(b.getByTestId(`cart-line-${sku}`)).toBeVisible();
    await expect(b.getByRole("button", { name: "Request quotation" })).toBeEnabled();
    await b.getByRole("button", { name: "Request quotation" }).click();
    await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
    const pdfHref = await b.getByRole("link", { name: "Download quotation PDF", exact: true }).getAttribute("href");
    expect(pdfHref).toMatch(/^\/api\/documents\/quotations\/[0-9a-f-]{36}$/);

    const own = await b.request.get(pdfHref!);
    expect(own.status()).toBe(200);
    expect(own.headers()).toMatchObject({ "content-type": "application/pdf", "cache-control": "no-store" });
    const pdf = await own.body();
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const globex = await openAs(browser, baseURL, "globexBuyer");
    await expectJsonError(await globex.page.request.get(pdfHref!), 404, { code: "not_found", error: "Not found." });
    await expectJsonError(await globex.page.request.get("/api/documents/quotations/not-a-uuid"), 404, { code: "not_found", error: "Not found." });
    await Promise.all([buyer.context.close(), globex.context.close()]);

    // Staff may read any company's document, and the staff exports stream as CSV.
    expect((await admin.request.get(pdfHref!)).status()).toBe(200);
    const products = await admin.request.get("/api/admin/products/export");
    expect(products.status()).toBe(200);
    expect(products.headers()).toMatchObject({ "content-type": "text/csv; charset=utf-8", "cache-control": "no-store" });
    const csv = await products.text();
    expect(csv.split("\n")[0]).toBe("sku,name,description,category,unit,base_price,tax_rate,min_order_quantity,order_multiple,low_stock_threshold,tiers,archived,currency,on_hand,reserved,available");
    expect(csv).toContain(`${sku},E2E Guard Gauge ${id},`);
    await expectJsonError(await admin.request.get(`/api/admin/price-lists/${someId}/export`), 404, { code: "not_found", error: "Not found." });
  });
});
