import { existsSync } from "node:fs";
import { expect, test } from "@playwright/test";
import type postgres from "postgres";
import { secondURL } from "../playwright.config";
import { createProduct, openAs, receiveStock, uid, visit } from "./admin-helpers";
import { ibanOf } from "@/lib/domain/iban";
import { e2eDatabase, waitForHealth } from "./db";
import { expectSignedIn, login, storageState } from "./fixtures";

// Smoke test of what the Docker image runs: `node server.mjs` beside Next's standalone output,
// copied out of the project with static files and public beside it (e2e/serve.ts, as the
// Dockerfile does), on secondURL against the run's database. `npm run test:e2e` builds with
// NEXT_OUTPUT=standalone; the same build serves server.mjs on baseURL for every other spec.

let sql: postgres.Sql;

test.beforeAll(async () => {
  expect(existsSync(".next/standalone/server.js"), "build with NEXT_OUTPUT=standalone (npm run test:e2e does) so e2e/serve.ts starts the standalone server").toBe(true);
  const db = await e2eDatabase();
  test.skip(db === null, "needs PostgreSQL: on PGlite there is one instance only");
  sql = db!;
  await waitForHealth(secondURL);
});

test.afterAll(async () => {
  await sql?.end({ timeout: 2 });
});

test.use({ baseURL: secondURL, storageState: { cookies: [], origins: [] } });

test("the standalone server answers health, serves its static files, signs in through the form, takes an order and imports a statement", async ({ page, browser, request }) => {
  test.slow();
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });

  // The page's CSS and scripts come from .next/static, which standalone output leaves out.
  const html = await (await request.get("/login")).text();
  const assets = [...html.matchAll(/\/_next\/static\/[^"'\s]+\.(?:css|js)/g)].map((m) => m[0]);
  expect(assets.length).toBeGreaterThan(0);
  for (const asset of [...new Set(assets)].slice(0, 5)) expect((await request.get(asset)).status(), asset).toBe(200);

  // A product of the test's own, set up by the admin on the same server.
  const admin = await openAs(browser, secondURL, "admin");
  const sku = `SA-${uid()}`;
  try {
    const productId = await createProduct(admin.page, { sku, name: `Standalone ${sku}`, basePrice: "7.50", taxRate: "0" });
    await receiveStock(admin.page, productId, 5);
  } finally {
    await admin.context.close();
  }

  // The buyer signs in through the real form on the standalone server and orders.
  await login(page, "buyer@globex.test");
  await expectSignedIn(page, "globexBuyer");
  await visit(page, "/cart");
  await page.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 2`);
  await page.getByRole("button", { name: "Add lines" }).click();
  await expect(page.getByTestId("cart-total")).toHaveText("€15.00");
  await page.getByRole("button", { name: "Request quotation" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Quotation issued");
  await page.getByRole("button", { name: "Accept quotation" }).click();
  await expect(page.getByTestId("order-status")).toHaveText("Waiting for seller approval");
  const orderId = /\/orders\/([0-9a-f-]{36})/.exec(page.url())![1]!;
  const [order] = await sql<{ status: string; total_minor: string }[]>`select status::text, total_minor::text from orders where id = ${orderId}`;
  expect(order).toEqual({ status: "awaiting_seller_approval", total_minor: "1500" });

  // The statement worker is bundled into standalone output too (lib/statements/pool.ts).
  const finance = await openAs(browser, secondURL, "finance");
  try {
    const bank = `Standalone Bank ${uid()}`;
    const content = ["Date;Amount;Reference", "01.11.2026;1,00;SMOKE-1", "02.11.2026;-2,00;FEE"].join("\n");
    const iban = ibanOf("DE", String(Date.now()).padStart(18, "0").slice(-18));
    const mapping = { date: "Date", amount: "Amount", reference: ["Reference"], dateFormat: "DD.MM.YYYY", decimalSeparator: ",", defaultCurrency: "EUR" };
    const res = await finance.context.request.post("/api/admin/bank-statements", {
      data: { bankName: bank, iban, fileName: "smoke.csv", content, mapping },
      headers: { "Idempotency-Key": `smoke-${uid()}`, "content-type": "application/json" },
    });
    const body = (await res.json()) as { ok: boolean; data?: { lines: number; newLines: number; outgoing: number } };
    expect(res.status(), JSON.stringify(body)).toBe(200);
    expect(body.data).toMatchObject({ lines: 2, newLines: 2, outgoing: 1 });
    const [stored] = await sql<{ n: number }[]>`select count(*)::int as n from bank_statement_lines where bank_name = ${bank}`;
    expect(stored!.n).toBe(2);
  } finally {
    await finance.context.close();
  }
});

test.describe("stored sessions", () => {
  test.use({ storageState: storageState("admin") });
  test("a session signed in on the other instance is valid here (one database, one secret)", async ({ page }) => {
    await visit(page, "/admin");
    await expect(page.getByTestId("current-user")).toContainText("Ada Admin");
  });
});
