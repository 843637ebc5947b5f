import { expect, test } from "@playwright/test";
import { storageState } from "./fixtures";

test.describe("customers stay out of staff pages", () => {
  test.use({ storageState: storageState("buyer") });

  test("a buyer is redirected away from /admin and sees a 404 for staff pages reached directly", async ({ page }) => {
    await page.goto("/admin");
    await expect(page).toHaveURL(/\/$/);
    await page.goto("/admin/users");
    await expect(page).toHaveURL(/\/$/);
    await expect(page.getByRole("heading", { name: "Catalog" })).toBeVisible();
  });
});

test.describe("staff stay in the staff area", () => {
  test.use({ storageState: storageState("sales") });

  test("sales is sent from the portal to /admin and cannot open user management", async ({ page }) => {
    await page.goto("/orders");
    await expect(page).toHaveURL(/\/admin$/);
    const res = await page.goto("/admin/users");
    expect(res?.status()).toBe(404);
  });
});
