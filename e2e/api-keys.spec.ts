import { expect, test, type APIRequestContext } from "@playwright/test";
import { baseURL, secondURL } from "../playwright.config";
import { labelled, uid, visit } from "./admin-helpers";
import { e2eDatabase, waitForHealth } from "./db";
import { storageState } from "./fixtures";

// API keys end to end (issue 12): made on the key pages of the production build, used against
// /api/v1 with the rate limit shared by the two app instances of e2e/serve.ts on one database.

const keyPattern = /^ok_[0-9A-Za-z]{12}_[0-9A-Za-z]{43}$/;

async function callMe(request: APIRequestContext, url: string, key: string) {
  const res = await request.get(`${url}/api/v1/me`, { headers: { authorization: `Bearer ${key}` }, failOnStatusCode: false });
  return { status: res.status(), headers: res.headers(), body: (await res.json()) as Record<string, unknown> };
}

test.describe("customer admin", () => {
  test.use({ storageState: storageState("customerAdmin") });

  test("creates a key shown once with a copy button, the API answers it as a buyer of Acme, last use shows, revoking stops it", async ({ page, context, request }) => {
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
    const name = `ERP ${uid()}`;
    await visit(page, "/account/api-keys");
    await expect(page.getByRole("heading", { level: 1, name: "API keys" })).toBeVisible();
    await labelled(page, "Name").fill(name);
    await page.getByRole("checkbox", { name: /orders:read/ }).check();
    await labelled(page, "Expires after").selectOption("30");
    await page.getByRole("button", { name: "Create API key" }).click();

    const shown = page.getByRole("textbox", { name: "New API key" });
    await expect(shown).toHaveValue(keyPattern);
    const key = await shown.inputValue();
    await page.getByRole("button", { name: "Copy key" }).click();
    await expect(page.getByText("Copied to the clipboard.")).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);

    const prefix = key.slice(3, 15);
    const row = page.getByRole("table", { name: "API keys" }).getByTestId(`api-key-${prefix}`);
    await expect(row).toContainText(name);
    await expect(row).toContainText("catalog:read");
    await expect(row).toContainText("orders:read");
    await expect(row.getByRole("cell").nth(4)).toHaveText("Never");

    const me = await callMe(request, baseURL, key);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      key: { name, prefix, scopes: ["catalog:read", "orders:read"] },
      actsAs: { email: "approver@acme.test", role: "buyer", company: { name: "Acme Industrial Supply" } },
    });
    expect(me.headers["ratelimit-policy"]).toBe('"key";q=60;w=6, "ip";q=120;w=6');
    expect(me.headers["ratelimit"]).toMatch(/^"key";r=59;t=1, "ip";r=\d+;t=\d+$/);

    // Reloaded: the key is not shown again; its last use is.
    await visit(page, "/account/api-keys");
    await expect(page.getByRole("textbox", { name: "New API key" })).toHaveCount(0);
    await expect(page.getByText(key.slice(16))).toHaveCount(0);
    await expect(row.getByRole("cell").nth(4)).not.toHaveText("Never");

    await row.getByRole("button", { name: `Revoke ${name}` }).click();
    await expect(row).toContainText("Revoked");
    const revoked = await callMe(request, baseURL, key);
    expect(revoked.status).toBe(401);
    expect(revoked.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    expect(revoked.body).toMatchObject({ type: "urn:orderly:problem:api-key-revoked", status: 401, code: "api_key_revoked" });
  });

  test("a key without scopes is refused next to the scope list, nothing is made", async ({ page }) => {
    await visit(page, "/account/api-keys");
    const name = `No scopes ${uid()}`;
    await labelled(page, "Name").fill(name);
    await page.getByRole("checkbox", { name: /catalog:read/ }).uncheck();
    await page.getByRole("button", { name: "Create API key" }).click();
    await expect(page.getByText("Choose at least one scope.")).toBeVisible();
    await expect(labelled(page, "Name")).toHaveValue(name);
    await expect(page.getByRole("table", { name: "API keys" })).not.toContainText(name);
  });
});

