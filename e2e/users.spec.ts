import { expect, test } from "@playwright/test";
import { createUser, fillUserForm, labelled, openAs, strongPassword, uid, visit } from "./admin-helpers";
import { login, roles, storageState } from "./fixtures";

// Users these tests create or deactivate are their own (unique emails); the demo users are only read.

const uuidPath = /\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const newEmail = (what: string, id: string) => `e2e-${what}-${id.toLowerCase()}@example.test`;

test.describe("customer admin", () => {
  test.use({ storageState: storageState("customerAdmin") });

  test("opening another company's user is a 404, while the own company's user opens", async ({ page, browser, baseURL }) => {
    const admin = await openAs(browser, baseURL, "admin");
    await visit(admin.page, "/admin/users?q=globex");
    const globexLink = admin.page.getByTestId("user-row-buyer@globex.test").getByRole("link", { name: roles.globexBuyer.name });
    const globexHref = await globexLink.getAttribute("href");
    expect(globexHref).toMatch(uuidPath);
    const globexId = globexHref!.split("/").pop()!;
    await admin.context.close();

    // The control: Acme's own buyer opens from the "Company users" table.
    await visit(page, "/account");
    const users = page.getByRole("table", { name: "Company users" });
    await expect(users).toBeVisible();
    await expect(users.getByTestId("user-row-buyer@globex.test")).toHaveCount(0);
    const bobHref = await users.getByTestId("user-row-buyer@acme.test").getByRole("link", { name: roles.buyer.name }).getAttribute("href");
    expect(bobHref).toMatch(/^\/account\/users\//);
    const own = await page.goto(bobHref!);
    expect(own?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(roles.buyer.name);

    const foreign = await page.goto(`/account/users/${globexId}`);
    expect(foreign?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
    await expect(page.locator("body")).not.toContainText(roles.globexBuyer.name);
    await expect(page.locator("body")).not.toContainText(roles.globexBuyer.email);

    const direct = await page.request.get(`/account/users/${globexId}`);
    expect(direct.status()).toBe(404);
    expect(await direct.text()).not.toContain(roles.globexBuyer.email);
  });

  test("a customer admin invites a colleague, who appears in Company users and can sign in", async ({ page, browser, baseURL }) => {
    const id = uid();
    const email = newEmail("invitee", id);
    const name = `Ivo Invitee ${id}`;
    await visit(page, "/account");
    const invite = page.locator("form").filter({ has: page.getByRole("button", { name: "Invite user" }) });
    await labelled(invite, "Email").fill(email);
    await labelled(invite, "Name").fill(name);
    await labelled(invite, "Role").selectOption({ label: "Buyer" });
    await labelled(invite, "Initial password").fill(strongPassword);
    await invite.getByRole("button", { name: "Invite user" }).click();
    await expect(invite.getByRole("status")).toHaveText(`${email} can now sign in with the password you chose.`);

    const row = page.getByRole("table", { name: "Company users" }).getByTestId(`user-row-${email}`);
    await expect(row.locator("td")).toHaveText([name, email, "Buyer", "Active", "Never", "Deactivate user"]);

    const colleague = await openAs(browser, baseURL, null);
    await login(colleague.page, email, strongPassword);
    await expect(colleague.page).toHaveURL(/\/$/);
    await expect(colleague.page.getByTestId("current-user")).toContainText(name);
    await visit(colleague.page, "/account");
    await expect(colleague.page.getByTestId("profile-company")).toHaveText("Acme Industrial Supply");
    await expect(colleague.page.getByTestId("profile-role")).toHaveText("Buyer");
    await colleague.context.close();
  });
});

test.describe("staff user management", () => {
  test.use({ storageState: storageState("admin") });

  test("the dashboard's active users by role open the users list filtered by that role and status", async ({ page }) => {
    await visit(page, "/admin");
    const buyers = page.getByTestId("users-buyer").getByRole("link");
    await buyers.click();
    await expect(page).toHaveURL(/\/admin\/users\?role=buyer&status=active$/);
    await expect(page.getByRole("combobox", { name: "Role" })).toHaveValue("buyer");
    await expect(page.getByRole("combobox", { name: "Status" })).toHaveValue("active");
    const table = page.getByRole("table", { name: "Users" });
    await expect(table.getByTestId("user-row-buyer@acme.test")).toBeVisible();
    await expect(table.getByTestId("user-row-admin@demo.test")).toHaveCount(0);
    // Every listed row is an active buyer (other tests add users meanwhile, so no exact count).
    const rows = table.locator("tbody tr");
    expect(await rows.count()).toBeGreaterThan(0);
    for (const text of await rows.allInnerTexts()) expect(text).toMatch(/Buyer[\s\S]*Active/);

    await page.getByRole("combobox", { name: "Role" }).selectOption("admin");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page).toHaveURL(/role=admin/);
    await expect(table.getByTestId("user-row-admin@demo.test")).toBeVisible();
    await expect(table.getByTestId("user-row-buyer@acme.test")).toHaveCount(0);
  });

  test("admin creates a user (a weak password is refused at the field), who signs in and is signed out on deactivation", async ({ page: admin, browser, baseURL }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const user = { email: newEmail("user", id), name: `Nina New ${id}`, role: "Buyer" as const, company: "Acme Industrial Supply" };

    await visit(admin, "/admin/users/new");
    await fillUserForm(admin, { ...user, password: "password1234" });
    await admin.getByRole("button", { name: "Create user" }).click();
    const password = labelled(admin, "Initial password");
    await expect(password).toHaveAttribute("aria-invalid", "true");
    await expect(password).toHaveAccessibleDescription(
      "At least 12 characters. Give it to the user through a safe channel. This password is too common. Choose a less predictable one.",
    );
    await expect(admin).toHaveURL(/\/admin\/users\/new$/);
    // What was typed stays, except the password.
    await expect(password).toHaveValue("");
    await expect(labelled(admin, "Email")).toHaveValue(user.email);
    await expect(labelled(admin, "Name")).toHaveValue(user.name);
    await expect(labelled(admin, "Role")).toHaveValue("buyer");
    await expect(labelled(admin, "Company").locator("option:checked")).toHaveText(user.company);
    await expect(labelled(admin, "Email")).not.toHaveAttribute("aria-invalid", "true");

    await password.fill(strongPassword);
    await admin.getByRole("button", { name: "Create user" }).click();
    await expect(admin).toHaveURL(/\/admin\/users\/[0-9a-f-]{36}\?created=1$/);
    await expect(admin.getByText("User created.")).toBeVisible();
    await expect(admin.getByRole("heading", { level: 1 })).toHaveText(user.name);

    const newUser = await openAs(browser, baseURL, null);
    await login(newUser.page, user.email, strongPassword);
    await expect(newUser.page).toHaveURL(/\/$/);
    await expect(newUser.page.getByTestId("current-user")).toContainText(user.name);
    await expect(newUser.page.getByRole("heading", { name: "Catalog", level: 1 })).toBeVisible();

    await admin.getByRole("button", { name: "Deactivate user" }).click();
    await expect(admin.getByText("User deactivated.")).toBeVisible();
    await expect(admin.getByRole("button", { name: "Reactivate user" })).toBeVisible();

    // The session cookie is still there; the next request finds the account inactive.
    await newUser.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Orders" }).click();
    await expect(newUser.page).toHaveURL(/\/login$/);
    await expect(newUser.page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await newUser.page.goto("/");
    await expect(newUser.page).toHaveURL(/\/login$/);
    // And signing in again is refused with the usual message.
    await login(newUser.page, user.email, strongPassword);
    await expect(newUser.page.getByTestId("login-error")).toHaveText("Email or password is incorrect.");
    await newUser.context.close();
  });

  test("the audit log shows the user.create and user.deactivate events just made", async ({ page: admin }) => {
    test.slow(); // a long journey: three times the configured timeout
    const id = uid();
    const name = `Ulla Audited ${id}`;
    const email = newEmail("audited", id);
    const userId = await createUser(admin, { email, name, role: "Finance", password: strongPassword });
    await admin.getByRole("button", { name: "Deactivate user" }).click();
    await expect(admin.getByText("User deactivated.")).toBeVisible();

    // The whole log filtered by action: this user's event is there, by the admin.
    await visit(admin, "/admin/audit");
    const filter = admin.getByRole("search", { name: "Filter audit events" });
    await labelled(filter, "Action starts with").fill("user.deactivate");
    await filter.getByRole("button", { name: "Apply filters" }).click();
    await expect(admin).toHaveURL((u) => u.searchParams.get("action") === "user.deactivate");
    const rows = admin.getByTestId("audit-row");
    await expect(rows.locator("td:nth-child(3)").first()).toHaveText("user.deactivate");
    // The entity is shown by its reference (the user's email), linked to the user's page.
    const mine = rows.filter({ has: admin.getByRole("link", { name: email, exact: true }) });
    await expect(mine.locator("td:nth-child(2)")).toHaveText([/^admin@demo\.test\s*Administrator$/]);
    await expect(mine.locator("td:nth-child(3)")).toHaveText(["user.deactivate"]);
    await expect(mine.locator("td:nth-child(4)")).toHaveText([`User${email}`]);
    await expect(mine.getByRole("link", { name: email, exact: true })).toHaveAttribute("href", `/admin/users/${userId}`);
    await expect(mine.locator("td:nth-child(5)")).toHaveText(["Success"]);
    for (const action of await rows.locator("td:nth-child(3)").allInnerTexts()) expect(action).toBe("user.deactivate");

    // The user's own trail, reached from the user page: exactly the two events, newest first.
    await visit(admin, `/admin/users/${userId}`);
    await admin.getByRole("link", { name: `History of ${email}` }).click();
    await expect(admin).toHaveURL((u) => u.pathname === "/admin/audit" && u.searchParams.get("entityId") === userId && u.searchParams.get("entityType") === "user");
    await expect(rows.locator("td:nth-child(3)")).toHaveText(["user.deactivate", "user.create"]);
    await expect(rows.locator("td:nth-child(2)")).toHaveText([/^admin@demo\.test\s*Administrator$/, /^admin@demo\.test\s*Administrator$/]);
    await labelled(filter, "Action starts with").fill("user.create");
    await filter.getByRole("button", { name: "Apply filters" }).click();
    await expect(admin).toHaveURL((u) => u.searchParams.get("action") === "user.create" && u.searchParams.get("entityId") === userId);
    await expect(rows.locator("td:nth-child(3)")).toHaveText(["user.create"]);
    // The event carries the new user's details.
    await rows.getByText("Changes").click();
    await expect(rows.locator("pre")).toContainText(`"name": "${name}"`);
    await expect(rows.locator("pre")).toContainText(`"passwordHash": "[changed]"`);
  });
});
