import { describe, expect, it } from "vitest";
import { newNonce, pageCsp, STATIC_CSP } from "./content-security-policy";
import { hasMalformedSegment } from "./malformed-path";
import { isForeignOrigin } from "./same-origin";

describe("hasMalformedSegment", () => {
  it("finds stray, non-hex, truncated and non-UTF-8 escapes", () => {
    for (const path of ["/orders/%", "/api/payments/%E0%A4%A", "/api/documents/%ZZ/pdf", "/products/a%2", "/orders/%C3%28", "/orders/%FF"]) {
      expect(hasMalformedSegment(path), path).toBe(true);
    }
  });

  it("lets well-formed paths through", () => {
    for (const path of ["/", "/orders/123", "/products/A%20B", "/products/%C3%A9t%C3%A9", "/api/documents/x%2Fy/pdf", "/100%25"]) {
      expect(hasMalformedSegment(path), path).toBe(false);
    }
  });
});

describe("isForeignOrigin", () => {
  it("refuses another site, null and an unreadable Origin", () => {
    expect(isForeignOrigin("https://evil.example", null, "shop.example")).toBe(true);
    expect(isForeignOrigin("null", null, "shop.example")).toBe(true);
    expect(isForeignOrigin("garbage", null, "shop.example")).toBe(true);
    expect(isForeignOrigin("http://localhost:3141", null, "localhost:3140")).toBe(true);
  });

  it("accepts the same host (X-Forwarded-Host first, as Next compares) and a request without Origin", () => {
    expect(isForeignOrigin("http://localhost:3140", null, "localhost:3140")).toBe(false);
    expect(isForeignOrigin("https://shop.example", "shop.example, internal:8080", "10.0.0.5:3000")).toBe(false);
    expect(isForeignOrigin(null, null, "shop.example")).toBe(false);
  });
});

describe("content security policy", () => {
  it("lets scripts run only with the nonce, never inline, and eval only in development", () => {
    const csp = pageCsp("abc123", false);
    const scriptSrc = csp.split("; ").find((d) => d.startsWith("script-src "));
    expect(scriptSrc).toBe("script-src 'self' 'nonce-abc123' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(pageCsp("abc123", false)).toContain("style-src 'self' 'nonce-abc123';");
    const dev = pageCsp("abc123", true);
    expect(dev).toContain("script-src 'self' 'nonce-abc123' 'strict-dynamic' 'unsafe-eval';");
    // next dev's overlay styles carry no nonce: development only.
    expect(dev).toContain("style-src 'self' 'unsafe-inline';");
  });

  it("the static policy is no looser than the page policy in what it names", () => {
    for (const directive of STATIC_CSP.split("; ")) expect(pageCsp("n", false).split("; ")).toContain(directive);
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