test.describe("administrator", () => {
  test.use({ storageState: storageState("admin") });

  test("a staff key with its own limit: two app instances on one database share its budget (429, Retry-After, RateLimit)", async ({ page, request }) => {
    test.skip((await e2eDatabase()) === null, "one instance only on PGlite");
    await waitForHealth(secondURL);
    const name = `Staff sync ${uid()}`;
    await visit(page, "/admin/api-keys");
    await labelled(page, "Name").fill(name);
    await labelled(page, "Acts as").selectOption("finance");
    // One a minute, six at once: no refill during the test, so the count is exact.
    await labelled(page, "Requests per minute").fill("1");
    await labelled(page, "Burst").fill("6");
    await page.getByRole("button", { name: "Create API key" }).click();
    const shown = page.getByRole("textbox", { name: "New API key" });
    await expect(shown).toHaveValue(keyPattern);
    const key = await shown.inputValue();
    const row = page.getByTestId(`api-key-${key.slice(3, 15)}`);
    await expect(row).toContainText("Staff");
    await expect(row).toContainText("Finance");
    await expect(row).toContainText("Limit: 1/min, burst 6");

    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await callMe(request, i % 2 === 0 ? baseURL : secondURL, key));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
    expect(answers.map((a) => /^"key";r=(\d+)/.exec(a.headers["ratelimit"] ?? "")?.[1])).toEqual(["5", "4", "3", "2", "1", "0", "0", "0"]);
    for (const a of answers) expect(a.headers["ratelimit-policy"]).toMatch(/^"key";q=6;w=360, "ip";q=120;w=6$/);
    const refused = answers[7]!;
    expect(refused.body).toMatchObject({ type: "urn:orderly:problem:rate-limited", title: "Too many requests", status: 429, code: "rate_limited" });
    // The next slot frees a minute after the first request (one period), less the time the test took.
    const retryAfter = Number(refused.headers["retry-after"]);
    expect(retryAfter).toBeGreaterThan(30);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answers[0]!.body).toMatchObject({ actsAs: { email: "admin@demo.test", role: "finance", company: null }, rateLimits: { key: { perMinute: 1, burst: 6 } } });
  });

  test("the catalogue over the API with a staff key: list prices, one page at a time", async ({ page, request }) => {
    await visit(page, "/admin/api-keys");
    await labelled(page, "Name").fill(`Catalogue ${uid()}`);
    await page.getByRole("button", { name: "Create API key" }).click();
    const shown = page.getByRole("textbox", { name: "New API key" });
    await expect(shown).toHaveValue(keyPattern);
    const key = await shown.inputValue();
    const get = async (query: string) => {
      const res = await request.get(`${baseURL}/api/v1/catalog/products${query}`, { headers: { authorization: `Bearer ${key}` }, failOnStatusCode: false });
      return { status: res.status(), body: (await res.json()) as { data: { sku: string }[]; nextCursor: string | null; code?: string } };
    };
    const first = await get("?sort=sku&limit=2");
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    const second = await get(`?sort=sku&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.data).toHaveLength(2);
    // The two pages are exactly the first four of one bigger page: no repeats, no gaps.
    const four = await get("?sort=sku&limit=4");
    expect([...first.body.data, ...second.body.data].map((p) => p.sku)).toEqual(four.body.data.map((p) => p.sku));
    expect(new Set(four.body.data.map((p) => p.sku)).size).toBe(4);
    expect((await get("?limit=1000")).body.code).toBe("validation_failed");
  });
});

test("an unknown /api/v1 path is a 404 problem, whoever asks", async ({ request }) => {
  const res = await request.get(`${baseURL}/api/v1/orders-of-the-future`, { failOnStatusCode: false });
  expect(res.status()).toBe(404);
  expect(res.headers()["content-type"]).toBe("application/problem+json; charset=utf-8");
  expect(await res.json()).toMatchObject({ type: "urn:orderly:problem:not-found", status: 404, code: "not_found" });
});
