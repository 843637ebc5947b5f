import { request as httpRequest } from "node:http";
import { expect, test, type APIResponse } from "@playwright/test";

// Every response carries the security headers from next.config.ts: pages, route handlers and
// static files alike. No browser page is needed, only HTTP. And the payment webhook refuses an
// oversized body without reading it whole.

const expected = {
  "content-security-policy": "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "strict-transport-security": "max-age=63072000; includeSubDomains",
};

function expectSecurityHeaders(res: APIResponse) {
  const headers = res.headers();
  for (const [name, value] of Object.entries(expected)) expect(headers[name], `${name} on ${res.url()}`).toBe(value);
}

const webhook = "/api/webhooks/payments/signed-test";
const MAX_EVENT_BYTES = 1_000_000;

test.describe("security headers", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("are on a page, the health check, a static file and a JSON API error", async ({ request }) => {
    const login = await request.get("/login");
    expect(login.status()).toBe(200);
    expectSecurityHeaders(login);

    const health = await request.get("/api/health");
    expect(health.status()).toBe(200);
    expectSecurityHeaders(health);

    const asset = (await login.text()).match(/\/_next\/static\/[^"'\s]+\.(?:js|css)/)?.[0];
    expect(asset, "a /_next/static asset linked from /login").toBeDefined();
    const file = await request.get(asset!);
    expect(file.status()).toBe(200);
    expect(file.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
    expectSecurityHeaders(file);

    const api = await request.get("/api/statements/account");
    expect(api.status()).toBe(401);
    expect(await api.json()).toEqual({ ok: false, code: "unauthenticated", error: "Your session has ended. Sign in again." });
    expectSecurityHeaders(api);
  });
});

test.describe("payment webhook body limit", () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test("a body over the limit with its Content-Length is 413 payload_too_large", async ({ request }) => {
    const res = await request.post(webhook, { data: Buffer.alloc(MAX_EVENT_BYTES + 1, 0x61), headers: { "content-type": "application/json" } });
    expect(res.status()).toBe(413);
    expect(await res.json()).toEqual({ ok: false, code: "payload_too_large", error: "Event too large." });
    expectSecurityHeaders(res);
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
