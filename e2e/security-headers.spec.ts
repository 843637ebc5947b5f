import { request as httpRequest } from "node:http";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { createProduct, openAsNewBuyer, receiveStock, uid } from "./admin-helpers";
import { gotoHydrated, storageState } from "./fixtures";

// Every response carries the security headers from next.config.ts: pages, route handlers and
// static files alike, and exactly one Content-Security-Policy: a per-request nonce policy on
// pages (proxy.ts), a static one on everything else. And the payment webhook refuses an
// oversized body without reading it whole.

const common = {
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};
const STATIC_CSP = "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";
const PAGE_CSP =
  /^default-src 'self'; script-src 'self' 'nonce-([A-Za-z0-9+/]{22}==)' 'strict-dynamic'; style-src 'self' 'nonce-\1'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'$/;

/** The response's Content-Security-Policy headers: two would both apply, so there must be one. */
function cspHeaders(res: APIResponse): string[] {
  return res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "content-security-policy")
    .map((h) => h.value);
}

function expectSecurityHeaders(res: APIResponse) {
  const headers = res.headers();
  for (const [name, value] of Object.entries(common)) expect(headers[name], `${name} on ${res.url()}`).toBe(value);
}

function expectStaticCsp(res: APIResponse) {
  expectSecurityHeaders(res);
  expect(cspHeaders(res), `CSP on ${res.url()}`).toEqual([STATIC_CSP]);
}

/** Checks a page's single nonce policy and returns its nonce. */
function expectPageCsp(res: APIResponse): string {
  expectSecurityHeaders(res);
  const csp = cspHeaders(res);
  expect(csp, `CSP on ${res.url()}`).toHaveLength(1);
  expect(csp[0]).toMatch(PAGE_CSP);
  return PAGE_CSP.exec(csp[0]!)![1]!;
}

const webhook = "/api/webhooks/payments/signed-test";
const MAX_EVENT_BYTES = 1_000_000;

test.describe("security headers", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a page has one nonce policy and the health check, a static file and a JSON API error the static one", async ({ request }) => {
    const login = await request.get("/login");
    expect(login.status()).toBe(200);
    expectPageCsp(login);

    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expectStaticCsp(health);

    const asset = (await login.text()).match(/\/_next\/static\/[^"'\s]+\.(?:js|css)/)?.[0];
    expect(asset, "a /_next/static asset linked from /login").toBeDefined();
    const file = await request.get(asset!);
    expect(file.status()).toBe(200);
    expect(file.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expectStaticCsp(file);

    const api = await request.get("/api/statements/account");
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({ ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." });
    expectStaticCsp(api);

    // The proxy's redirect of an anonymous visitor is no page but still gets a policy.
    const redirect = await request.get("/orders", { maxRedirects: 0 });
    expect(redirect.status()).toBe(307);
    expectStaticCsp(redirect);
  });

  test("each page response has its own nonce, and every script in the HTML carries it", async ({ request }) => {
    const first = await request.get("/login");
    const second = await request.get("/login");
    const nonce = expectPageCsp(first);
    expect(expectPageCsp(second)).not.toBe(nonce);

    const html = await first.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    // Next's bootstrap: external chunks plus the inline scripts that stream the RSC payload.
    expect(scripts.length).toBeGreaterThan(3);
    for (const tag of scripts) expect(tag, "a <script> without this response's nonce").toContain(`nonce="${nonce}"`);
    expect(html).not.toContain(`nonce="${expectPageCsp(second)}"`);
  });
});

/**
 * Collects what the browser refuses under the page's policy: securitypolicyviolation events
 * (registered before any page script, through Playwright, which the policy does not govern) and
 * console errors, which is where Chromium also reports refused scripts and styles.
 */
async function watchViolations(page: Page): Promise<() => Promise<string[]>> {
  const consoleErrors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") consoleErrors.push(msg.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (e) => seen.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`));
  });
  return async () => [
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
    ...consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text)),
  ];
}

