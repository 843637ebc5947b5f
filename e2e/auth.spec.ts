import { expect, test } from "@playwright/test";
import { expectSignedIn, login, type RoleKey, roles, waitForHydration } from "./fixtures";

test.describe("sign in and out", () => {
  for (const role of Object.keys(roles) as RoleKey[]) {
    test(`${role} signs in, lands on their home page and signs out`, async ({ page }) => {
      await login(page, roles[role].email.toUpperCase());
      await expectSignedIn(page, role);
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/login/);
      await page.goto(roles[role].home);
      await expect(page).toHaveURL(/\/login/);
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    });
  }

  test("a wrong password and an unknown email get the same message", async ({ page }) => {
    await login(page, "buyer@acme.test", "not-the-password-1");
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
    await expect(page.getByLabel("Email")).toHaveValue("buyer@acme.test");
    await login(page, "nobody@acme.test");
    await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
    await expect(page).toHaveURL(/\/login/);
  });

  test("repeated failures lock the account and say when to try again", async ({ page }) => {
    test.slow(); // eleven full sign-ins in a row: a long journey, three times the configured timeout
    for (let i = 0; i < 10; i++) {
      await login(page, "throttle@acme.test", `wrong-password-${i}`);
      await expect(page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
    }
    await login(page, "throttle@acme.test"); // the right password no longer helps
    await expect(page.getByTestId("login-error")).toHaveText("Too many failed sign-in attempts. Try again in 15 minutes.");
    await expect(page).toHaveURL(/\/login/);
  });

  test("anonymous visitors are sent to the login page and back after signing in", async ({ page }) => {
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/login\?callbackUrl=%2Fadmin%2Fusers/);
    await waitForHydration(page);
    await page.getByLabel("Email").fill(roles.admin.email);
    await page.getByLabel("Password").fill("demo-Passw0rd-2026");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/admin\/users$/);
  });

  test("health endpoint answers ok", async ({ request }) => {
    const res = await request.get("/api/health");
    expect(res.status()).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
