import { test as setup } from "@playwright/test";
import { expectSignedIn, login, roles, storageState, type RoleKey } from "./fixtures";

// Logs each role in once through the real form; the specs reuse the saved sessions.
for (const role of Object.keys(roles) as RoleKey[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    await login(page, roles[role].email);
    await expectSignedIn(page, role);
    await page.context().storageState({ path: storageState(role) });
  });
}
