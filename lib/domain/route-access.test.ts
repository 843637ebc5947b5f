import { describe, expect, it } from "vitest";
import { redirectFor } from "./route-access";

describe("redirectFor", () => {
  it("sends anonymous visitors to the login page, remembering where they were going", () => {
    expect(redirectFor("/", "", null)).toBe("/login");
    expect(redirectFor("/admin/users", "?q=a", null)).toBe("/login?callbackUrl=%2Fadmin%2Fusers%3Fq%3Da");
    expect(redirectFor("/login", "", null)).toBeNull();
  });
  it("keeps customers out of /admin and staff out of the portal", () => {
    expect(redirectFor("/admin", "", "buyer")).toBe("/");
    expect(redirectFor("/admin/users", "", "customer_admin")).toBe("/");
    expect(redirectFor("/orders", "", "sales")).toBe("/admin");
    expect(redirectFor("/admin/users", "", "finance")).toBeNull();
    expect(redirectFor("/orders", "", "buyer")).toBeNull();
    expect(redirectFor("/api/admin/products/export", "", "admin")).toBeNull();
  });
});