test.describe("the nonce policy breaks nothing", () => {
  test.describe("anonymous", () => {
    test.use({ storageState: { cookies: [], origins: [] } });

    test("the login page hydrates without a violation", async ({ page }) => {
      const violations = await watchViolations(page);
      await gotoHydrated(page, "/login");
      await page.getByLabel("Email").fill("nobody@example.test");
      await expect(page.getByLabel("Email")).toHaveValue("nobody@example.test");
      expect(await violations()).toEqual([]);
    });
  });

  test.describe("staff and buyer", () => {
    test.use({ storageState: storageState("admin") });

    test("a product, a quotation request and both order pages run without a violation", async ({ page: admin, browser, baseURL }) => {
      test.slow(); // several server actions on both sides
      const adminViolations = await watchViolations(admin);
      await gotoHydrated(admin, "/admin");
      const id = uid();
      const sku = `CSP-${id}`;
      // Server actions and their redirects under the policy: create a product, receive stock.
      const productId = await createProduct(admin, { sku, name: `E2E CSP ${id}`, basePrice: "2.00", taxRate: "19" });
      await receiveStock(admin, productId, 5);

      const buyer = await openAsNewBuyer(browser, baseURL, admin);
      try {
        const b = buyer.page;
        const buyerViolations = await watchViolations(b);
        await gotoHydrated(b, "/");
        await expect(b.getByRole("heading", { name: "Catalogue", level: 1 })).toBeVisible();
        await gotoHydrated(b, "/cart");
        await b.getByLabel("Paste lines: SKU, quantity").fill(`${sku}, 1`);
        await b.getByRole("button", { name: "Add lines" }).click();
        await expect(b.getByTestId("cart-total")).toHaveText("€2.38");
        await b.getByRole("button", { name: "Request quotation" }).click();
        await expect(b.getByTestId("order-status")).toHaveText("Quotation issued");
        const orderId = /\/orders\/([0-9a-f-]{36})/.exec(b.url())![1]!;
        await gotoHydrated(b, `/orders/${orderId}`);
        expect(await buyerViolations()).toEqual([]);

        await gotoHydrated(admin, "/admin/orders");
        await gotoHydrated(admin, `/admin/orders/${orderId}`);
        await expect(admin.getByTestId("order-status")).toHaveText("Quotation issued");
        expect(await adminViolations()).toEqual([]);
      } finally {
        await buyer.context.close();
      }
    });
  });
});

test.describe("payment webhook body limit", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a body over the limit with its Content-Length is 413 payload_too_large", async ({ request }) => {
    const res = await request.post(webhook, { data: Buffer.alloc(MAX_EVENT_BYTES + 1, 0x61), headers: { "content-type": "application/json" } });
    expect(res.status()).toBe(413);
    expect(await res.json()).toEqual({ ok: false, code: "payload_too_large", error: "Event too large." });
    expectStaticCsp(res);
  });

  test("a chunked body without Content-Length is refused before the client has sent it all", async ({ baseURL }) => {
    // 64 KiB chunks, up to 100 MB, written one after another until the answer arrives: the
    // server must answer soon after the limit, not after buffering the whole body.
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const maxChunks = Math.ceil(100_000_000 / chunk.length);
    const { status, body, sentBytes } = await new Promise<{ status: number; body: string; sentBytes: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = httpRequest(new URL(webhook, baseURL), { method: "POST", headers: { "content-type": "application/json", "transfer-encoding": "chunked" } });
      req.on("response", (res) => {
        answered = true;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body: text, sentBytes: sent });
          req.destroy();
        });
      });
      req.on("error", (error) => {
        if (!answered) reject(error);
      });
      const writeMore = () => {
        while (!answered && sent < maxChunks * chunk.length) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", writeMore);
        }
        if (!answered) req.end();
      };
      writeMore();
    });
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({ ok: false, code: "payload_too_large", error: "Event too large." });
    // Socket buffers let the client get ahead of what the server read; 100 MB would mean it read all.
    expect(sentBytes).toBeLessThan(20_000_000);
  });
});
