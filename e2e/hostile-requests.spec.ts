import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures";

// Requests no browser sends, answered with a 4xx and no stack trace instead of the framework's 500:
// malformed percent-encoding in a dynamic path segment, and a server-action POST from another origin.

const malformed = ["%", "%E0%A4%A", "%ZZ", "%C3%28"];
const BAD_PATH = { ok: false, code: "bad_request", error: "The path is not valid percent-encoding." };
const uuid = "00000000-0000-4000-8000-000000000000";

/** Every dynamic API route family, with a malformed segment in each dynamic position, by the method it answers. */
function apiCases(bad: string): { method: "GET" | "POST"; path: string }[] {
  return [
    { method: "POST", path: `/api/payments/${bad}/approve` },
    { method: "POST", path: `/api/payments/${uuid}/${bad}` },
    { method: "GET", path: `/api/documents/${bad}/${uuid}` },
    { method: "GET", path: `/api/documents/invoices/${bad}` },
    { method: "GET", path: `/api/admin/price-lists/${bad}/export` },
    { method: "POST", path: `/api/admin/bank-statements/lines/${bad}/undo` },
    { method: "POST", path: `/api/webhooks/payments/${bad}` },
    { method: "GET", path: `/api/auth/${bad}` },
    { method: "POST", path: `/api/auth/callback/${bad}` },
  ];
}

const pageCases = (bad: string) => [
  `/orders/${bad}`,
  `/products/${bad}`,
  `/account/users/${bad}`,
  `/admin/orders/${bad}`,
  `/admin/products/${bad}`,
  `/admin/customers/${bad}`,
  `/admin/users/${bad}`,
  `/admin/price-lists/${bad}`,
  `/admin/catalog-preview/${bad}`,
];

const visitors: [string, string | { cookies: []; origins: [] }][] = [
  ["anonymous", { cookies: [], origins: [] }],
  ["admin", storageState("admin")],
];
for (const [who, state] of visitors) {
  test.describe(`malformed path segments (${who})`, () => {
    test.use({ storageState: state });

    test("every dynamic API route answers 400 with the JSON error shape", async ({ request }) => {
      for (const bad of malformed) {
        for (const { method, path } of apiCases(bad)) {
          const res = await request.fetch(path, { method, data: method === "POST" ? "{}" : undefined, headers: { "content-type": "application/json" } });
          expect(res.status(), `${method} ${path}`).toBe(400);
          expect(await res.json(), `${method} ${path}`).toEqual(BAD_PATH);
        }
      }
    });

    test("every dynamic page answers 404 with the not-found page", async ({ request }) => {
      for (const bad of malformed) {
        for (const path of pageCases(bad)) {
          const res = await request.get(path, { maxRedirects: 0 });
          expect(res.status(), path).toBe(404);
          expect(res.headers()["content-type"], path).toContain("text/html");
          expect(await res.text(), path).toContain("Page not found");
        }
      }
    });
  });
}

test.describe("well-formed encoded paths still reach their route", () => {
  test.use({ storageState: storageState("admin") });

  test("an encoded but valid segment is the route's own answer, not the proxy's", async ({ request }) => {
    const res = await request.get(`/api/documents/invoices/${encodeURIComponent("not a uuid é")}`);
    expect(res.status()).toBe(404);
    expect((await res.json()).code).toBe("not_found");
  });
  test("an unknown API path, also one an encoded dot segment leads to, is a JSON 404 for every method", async ({ request }) => {
    for (const path of ["/api/no-such-endpoint", "/api/payments/%2e%2e/verify", "/api/admin/bank-statements/lines/%2E%2E/undo", "/api/x/y/z"]) {
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) {
        const res = await request.fetch(path, { method, data: method === "GET" ? undefined : "{}", headers: { "content-type": "application/json" } });
        expect(res.status(), `${method} ${path}`).toBe(404);
        expect(await res.json(), `${method} ${path}`).toEqual({ ok: false, code: "not_found", error: "There is no such API endpoint." });
      }
    }
  });
});

/** A real server action id, of the login page's action, from the build's manifest. */
function loginActionId(): string {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, { workers: Record<string, unknown> }> };
  const id = Object.entries(manifest.node).find(([, entry]) => "app/(auth)/login/page" in entry.workers)?.[0];
  expect(id, "the login action in the server reference manifest").toBeDefined();
  return id!;
}

test.describe("server-action POSTs from another origin", () => {
  test.use({ storageState: storageState("buyer") });

  test("are refused with 403 JSON for a foreign, null or unreadable Origin, real or bogus action id", async ({ request, baseURL }) => {
    const ids = [loginActionId(), "00".repeat(21), "zz"];
    for (const origin of ["https://evil.example", "null", "garbage", baseURL!.replace("localhost", "127.0.0.1")]) {
      for (const id of ids) {
        for (const path of ["/login", "/orders", "/admin"]) {
          const res = await request.post(path, {
            headers: { "Next-Action": id, Origin: origin, "Content-Type": "text/plain;charset=UTF-8" },
            data: '["$K1"]',
            maxRedirects: 0,
          });
          const where = `${origin} ${id} ${path}`;
          expect(res.status(), where).toBe(403);
          expect(await res.json(), where).toEqual({ ok: false, code: "forbidden", error: "Cross-origin form posts are refused." });
        }
      }
    }
  });

  test("the same origin with an unknown action id is Next's own 4xx, not a 500", async ({ request, baseURL }) => {
    const origin = new URL(baseURL!).origin;
    const unknown = await request.post("/login", { headers: { "Next-Action": "00".repeat(21), Origin: origin, "Content-Type": "text/plain;charset=UTF-8" }, data: "[]" });
    expect(unknown.status()).toBe(409);
    expect(await unknown.text()).toBe("Server Action unavailable.");
    const garbage = await request.post("/login", { headers: { "Next-Action": "zz", Origin: origin, "Content-Type": "text/plain;charset=UTF-8" }, data: "[]" });
    expect(garbage.status()).toBe(400);
    expect(await garbage.text()).toBe("Invalid Server Action request.");
  });
});
