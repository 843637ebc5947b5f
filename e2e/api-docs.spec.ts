import { expect, test } from "@playwright/test";
import { baseURL } from "../playwright.config";
import { gotoHydrated } from "./fixtures";

// The public API reference (/api-docs): Swagger UI renders /api/v1/openapi.json under the page's
// strict Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval') and loads nothing from
// any other origin (the app must work without internet).

test("anyone can read the API reference: operations listed, no CSP violation, nothing from another origin", async ({ page }) => {
  const foreign: string[] = [];
  const violations: string[] = [];
  page.on("request", (r) => {
    const url = new URL(r.url());
    if (!["data:", "blob:"].includes(url.protocol) && url.origin !== new URL(baseURL).origin) foreign.push(r.url());
  });
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });

  const response = await gotoHydrated(page, "/api-docs");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "API reference" })).toBeVisible();
  // Swagger UI's title and an operation of each section, from the generated document.
  await expect(page.getByRole("heading", { name: /Orderly B2B API/ })).toBeVisible();
  // By its summary: "/catalog/products" alone also matches "/catalog/products/{sku}".
  const products = page.locator(".opblock-summary", { hasText: "Search the catalogue with your prices and availability" });
  await expect(products).toBeVisible();
  await expect(products).toContainText("/catalog/products");
  await expect(page.locator(".opblock-summary", { hasText: "/me" }).first()).toBeVisible();

  // Opening the operation shows its scope and its parameters.
  await products.click();
  const opened = page.locator(".opblock.is-open");
  await expect(opened.locator("strong", { hasText: "Scope: catalog:read." })).toBeVisible();
  await expect(opened.locator(".parameter__name", { hasText: /^cursor$/ })).toBeVisible();
  await expect(opened.locator(".response-col_status", { hasText: /^429$/ })).toBeVisible();

  expect(violations).toEqual([]);
  expect(foreign).toEqual([]);
});

test("the OpenAPI document is public, cacheable and revalidated with its ETag", async ({ request }) => {
  const first = await request.get("/api/v1/openapi.json");
  expect([first.status(), first.headers()["cache-control"]]).toEqual([200, "public, no-cache"]);
  const document = (await first.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(document.openapi).toBe("3.1.0");
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(["/me", "/catalog/products"]));
  const again = await request.get("/api/v1/openapi.json", { headers: { "if-none-match": first.headers().etag! } });
  expect(again.status()).toBe(304);
});
