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

/**
 * After a full page load: waits until React has hydrated the page (app/layout.tsx marks <html>
 * with data-hydrated). A click before hydration would be lost; waiting for the network to go idle
 * instead depends on the machine being idle, which CI's is not.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await expect(page.locator("html[data-hydrated]")).toBeAttached();
}

/** page.goto, then wait for hydration; returns the navigation's response. */
export async function gotoHydrated(page: Page, url: string) {
  const response = await page.goto(url);
  await waitForHydration(page);
  return response;
}

/** page.reload, then wait for hydration. */
export async function reloadHydrated(page: Page) {
  const response = await page.reload();
  await waitForHydration(page);
  return response;
}

/** Signs in through the real login form (the caller checks where it lands). */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await gotoHydrated(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function expectSignedIn(page: Page, role: RoleKey): Promise<void> {
  const r = roles[role];
  await expect(page).toHaveURL(new URL(r.home, "http://x").pathname === "/" ? /\/$/ : /\/admin$/);
  await expect(page.getByTestId("current-user")).toContainText(r.name);
}

/**
 * Today on the seller's calendar (SELLER_TIME_ZONE, Europe/Berlin in the e2e server), computed here
 * rather than with the app's formatter so the tests check it.
 */
export function sellerDay(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
