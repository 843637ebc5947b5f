import { expect, test } from "@playwright/test";
import { visit } from "./admin-helpers";
import { storageState } from "./fixtures";

// The audit trail's verification page (hash chains, migration 0014): admins only.

test.describe("admin", () => {
  test.use({ storageState: storageState("admin") });

  test("opens verification from the audit log and sees the trail verified", async ({ page }) => {
    await visit(page, "/admin/audit");
    await page.getByRole("link", { name: "Verify the audit trail" }).click();
    await expect(page).toHaveURL((u) => u.pathname === "/admin/audit/verify");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit verification");
    const status = page.getByTestId("audit-verification");
    await expect(status).toContainText("Verified");
    await expect(status).toContainText(/The audit trail is intact: [\d,]+ events in \d+ of 64 chains/);
    await expect(page.getByTestId("first-broken-row")).toHaveCount(0);
  });
});

test.describe("finance", () => {
  test.use({ storageState: storageState("finance") });

  test("reads the audit log but gets no verification link and a 404 for the page", async ({ page }) => {
    await visit(page, "/admin/audit");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Audit log");
    await expect(page.getByRole("link", { name: "Verify the audit trail" })).toHaveCount(0);
    const response = await page.goto("/admin/audit/verify");
    expect(response?.status()).toBe(404);
    await expect(page.locator("body")).not.toContainText("Verified");
  });
});
