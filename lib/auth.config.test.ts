import { Auth } from "@auth/core";
import { afterEach, describe, expect, it, vi } from "vitest";

// Secure cookies behind HTTPS (issue 10): with an https AUTH_URL the cookies are Secure and
// prefixed even when the request reaches the app as plain http (TLS ended at a proxy that sends
// no X-Forwarded-Proto); a plain http AUTH_URL (local runs) keeps plain cookies.

const secret = "unit-secret-unit-secret-unit-secret-0123";

async function csrfCookies(authUrl: string): Promise<string[]> {
  vi.resetModules();
  vi.stubEnv("AUTH_URL", authUrl);
  vi.stubEnv("AUTH_SECRET", secret);
  const { authConfig } = await import("./auth.config");
  const response = await Auth(new Request("http://app.internal:3000/api/auth/csrf"), { ...authConfig(), basePath: "/api/auth" });
  return response.headers.getSetCookie();
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("session cookies", () => {
  it("are Secure with __Host-/__Secure- names behind an https AUTH_URL", async () => {
    const cookies = await csrfCookies("https://orders.example.com");
    expect(cookies.map((c) => c.split("=")[0])).toEqual(["__Host-authjs.csrf-token", "__Secure-authjs.callback-url"]);
    for (const c of cookies) expect(c).toMatch(/; HttpOnly; Secure; SameSite=Lax$/);
  });

  it("stay plain for an http AUTH_URL", async () => {
    const cookies = await csrfCookies("http://localhost:3000");
    expect(cookies.map((c) => c.split("=")[0])).toEqual(["authjs.csrf-token", "authjs.callback-url"]);
    for (const c of cookies) expect(c).not.toMatch(/Secure/);
  });
});
