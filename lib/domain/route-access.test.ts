import { describe, expect, it } from "vitest";
import { redirectFor, safeRedirectPath } from "./route-access";

describe("redirectFor", () => {
  it("sends anonymous visitors to the login page, remembering where they were going", () => {
    expect(redirectFor("/", "", null)).toBe("/login");
    expect(redirectFor("/admin/users", "?q=a", null)).toBe("/login?callbackUrl=%2Fadmin%2Fusers%3Fq%3Da");
    expect(redirectFor("/login", "", null)).toBeNull();
    expect(redirectFor("/api/webhooks/payments/signed-test", "", null)).toBeNull();
  });
  it("keeps customers out of /admin and staff out of the portal", () => {
    expect(redirectFor("/admin", "", "buyer")).toBe("/");
    expect(redirectFor("/admin/users", "", "customer_admin")).toBe("/");
    expect(redirectFor("/orders", "", "sales")).toBe("/admin");
    expect(redirectFor("/admin/users", "", "finance")).toBeNull();
    expect(redirectFor("/orders", "", "buyer")).toBeNull();
    expect(redirectFor("/api/admin/products/export", "", "admin")).toBeNull();
  });
  it("lets everyone read the API reference", () => {
    expect(redirectFor("/api-docs", "", null)).toBeNull();
    expect(redirectFor("/api-docs", "", "admin")).toBeNull();
    expect(redirectFor("/api-docs", "", "buyer")).toBeNull();
    expect(redirectFor("/api-docs/x", "", null)).toBe("/login?callbackUrl=%2Fapi-docs%2Fx");
  });
});

describe("safeRedirectPath", () => {
  it("keeps same-site paths and refuses everything that leaves the site", () => {
    expect(safeRedirectPath("/admin/users?q=a#x")).toBe("/admin/users?q=a#x");
    for (const bad of ["//evil.com", "/\\evil.com", "/\t/evil.com", "https://evil.com", "evil.com", "/login?x=1", "", null]) {
      expect(safeRedirectPath(bad)).toBeNull();
    }
  });
});
