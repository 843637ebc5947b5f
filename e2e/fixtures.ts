import { expect, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "demo-Passw0rd-2026";

export const roles = {
  admin: { email: "admin@demo.test", name: "Ada Admin", home: "/admin" },
  sales: { email: "sales@demo.test", name: "Sam Sales", home: "/admin" },
  finance: { email: "finance@demo.test", name: "Fiona Finance", home: "/admin" },
  buyer: { email: "buyer@acme.test", name: "Bob Buyer", home: "/" },
  customerAdmin: { email: "approver@acme.test", name: "Alice Approver", home: "/" },
  globexBuyer: { email: "buyer@globex.test", name: "Greta Globex", home: "/" },
} as const;

export type RoleKey = keyof typeof roles;

export const storageState = (role: RoleKey) => `e2e/.auth/${role}.json`;

/** Signs in through the real login form and waits for the signed-in page. */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/login");
  await page.waitForLoadState("networkidle"); // a click before hydration would be lost
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectSignedIn(page: Page, role: RoleKey): Promise<void> {
  const r = roles[role];
  await expect(page).toHaveURL(new URL(r.home, "http://x").pathname === "/" ? /\/$/ : /\/admin$/);
  await expect(page.getByTestId("current-user")).toContainText(r.name);
}
